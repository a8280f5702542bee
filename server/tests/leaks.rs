//! What a person who is not a member of a company learns of it (issue 9, point 6):
//! nothing of its directory, settings or name, even in open mode; a refusal names
//! nobody and offers to ask the administrators, who grant the role from their mail.

mod common;

use axum::http::StatusCode;
use common::{siret, TestApp};

async fn outbox(app: &TestApp, to: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE to_addr = $1 ORDER BY created_at, id").bind(to).fetch_all(app.db()).await.unwrap()
}

/// A stranger's wizard pointed at the company of SIRET `n` ("existing structure").
async fn stranger_on(app: &TestApp, n: u32, email: &str) -> TestApp {
    let mut b = app.new_client();
    b.sign_up("Jean", "Dupont", email).await;
    b.json("wizard/start", &[("session_id", "4")]).await;
    let s = siret(n);
    b.call(
        "wizard/structure",
        &[("kind", "salarie"), ("mode", "existing"), ("existing_siret", s.as_str()), ("company[legal_name]", "")],
    )
    .await;
    b
}

#[tokio::test]
async fn a_stranger_registering_in_open_mode_learns_nothing_of_the_company() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-l1.fr").await;
    let id = a.create_company(1, &siret(80), "open", &[("tom@cabinet-l1.fr", "Tom", "Martin", &["role_training"])]).await;
    let mut tom = a.new_client();
    tom.sign_up("Tom", "Martin", "tom@cabinet-l1.fr").await;

    let mut b = stranger_on(&a, 80, "jean@ailleurs-l1.fr").await;
    let v = b.wizard("participants").await;
    assert_eq!(v["step"], "Participants", "open mode lets him register: {v}");
    assert!(v["company_name"].is_null(), "{v}");
    assert!(v["directory"].as_array().unwrap().is_empty(), "{v}");
    let (_, page) = b.get("/inscription/participants").await;
    assert!(!page.contains("Cabinet Test") && !page.contains("tom@cabinet-l1.fr"), "the page names the company or its people");

    // Guessing a collaborator's address in the directory picker gives nothing.
    b.call("wizard/participants", &[("op", "add_directory"), ("directory_email", "tom@cabinet-l1.fr"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    let v = b.wizard("participants").await;
    assert!(v["draft"]["participants"].as_array().unwrap().is_empty(), "{v}");
    // Typing the address of an account does not fill in its names.
    b.call("wizard/participants", &[("op", "add"), ("email", "tom@cabinet-l1.fr"), ("first_name", ""), ("last_name", "")]).await;
    let v = b.wizard("participants").await;
    assert!(v["draft"]["participants"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(v["draft"]["errors"]["first_name"], "Saisissez son prénom.");
    assert!(!v.to_string().contains("Martin"), "{v}");
    b.call("wizard/participants", &[("op", "add"), ("email", "tom@cabinet-l1.fr"), ("first_name", "T."), ("last_name", "M.")]).await;
    let v = b.wizard("participants").await;
    let p = &v["draft"]["participants"][0];
    assert_eq!((p["first_name"].as_str(), p["last_name"].as_str(), p["has_account"].as_bool()), (Some("T."), Some("M."), Some(true)));

    // His cart for the company: neither its name nor its establishments or third parties.
    let cid = id.to_string();
    let cart = b.json("orders/cart", &[("company_id", cid.as_str())]).await;
    assert!(!cart.to_string().contains("Cabinet Test"), "{cart}");
    assert_eq!(cart["billing_options"].as_array().unwrap().len(), 1, "{cart}");
    // And no page of the company.
    for endpoint in ["company/home", "company/people", "company/info", "orders/list"] {
        let (status, _, body) = b.call(endpoint, &[("company_id", cid.as_str())]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}: {body}");
    }

    // A member of the company (positive control) sees its name and directory.
    tom.json("wizard/start", &[("session_id", "4")]).await;
    let s = siret(80);
    tom.json("wizard/structure", &[("kind", "salarie"), ("mode", "existing"), ("existing_siret", s.as_str()), ("company[legal_name]", "")]).await;
    let v = tom.wizard("participants").await;
    assert_eq!(v["company_name"], "Cabinet Test");
    assert!(v["directory"].as_array().unwrap().iter().any(|p| p["email"] == "marie@cabinet-l1.fr"), "{v}");
}

#[tokio::test]
async fn a_refusal_names_nobody_and_the_administrators_grant_from_their_mail() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-l2.fr").await;
    let id = a.create_company(1, &siret(81), "restricted", &[]).await;
    let cid = id.to_string();

    let mut b = stranger_on(&a, 81, "jean@ailleurs-l2.fr").await;
    let v = b.wizard("structure").await;
    let notice = v["draft"]["notice"].as_str().unwrap_or_default().to_string();
    assert!(notice.contains("réservées aux personnes habilitées"), "{v}");
    for leak in ["Marie", "Durand", "marie@", "Cabinet Test"] {
        assert!(!notice.contains(leak), "the refusal names {leak}: {notice}");
    }
    assert_eq!(v["draft"]["refused_company"].as_i64(), Some(id));
    let (_, page) = b.get("/inscription/structure").await;
    assert!(page.contains("Demander les droits"), "the step offers to ask");

    // He asks; every administrator is mailed a link to the request.
    let answer = b.json("company/request-rights", &[("company_id", cid.as_str()), ("role", "training_manager")]).await;
    assert!(answer.as_str().unwrap().contains("transmise"), "{answer}");
    let mails = outbox(&a, "marie@cabinet-l2.fr").await;
    let (subject, body) = mails.iter().find(|(s, _)| s.starts_with("Demande de droits")).expect("the administrator is mailed").clone();
    assert_eq!(subject, "Demande de droits : Jean Dupont");
    let prefix = format!("/entreprise/{id}/demandes/");
    let start = body.find(&prefix).expect("a link to the request") + prefix.len();
    let request_id: String = body[start..].chars().take_while(char::is_ascii_digit).collect();
    // Asking again does not mail again.
    let again = b.json("company/request-rights", &[("company_id", cid.as_str()), ("role", "training_manager")]).await;
    assert!(again.as_str().unwrap().contains("déjà"), "{again}");
    assert_eq!(outbox(&a, "marie@cabinet-l2.fr").await.len(), mails.len());

    // He cannot grant it to himself, nor read it.
    let form = [("company_id", cid.as_str()), ("request_id", request_id.as_str())];
    let (status, _, _) = b.call("company/grant-request", &form).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = b.call("company/rights-request", &form).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM grants WHERE email = 'jean@ailleurs-l2.fr'").fetch_one(a.db()).await.unwrap();
    assert_eq!(n, 0);

    // The administrator reads it and grants it in one click; he is told.
    let r = a.json("company/rights-request", &form).await;
    assert_eq!((r["person"].as_str(), r["granted"].as_bool()), (Some("Jean Dupont"), Some(false)), "{r}");
    let granted = a.json("company/grant-request", &form).await;
    assert!(granted.as_str().unwrap().contains("Jean Dupont a désormais le rôle"), "{granted}");
    assert!(outbox(&a, "jean@ailleurs-l2.fr").await.iter().any(|(s, _)| s.starts_with("Droits accordés")));
    let twice = a.json("company/grant-request", &form).await;
    assert!(twice.as_str().unwrap().contains("déjà"), "{twice}");
    // Now he registers for the company.
    let s = siret(81);
    b.json("wizard/structure", &[("kind", "salarie"), ("mode", "existing"), ("existing_siret", s.as_str()), ("company[legal_name]", "")]).await;
    assert_eq!(b.wizard("participants").await["step"], "Participants");
    // A request id of another company is not found.
    let other = [("company_id", "1"), ("request_id", request_id.as_str())];
    let (status, _, _) = a.call("company/rights-request", &other).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn rights_requests_are_bounded_and_say_nothing_of_unknown_companies() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-l3.fr").await;
    let id = a.create_company(1, &siret(82), "restricted", &[]).await;
    let cid = id.to_string();
    let mut b = a.new_client();
    b.sign_up("Jean", "Dupont", "jean@ailleurs-l3.fr").await;
    // An unknown company: the same answer, and no mail.
    let before: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox").fetch_one(a.db()).await.unwrap();
    let answer = b.json("company/request-rights", &[("company_id", "12345"), ("role", "training_manager")]).await;
    assert!(answer.as_str().unwrap().contains("transmise"), "{answer}");
    let after: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox").fetch_one(a.db()).await.unwrap();
    assert_eq!(before, after);
    // A bad role is refused on its field.
    let (status, _, _) = b.call("company/request-rights", &[("company_id", cid.as_str()), ("role", "root")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Five requests a day at most.
    let (user_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = 'jean@ailleurs-l3.fr'").fetch_one(a.db()).await.unwrap();
    for n in 0..5 {
        sqlx::query("INSERT INTO rights_requests (id, company_id, user_id, role, created_at, granted_at) VALUES ($1, $2, $3, 'admin', $4, 1)")
            .bind(900 + n)
            .bind(id)
            .bind(user_id)
            .bind(app::server::db::now())
            .execute(a.db())
            .await
            .unwrap();
    }
    let (status, _, body) = b.call("company/request-rights", &[("company_id", cid.as_str()), ("role", "training_manager")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("trop de demandes"), "{body}");
    assert!(!outbox(&a, "marie@cabinet-l3.fr").await.iter().any(|(s, _)| s.starts_with("Demande de droits")));
}

#[tokio::test]
async fn provider_actions_go_into_its_audit_log() {
    let app = TestApp::spawn().await;
    let (provider,): (i64,) = sqlx::query_as("SELECT t.provider_id FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE s.id = 1")
        .fetch_one(app.db())
        .await
        .unwrap();
    let mut olivier = app.provider_staff("olivier@organisme-l4.fr", provider).await;
    olivier.json("provider/session/capacity", &[("session_id", "1"), ("capacity", "30")]).await;
    olivier.json("provider/staff/add", &[("email", "zoe@organisme-l4.fr")]).await;
    // A refused form writes nothing.
    olivier.json("provider/staff/add", &[("email", "pas-une-adresse")]).await;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT action, detail_json FROM provider_audit_log WHERE provider_id = $1 ORDER BY created_at, id")
            .bind(provider)
            .fetch_all(app.db())
            .await
            .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().any(|(a, d)| a == "session" && d.contains("30 places")), "{rows:?}");
    assert!(rows.iter().any(|(a, d)| a == "staff" && d.contains("zoe@organisme-l4.fr")), "{rows:?}");
}
