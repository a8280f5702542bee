//! MON ENTREPRISE through the real router: directory, rights, audit log, information.

mod common;

use axum::http::StatusCode;
use common::{siret, TestApp};

async fn admin_with_company(n: u32) -> (TestApp, i64) {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-admin.fr").await;
    let id = admin.create_company(1, &siret(n), "restricted", &[("lea@cabinet-admin.fr", "Léa", "Petit", &["role_training"])]).await;
    (admin, id)
}

#[tokio::test]
async fn csv_import_reports_refused_lines() {
    let (mut admin, id) = admin_with_company(20).await;
    let mut csv = String::from("Prénom;Nom;E-mail\n");
    for i in 0..17 {
        csv.push_str(&format!("Prénom{i};Nom{i};collab{i}@cabinet-admin.fr\n"));
    }
    csv.push_str("Sans;Adresse;pas-une-adresse\n;Vide;vide@cabinet-admin.fr\nPrénom0;Nom0;collab0@cabinet-admin.fr\n");
    let cid = id.to_string();
    admin.json("company/people/import", &[("company_id", cid.as_str()), ("csv", csv.as_str())]).await;
    let page = admin.json("company/people", &[("company_id", cid.as_str())]).await;
    let report = &page["forms"]["import"];
    assert_eq!(report["notice"], "17 collaborateur(s) ajouté(s), 0 déjà présent(s), 3 ligne(s) refusée(s).");
    assert_eq!(report["errors"].as_object().unwrap().len(), 3);
    // 17 imported + the admin + the training manager.
    assert_eq!(page["data"]["items"].as_array().unwrap().len(), 19);
    assert_eq!(page["data"]["total"], 19);
    // The report is shown once.
    let again = admin.json("company/people", &[("company_id", cid.as_str())]).await;
    assert!(again["forms"]["import"].is_null());
}

