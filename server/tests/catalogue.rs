//! The provider's catalogue in the back-office: information and VAT regime, new
//! trainings and sessions, capacities; for its own staff only.

mod common;

use axum::http::StatusCode;
use common::{siret, TestApp};

#[tokio::test]
async fn staff_manage_their_catalogue_and_vat_regime() {
    let mut admin = TestApp::spawn().await;
    let mut olivier = admin.provider_staff("olivier@crcc-cat.fr", 1).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    assert_eq!(page["settings"]["vat_exempt"], true);
    let before = page["trainings"].as_array().unwrap().len();

    // A training: every bad field named, what was typed kept.
    let bad = [
        ("training[code]", "A B"),
        ("training[title]", "Révision légale des PME"),
        ("training[summary]", ""),
        ("training[objectives]", "Appliquer la NEP PE"),
        ("training[programme]", "Cadre\nCas"),
        ("training[prerequisites]", ""),
        ("training[audience]", "CAC"),
        ("training[modality]", "presentiel"),
        ("training[hours]", "0"),
        ("training[price]", "douze"),
    ];
    olivier.json("provider/training/add", &bad).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    let echo = &page["forms"]["training"];
    let fields: Vec<&str> = echo["errors"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, vec!["code", "hours", "price", "summary"]);
    assert_eq!(echo["values"]["title"], "Révision légale des PME");
    let mut good = bad;
    good[0].1 = "PE-2027";
    good[2].1 = "Mission de révision légale dans les petites entreprises.";
    good[8].1 = "7";
    good[9].1 = "450,50";
    olivier.json("provider/training/add", &good).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    assert_eq!(page["forms"]["training"]["notice"], "Formation « Révision légale des PME » ajoutée au catalogue.");
    let trainings = page["trainings"].as_array().unwrap();
    assert_eq!(trainings.len(), before + 1);
    let new = trainings.iter().find(|t| t["code"] == "PE-2027").unwrap();
    assert_eq!(new["price"], 45_050);
    let training_id = new["id"].as_i64().unwrap().to_string();
    // The same code twice is refused.
    olivier.json("provider/training/add", &good).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    assert_eq!(page["forms"]["training"]["errors"]["code"], "Ce code est déjà utilisé.");

    // A session of it, then of another provider's training (refused).
    let start = app::server::db::today().add_days(40).iso();
    let end = app::server::db::today().add_days(39).iso();
    let session = |training: &str, end: &str| {
        vec![
            ("session[training_id]", training.to_string()),
            ("session[start_date]", start.clone()),
            ("session[end_date]", end.to_string()),
            ("session[schedule]", "9h00-17h30".to_string()),
            ("session[city]", "Paris".to_string()),
            ("session[place]", "50 rue de Londres".to_string()),
            ("session[capacity]", "12".to_string()),
            ("session[virtual_link]", String::new()),
        ]
    };
    let as_form = |v: &Vec<(&'static str, String)>| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let f = as_form(&session(&training_id, &end));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    olivier.json("provider/session/add", &f).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    assert_eq!(page["forms"]["session"]["errors"]["end_date"], "La date de fin suit la date de début.");
    let f = as_form(&session(&training_id, &start));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    olivier.json("provider/session/add", &f).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    assert!(page["forms"]["session"]["notice"].as_str().unwrap().ends_with("(12 places)."));
    let (other_training,): (i64,) = sqlx::query_as("SELECT id FROM trainings WHERE provider_id = 2 ORDER BY id LIMIT 1").fetch_one(admin.db()).await.unwrap();
    let f = as_form(&session(&other_training.to_string(), &start));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = olivier.call("provider/session/add", &f).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Capacity: never below the seats taken (session 1 has 3).
    let (status, _, body) = olivier.call("provider/session/capacity", &[("session_id", "1"), ("capacity", "2")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    olivier.json("provider/session/capacity", &[("session_id", "1"), ("capacity", "25")]).await;
    let (capacity,): (i64,) = sqlx::query_as("SELECT capacity FROM training_sessions WHERE id = 1").fetch_one(admin.db()).await.unwrap();
    assert_eq!(capacity, 25);
    let mut zoe = admin.provider_staff("zoe@autre-cat.fr", 2).await;
    let (status, _, _) = zoe.call("provider/session/capacity", &[("session_id", "1"), ("capacity", "30")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // VAT: subject to VAT needs a valid number; invoices issued afterwards carry 20 %.
    let settings = |vat: &'static str, exempt: bool| {
        let mut f = vec![
            ("vat_number", vat),
            ("activity_number", "11 75 41234 75"),
            ("address_line", "50 rue de Londres"),
            ("postal_code", "75008"),
            ("city", "Paris"),
            ("payment_days", "30"),
        ];
        if exempt {
            f.push(("vat_exempt", "on"));
        }
        f
    };
    olivier.json("provider/settings", &settings("", false)).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    assert!(page["forms"]["settings"]["errors"]["vat_number"].as_str().unwrap().contains("assujetti"));
    assert_eq!(page["settings"]["vat_exempt"], true, "nothing saved");
    olivier.json("provider/settings", &settings("FR22512304986", false)).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    assert_eq!(page["settings"]["vat_exempt"], false);

    admin.sign_up("Marie", "Durand", "marie@cabinet-cat.fr").await;
    let company = admin.create_company(1, &siret(90), "restricted", &[]).await;
    admin.json("wizard/participants", &[("op", "add"), ("email", "marie@cabinet-cat.fr"), ("first_name", ""), ("last_name", "")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;
    let (order,): (i64,) = sqlx::query_as("SELECT id FROM orders").fetch_one(admin.db()).await.unwrap();
    let op = format!("invoice:{order}");
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", op.as_str())]).await;
    let (ht, vat, ttc, mention): (i64, i64, i64, String) =
        sqlx::query_as("SELECT total_ht_cents, vat_cents, total_ttc_cents, vat_mention FROM invoices").fetch_one(admin.db()).await.unwrap();
    assert_eq!((ht, vat, ttc, mention.as_str()), (64_000, 12_800, 76_800, "TVA 20 %"));

    // The team: a colleague joins; staff of another provider cannot.
    olivier.json("provider/staff/add", &[("email", "claire@crcc-cat.fr")]).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    assert_eq!(page["staff"], serde_json::json!(["claire@crcc-cat.fr", "olivier@crcc-cat.fr"]));
    olivier.json("provider/staff/add", &[("email", "zoe@autre-cat.fr")]).await;
    let page = olivier.json("provider/catalogue", &[]).await;
    assert_eq!(page["forms"]["staff"]["errors"]["email"], "Cette personne travaille déjà pour un autre organisme.");
    assert_eq!(page["forms"]["staff"]["values"]["email"], "zoe@autre-cat.fr");

    // Only staff.
    let (status, _, _) = admin.call("provider/catalogue", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = admin.call("provider/training/add", &good).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = admin.call("provider/staff/add", &[("email", "marie@cabinet-cat.fr")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = admin.new_client().call("provider/settings", &settings("", true)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