#[tokio::test]
async fn granting_a_role_is_audited_and_the_last_admin_stays() {
    let (mut admin, id) = admin_with_company(21).await;
    let cid = id.to_string();
    admin.json("company/roles", &[("company_id", cid.as_str()), ("op", "grant:billing_manager:lea@cabinet-admin.fr")]).await;
    let log = admin.json("company/audit", &[("company_id", cid.as_str())]).await;
    let entries = log["data"]["items"].as_array().unwrap();
    let last = entries.iter().find(|e| e["action"] == "grant.add" && e["after"].as_str().unwrap().contains("billing_manager")).expect("audited");
    assert_eq!(last["actor"], "Marie Durand");

    // The only admin cannot withdraw his role nor leave the directory.
    admin.json("company/roles", &[("company_id", cid.as_str()), ("op", "revoke:admin:marie@cabinet-admin.fr")]).await;
    let page = admin.json("company/people", &[("company_id", cid.as_str())]).await;
    assert!(page["forms"]["roles"]["errors"]["roles"].as_str().unwrap().contains("au moins un administrateur"));
    admin.json("company/people/remove", &[("company_id", cid.as_str()), ("email", "marie@cabinet-admin.fr")]).await;
    let (admins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM grants WHERE company_id = $1 AND role = 'admin'")
        .bind(id)
        .fetch_one(admin.db())
        .await
        .unwrap();
    assert_eq!(admins, 1);

    // With a second admin, the first may step down.
    admin.json("company/roles", &[("company_id", cid.as_str()), ("op", "grant:admin:lea@cabinet-admin.fr")]).await;
    admin.json("company/roles", &[("company_id", cid.as_str()), ("op", "revoke:admin:marie@cabinet-admin.fr")]).await;
    let (status, _, _) = admin.call("company/people", &[("company_id", cid.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no role left on the company: it is not hers to see");
}

#[tokio::test]
async fn two_admins_removing_each_other_at_once_leave_one() {
    let (mut admin, id) = admin_with_company(22).await;
    let cid = id.to_string();
    admin.json("company/roles", &[("company_id", cid.as_str()), ("op", "grant:admin:lea@cabinet-admin.fr")]).await;
    let mut lea = admin.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-admin.fr").await;
    let a = {
        let mut c = admin.clone();
        let cid = cid.clone();
        tokio::spawn(async move { c.call("company/roles", &[("company_id", cid.as_str()), ("op", "revoke:admin:lea@cabinet-admin.fr")]).await })
    };
    let b = {
        let mut c = lea.clone();
        let cid = cid.clone();
        tokio::spawn(async move { c.call("company/roles", &[("company_id", cid.as_str()), ("op", "revoke:admin:marie@cabinet-admin.fr")]).await })
    };
    // Each call either went through (200, with an answer for the page) or came after
    // the other had removed its caller's right (not found / refused).
    for (who, (status, _, body)) in [("Marie", a.await.unwrap()), ("Léa", b.await.unwrap())] {
        assert!(
            status == StatusCode::OK || status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
            "{who}'s revocation answered {status}: {body}"
        );
    }
    let admins: Vec<(String,)> = sqlx::query_as("SELECT email FROM grants WHERE company_id = $1 AND role = 'admin'")
        .bind(id)
        .fetch_all(admin.db())
        .await
        .unwrap();
    assert_eq!(admins.len(), 1, "exactly one administrator is left: {admins:?}");
    let removed: Vec<(String,)> =
        sqlx::query_as("SELECT before_json FROM audit_log WHERE company_id = $1 AND action = 'grant.remove'")
            .bind(id)
            .fetch_all(admin.db())
            .await
            .unwrap();
    assert_eq!(removed.len(), 1, "exactly one revocation took effect: {removed:?}");
    assert!(!removed[0].0.contains(&admins[0].0), "the one left is not the one removed: {removed:?} {admins:?}");
}

#[tokio::test]
async fn information_changes_keep_before_and_after() {
    let (mut admin, id) = admin_with_company(23).await;
    let cid = id.to_string();
    let info = admin.json("company/info", &[("company_id", cid.as_str())]).await;
    let d = &info["data"];
    let field = |k: &str| d[k].as_str().unwrap_or("").to_string();
    let mut form: Vec<(String, String)> = [
        "legal_form",
        "vat_number",
        "address_line",
        "postal_code",
        "city",
        "billing_email",
        "billing_address_line",
        "billing_postal_code",
        "billing_city",
    ]
    .iter()
    .map(|k| (format!("info[{k}]"), field(k)))
    .collect();
    form.push(("info[legal_name]".into(), "Cabinet Renommé".into()));
    form.push(("company_id".into(), cid.clone()));
    // A bad postal code first: refused, nothing changed, the typed values come back.
    let mut bad = form.clone();
    bad.retain(|(k, _)| k != "info[postal_code]");
    bad.push(("info[postal_code]".into(), "750".into()));
    let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    admin.json("company/info/update", &refs).await;
    let page = admin.json("company/info", &[("company_id", cid.as_str())]).await;
    assert_eq!(page["data"]["legal_name"], "Cabinet Test");
    assert_eq!(page["forms"]["info"]["values"]["legal_name"], "Cabinet Renommé");
    assert!(page["forms"]["info"]["errors"]["postal_code"].as_str().unwrap().contains("5 chiffres"));

    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    admin.json("company/info/update", &refs).await;
    let page = admin.json("company/info", &[("company_id", cid.as_str())]).await;
    assert_eq!(page["data"]["legal_name"], "Cabinet Renommé");
    let log = admin.json("company/audit", &[("company_id", cid.as_str())]).await;
    let change = log["data"]["items"].as_array().unwrap().iter().find(|e| e["action"] == "company.update").expect("audited");
    assert!(change["before"].as_str().unwrap().contains("Cabinet Test"));
    assert!(change["after"].as_str().unwrap().contains("Cabinet Renommé"));
}

#[tokio::test]
async fn a_training_manager_cannot_open_mon_entreprise() {
    let (admin, id) = admin_with_company(24).await;
    let mut lea = admin.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-admin.fr").await;
    let cid = id.to_string();
    let home = lea.json("company/home", &[("company_id", cid.as_str())]).await;
    assert_eq!(home["roles"], serde_json::json!(["TrainingManager"]));
    for endpoint in ["company/info", "company/people", "company/audit", "company/contacts", "company/establishments"] {
        let (status, _, body) = lea.call(endpoint, &[("company_id", cid.as_str())]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{endpoint}: {body}");
        assert!(body.contains("réservée aux administrateurs"));
    }
    let (status, page) = lea.get(&format!("/entreprise/{id}/annuaire")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("réservée aux administrateurs") && !page.contains("lea@cabinet-admin.fr</span>"));
}

#[tokio::test]
async fn a_cancelled_registration_frees_its_seat_and_only_managers_cancel() {
    let (mut admin, id) = admin_with_company(25).await;
    let cid = id.to_string();
    admin.json("wizard/participants", &[("op", "add"), ("email", "marie@cabinet-admin.fr"), ("first_name", ""), ("last_name", "")]).await;
    admin.json("wizard/participants", &[("op", "add"), ("email", "nina@cabinet-admin.fr"), ("first_name", "Nina"), ("last_name", "Roux")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    let seats = |app: &TestApp| {
        let db = app.db().clone();
        async move {
            let (n,): (i64,) = sqlx::query_as("SELECT seats_taken FROM training_sessions WHERE id = 1").fetch_one(&db).await.unwrap();
            n
        }
    };
    assert_eq!(seats(&admin).await, 5);
    let home = admin.json("company/home", &[("company_id", cid.as_str())]).await;
    assert_eq!(home["may_register"], true);
    let regs = home["registrations"]["items"].as_array().unwrap();
    let nina = regs.iter().find(|r| r["participant_email"] == "nina@cabinet-admin.fr").unwrap()["id"].as_i64().unwrap().to_string();

    // A participant without a role cannot cancel, even his own company's registration.
    let mut stranger = admin.new_client();
    stranger.sign_up("Jean", "Dupont", "jean@ailleurs.fr").await;
    let (status, _, _) = stranger.call("company/registrations/cancel", &[("company_id", cid.as_str()), ("registration_id", nina.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    admin.json("company/registrations/cancel", &[("company_id", cid.as_str()), ("registration_id", nina.as_str())]).await;
    assert_eq!(seats(&admin).await, 4);
    let home = admin.json("company/home", &[("company_id", cid.as_str())]).await;
    let line = home["registrations"]["items"].as_array().unwrap().iter().find(|r| r["participant_email"] == "nina@cabinet-admin.fr").unwrap().clone();
    assert_eq!(line["status"], "annulee");
    // Twice: refused, and the seat is not freed again.
    let (status, _, _) = admin.call("company/registrations/cancel", &[("company_id", cid.as_str()), ("registration_id", nina.as_str())]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(seats(&admin).await, 4);
}

#[tokio::test]
async fn third_party_authorisation_decides_who_may_bill_whom() {
    let (mut admin, billing) = admin_with_company(26).await;
    let cid = billing.to_string();
    let mut other = admin.new_client();
    other.sign_up("Jean", "Dupont", "jean@cabinet-reseau.fr").await;
    let other_siret = siret(27);
    let ordering = other.create_company(4, &other_siret, "restricted", &[]).await;
    let db = admin.db().clone();
    let may = |b: i64, o: i64| {
        let db = db.clone();
        async move { app::server::admin::may_bill(&db, b, o).await.unwrap() }
    };
    assert!(!may(billing, ordering).await, "nobody by default");
    assert!(may(billing, billing).await);

    // "Uniquement les tiers suivants": an unknown SIRET is refused, a known one listed.
    admin.json("company/third-party", &[("company_id", cid.as_str()), ("op", "mode"), ("mode", "listed"), ("siret", "")]).await;
    admin.json("company/third-party", &[("company_id", cid.as_str()), ("op", "add"), ("siret", siret(99).as_str())]).await;
    let page = admin.json("company/establishments", &[("company_id", cid.as_str())]).await;
    assert!(page["forms"]["third_party"]["errors"]["siret"].as_str().unwrap().contains("Aucune structure"));
    admin.json("company/third-party", &[("company_id", cid.as_str()), ("op", "add"), ("siret", other_siret.as_str())]).await;
    let page = admin.json("company/establishments", &[("company_id", cid.as_str())]).await;
    assert_eq!(page["data"]["third_party_mode"], "Listed");
    assert_eq!(page["data"]["allowed"][0][0].as_i64(), Some(ordering));
    assert!(may(billing, ordering).await);

    // Removed, then "Tous".
    let remove = format!("remove:{ordering}");
    admin.json("company/third-party", &[("company_id", cid.as_str()), ("op", remove.as_str()), ("siret", "")]).await;
    assert!(!may(billing, ordering).await);
    admin.json("company/third-party", &[("company_id", cid.as_str()), ("op", "mode"), ("mode", "all"), ("siret", "")]).await;
    assert!(may(billing, ordering).await);
    let log = admin.json("company/audit", &[("company_id", cid.as_str())]).await;
    assert!(log["data"]["items"].as_array().unwrap().iter().any(|e| e["action"] == "third_party.allow"));
}

#[tokio::test]
async fn the_cart_holds_seats_for_a_while_and_an_order_can_be_invoiced_to_an_authorising_third_party() {
    let (mut admin, ordering) = admin_with_company(28).await;
    admin.json("wizard/participants", &[("op", "add"), ("email", "marie@cabinet-admin.fr"), ("first_name", ""), ("last_name", "")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    let oid = ordering.to_string();
    let cart = admin.json("orders/cart", &[("company_id", oid.as_str())]).await;
    assert_eq!(cart["lines"].as_array().unwrap().len(), 1);

    // A third party that has not authorised us is refused; once it has, accepted.
    let mut other = admin.new_client();
    other.sign_up("Jean", "Dupont", "jean@cabinet-reseau.fr").await;
    let billing_siret = siret(29);
    let billing = other.create_company(4, &billing_siret, "restricted", &[]).await;
    let bid = billing.to_string();
    let attempt = [("company_id", oid.as_str()), ("billing", ""), ("billing_siret", billing_siret.as_str()), ("po_reference", "BC-42"), ("accept_terms", "on")];
    admin.json("orders/validate", &attempt).await;
    let cart = admin.json("orders/cart", &[("company_id", oid.as_str())]).await;
    assert!(cart["echo"]["errors"]["billing"].as_str().unwrap().contains("n'autorise pas"));
    assert_eq!(cart["echo"]["values"]["po_reference"], "BC-42", "typed values come back");
    other.json("company/third-party", &[("company_id", bid.as_str()), ("op", "mode"), ("mode", "listed"), ("siret", "")]).await;
    let ordering_siret = siret(28);
    other.json("company/third-party", &[("company_id", bid.as_str()), ("op", "add"), ("siret", ordering_siret.as_str())]).await;
    let cart = admin.json("orders/cart", &[("company_id", oid.as_str())]).await;
    assert!(cart["billing_options"].as_array().unwrap().iter().any(|o| o["code"] == format!("company:{billing}")));
    let (_, headers, _) = admin.call("orders/validate", &attempt).await;
    assert_eq!(headers.get(axum::http::header::LOCATION).unwrap(), &format!("/entreprise/{ordering}/commandes"));

    // Both companies see the order; the number follows the year's sequence.
    let mine = admin.json("orders/list", &[("company_id", oid.as_str())]).await;
    let number = mine["orders"]["items"][0]["number"].as_str().unwrap().to_string();
    assert!(number.starts_with("CMD-") && number.ends_with("-000001"), "{number}");
    assert_eq!(mine["orders"]["items"][0]["total"], 64000);
    let theirs = other.json("orders/list", &[("company_id", bid.as_str())]).await;
    assert_eq!(theirs["orders"]["items"][0]["number"], number.as_str());
    assert_eq!(theirs["orders"]["items"][0]["placed_here"], false);

    // A training manager sees the orders he placed, not the others.
    let mut lea = admin.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-admin.fr").await;
    let hers = lea.json("orders/list", &[("company_id", oid.as_str())]).await;
    assert_eq!(hers["only_mine"], true);
    assert!(hers["orders"]["items"].as_array().unwrap().is_empty(), "{hers}");
    assert_eq!(hers["orders"]["total"], 0);

    // An expired hold gives its seat back.
    admin.json("wizard/start", &[("session_id", "4")]).await;
    admin.json("wizard/structure", &[("kind", "dirigeant"), ("mode", "existing"), ("existing_company_id", oid.as_str()), ("existing_siret", ""), ("company[legal_name]", "")]).await;
    admin.json("wizard/participants", &[("op", "add"), ("email", "marie@cabinet-admin.fr"), ("first_name", ""), ("last_name", "")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    let taken = |db: app::server::Db| async move {
        let (n,): (i64,) = sqlx::query_as("SELECT seats_taken FROM training_sessions WHERE id = 4").fetch_one(&db).await.unwrap();
        n
    };
    // Session 4 was used twice by create_company's wizard start only; one seat is held now.
    let held = taken(admin.db().clone()).await;
    sqlx::query("UPDATE registrations SET held_until = 1 WHERE status = 'panier'").execute(admin.db()).await.unwrap();
    assert_eq!(app::server::orders::release_expired(admin.db()).await.unwrap(), 1);
    assert_eq!(taken(admin.db().clone()).await, held - 1);
    let cart = admin.json("orders/cart", &[("company_id", oid.as_str())]).await;
    assert!(cart["lines"].as_array().unwrap().is_empty());
}
