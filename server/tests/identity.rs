//! Proven email (issue 9), tested as an attacker would: whoever signs up first with an
//! address that an administrator, a provider or a registration named gets nothing of it
//! until he proves he reads that address's mail.

mod common;

use app::server::demo::{DEMO_STAFF, PAST_SESSION};
use app::server::tokens::{self, Purpose};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{demo_login, TestApp, HOST};

const DUPONT: &str = "jean.dupont@cabinet-demo.fr";

async fn demo_company(app: &TestApp) -> String {
    let mut alice = demo_login(app, "alice.admin@cabinet-demo.fr").await;
    alice.json("spaces/mine", &[]).await["companies"][0]["id"].as_i64().expect("demo company").to_string()
}

async fn confirmed_at(app: &TestApp, email: &str) -> Option<i64> {
    let (at,): (Option<i64>,) =
        sqlx::query_as("SELECT email_confirmed_at FROM users WHERE email = $1").bind(email).fetch_one(app.db()).await.unwrap();
    at
}

async fn mails(app: &TestApp, to: &str, subject: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE to_addr = $1 AND subject = $2")
        .bind(to)
        .bind(subject)
        .fetch_one(app.db())
        .await
        .unwrap();
    n
}

/// Confirms with the link mailed last to `email`, in this browser.
async fn confirm(c: &mut TestApp, email: &str) {
    let token = c.confirmation_token(email).await.expect("a confirmation link");
    let (status, headers, body) = c.call("account/confirm", &[("token", &token)]).await;
    assert!(status.is_success(), "confirm: {status} {body}");
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/espaces"));
}

#[tokio::test]
async fn a_role_granted_to_an_address_waits_for_its_proof() {
    let app = TestApp::spawn_with(true).await;
    let company = demo_company(&app).await;
    let mut alice = demo_login(&app, "alice.admin@cabinet-demo.fr").await;
    alice
        .json(
            "company/people/add",
            &[("company_id", &company), ("email", DUPONT), ("first_name", "Jean"), ("last_name", "Dupont"), ("role", "billing_manager")],
        )
        .await;

    // The attacker signs up first with Dupont's address, and logs in with his password.
    let mut attacker = app.new_client();
    attacker.sign_up_unconfirmed("Jean", "Dupont", DUPONT).await;
    let me = attacker.json("account/me", &[]).await;
    assert!(me["id"].is_i64(), "logged in: {me}");
    for endpoint in ["company/home", "orders/list", "company/documents", "company/info"] {
        let (status, _, body) = attacker.call(endpoint, &[("company_id", &company)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint} answered {status}: {body}");
    }
    let spaces = attacker.json("spaces/mine", &[]).await;
    assert_eq!(spaces["companies"], serde_json::json!([]), "{spaces}");
    let (_, page) = attacker.get("/espaces").await;
    assert!(!page.contains("Cabinet Démo"), "the company shows in /espaces");
    assert!(page.contains("Confirmez votre adresse e-mail"), "no notice to confirm");
    let (_, page) = attacker.get(&format!("/entreprise/{company}/commandes")).await;
    assert!(!page.contains("CMD-"), "orders shown to an unproven address");
    // The wizard does not offer the company either.
    attacker.json("wizard/start", &[("session_id", "1")]).await;
    assert_eq!(attacker.wizard("structure").await["my_companies"], serde_json::json!([]));

    // The owner of the mailbox confirms: everything granted to the address is his.
    confirm(&mut attacker, DUPONT).await;
    assert!(confirmed_at(&app, DUPONT).await.is_some());
    let orders = attacker.json("orders/list", &[("company_id", &company)]).await;
    assert!(!orders["orders"]["items"].as_array().unwrap().is_empty(), "{orders}");
    attacker.json("company/documents", &[("company_id", &company)]).await;
    let spaces = attacker.json("spaces/mine", &[]).await;
    assert_eq!(spaces["companies"][0]["id"].as_i64().unwrap().to_string(), company);
    assert_eq!(attacker.wizard("structure").await["my_companies"][0]["id"].as_i64().unwrap().to_string(), company);
    let (_, page) = attacker.get("/espaces").await;
    assert!(page.contains("Cabinet Démo"));
    assert!(!page.contains("Confirmez votre adresse e-mail"));
}

#[tokio::test]
async fn a_provider_staff_seat_waits_for_its_proof() {
    let app = TestApp::spawn_with(true).await;
    let mut olivier = demo_login(&app, DEMO_STAFF.0).await;
    olivier.json("provider/staff/add", &[("email", DUPONT)]).await;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM provider_staff WHERE email = $1").bind(DUPONT).fetch_one(app.db()).await.unwrap();
    assert_eq!(n, 1, "the provider listed the address");

    let mut attacker = app.new_client();
    attacker.sign_up_unconfirmed("Jean", "Dupont", DUPONT).await;
    let (status, _, _) = attacker.call("provider/home", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = attacker.call("provider/session", &[("session_id", &PAST_SESSION.to_string())]).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");
    assert!(attacker.json("spaces/mine", &[]).await["provider"].is_null());
    let (_, page) = attacker.get("/organisme").await;
    assert!(!page.contains("CRCC de Paris — Formation"), "the back-office shows to an unproven address");

    confirm(&mut attacker, DUPONT).await;
    // Proven, the seat is his; the back-office then asks for its second factor.
    let (status, _, body) = attacker.call("provider/home", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("double authentification"), "{body}");
    attacker.enable_second_factor().await;
    let home = attacker.json("provider/home", &[]).await;
    assert_eq!(home["provider_name"], "CRCC de Paris — Formation");
}

#[tokio::test]
async fn a_registration_and_its_certificate_wait_for_their_proof() {
    let app = TestApp::spawn_with(true).await;
    // Nina's place in last month's session becomes Dupont's, who has no account yet.
    sqlx::query(
        "UPDATE registrations SET participant_email = $1, participant_first_name = 'Jean', participant_last_name = 'Dupont' \
         WHERE participant_email = 'nina.collaboratrice@cabinet-demo.fr' AND session_id = $2",
    )
    .bind(DUPONT)
    .bind(PAST_SESSION)
    .execute(app.db())
    .await
    .unwrap();
    let (reg,): (i64,) = sqlx::query_as("SELECT id FROM registrations WHERE participant_email = $1").bind(DUPONT).fetch_one(app.db()).await.unwrap();
    let certificate = format!("/documents/certificat/{reg}");
    let reg_s = reg.to_string();

    let mut attacker = app.new_client();
    attacker.sign_up_unconfirmed("Jean", "Dupont", DUPONT).await;
    let spaces = attacker.json("spaces/mine", &[]).await;
    assert_eq!(spaces["own_trainings"], serde_json::json!([]), "{spaces}");
    assert_eq!(spaces["surveys_to_fill"], serde_json::json!([]));
    let (status, bytes) = attacker.download(&certificate).await;
    assert_ne!(status, StatusCode::OK, "certificate given to an unproven address");
    assert!(!bytes.starts_with(b"%PDF"));
    let (status, _, _) = attacker.call("survey/get", &[("registration_id", &reg_s)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = attacker
        .call(
            "survey/answer",
            &[("registration_id", &reg_s), ("content", "1"), ("trainer", "1"), ("organisation", "1"), ("overall", "1"), ("comment", "x")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    confirm(&mut attacker, DUPONT).await;
    let spaces = attacker.json("spaces/mine", &[]).await;
    assert!(spaces["own_trainings"].as_array().unwrap().iter().any(|l| l["id"] == reg), "{spaces}");
    assert_eq!(spaces["surveys_to_fill"], serde_json::json!([reg]));
    let (status, bytes) = attacker.download(&certificate).await;
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.starts_with(b"%PDF"));
    attacker.json("survey/get", &[("registration_id", &reg_s)]).await;
}

#[tokio::test]
async fn a_link_works_once_before_it_expires_and_for_its_purpose_only() {
    let app = TestApp::spawn().await;
    let mut marie = app.new_client();
    marie.sign_up_unconfirmed("Marie", "Durand", "marie@cabinet-id.fr").await;
    let token = marie.confirmation_token("marie@cabinet-id.fr").await.unwrap();
    let user_id = marie.json("account/me", &[]).await["id"].as_i64().unwrap();

    // Opening the page changes nothing (link scanners open links).
    let (status, page) = app.new_client().get(&format!("/confirmer/{token}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("est bien la vôtre"), "{page}");
    assert!(confirmed_at(&app, "marie@cabinet-id.fr").await.is_none());

    // Another purpose's token is worth nothing here.
    let reset = tokens::issue(app.db(), user_id, Purpose::Reset, "marie@cabinet-id.fr").await.unwrap();
    let mut other = app.new_client();
    let (status, headers, _) = other.call("account/confirm", &[("token", &reset)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(headers.get(header::LOCATION).is_none());

    // Expired.
    sqlx::query("UPDATE account_tokens SET expires_at = $1 WHERE purpose = 'confirm'")
        .bind(app::server::db::now() - 1)
        .execute(app.db())
        .await
        .unwrap();
    let (status, _, _) = other.call("account/confirm", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, page) = other.get(&format!("/confirmer/{token}")).await;
    assert!(page.contains("n'est pas valable"));
    assert!(confirmed_at(&app, "marie@cabinet-id.fr").await.is_none());
    assert!(other.json("account/me", &[]).await.is_null(), "not logged in by a dead link");

    // A fresh link works once, from another browser too, and logs that browser in.
    sqlx::query("UPDATE account_tokens SET created_at = created_at - 120").execute(app.db()).await.unwrap();
    marie.json("account/resend", &[]).await;
    let fresh = marie.confirmation_token("marie@cabinet-id.fr").await.unwrap();
    assert_ne!(fresh, token);
    let (status, headers, _) = other.call("account/confirm", &[("token", &fresh)]).await;
    assert!(status.is_success());
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/espaces"));
    assert_eq!(other.json("account/me", &[]).await["id"].as_i64(), Some(user_id));
    assert!(confirmed_at(&app, "marie@cabinet-id.fr").await.is_some());
    let (status, _, _) = app.new_client().call("account/confirm", &[("token", &fresh)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "a used link");
}

#[tokio::test]
async fn malformed_links_are_refused_without_a_panic() {
    let app = TestApp::spawn().await;
    let long = "a".repeat(10_000);
    let multibyte = "é".repeat(32); // 64 bytes
    for token in ["", "x", "../../etc/passwd", "%00", "0000000000000000000000000000000000000000000000000000000000000000", &long, &multibyte, "\n\t\r", "' OR 1=1 --"] {
        // A browser each: the per-address limit is not what is tested here.
        let mut c = app.new_client();
        let (status, _, body) = c.call("account/confirm", &[("token", token)]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{token:?}: {body}");
        assert!(c.json("account/confirmation", &[("token", token)]).await.is_null());
    }
    // Bytes that are not UTF-8, in the body and in the page's path.
    let mut c = app.new_client();
    let req = Request::builder()
        .method("POST")
        .uri("/api/account/confirm")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from("token=%FF%FE%00%C3"))
        .unwrap();
    let (status, _, _) = c.raw(req).await;
    assert!(status.is_client_error(), "{status}");
    for path in ["/confirmer/%FF%FE", "/confirmer/%00", "/confirmer/%2F%2E%2E", "/confirmer/abc%0Adef"] {
        let (status, page) = c.get(path).await;
        assert!(status == StatusCode::OK || status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST, "{path}: {status}");
        assert!(status != StatusCode::OK || page.contains("pas valable"), "{path}: {page}");
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE email_confirmed_at IS NOT NULL").fetch_one(app.db()).await.unwrap();
    assert_eq!(n, 0);
}

/// The parts of a response an observer compares: status, body, and the headers with
/// what differs for every response blanked (the session token, a CSP nonce, the date).
fn observable(status: StatusCode, headers: &axum::http::HeaderMap, body: &str) -> (u16, Vec<(String, String)>, String) {
    let mut h: Vec<(String, String)> = headers
        .iter()
        // The date and the request id differ between any two responses.
        .filter(|(k, _)| *k != header::DATE && k.as_str() != "x-request-id")
        .map(|(k, v)| {
            let v = v.to_str().unwrap_or("").to_string();
            let v = match v.split_once('=') {
                Some((name, rest)) if k == header::SET_COOKIE => format!("{name}=…{}", &rest[rest.find(';').unwrap_or(rest.len())..]),
                _ => v,
            };
            let v = match v.find("'nonce-") {
                Some(i) => {
                    let end = v[i + 7..].find('\'').map_or(v.len(), |e| i + 7 + e);
                    format!("{}'nonce-…{}", &v[..i], &v[end..])
                }
                None => v,
            };
            (k.to_string(), v)
        })
        .collect();
    h.sort();
    (status.as_u16(), h, body.to_string())
}

#[tokio::test]
async fn signing_up_with_a_taken_address_looks_the_same_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let email = "paul@cabinet-id.fr";
    let mut owner = app.new_client();
    let (s1, h1, b1) = owner.post_sign_up("Paul", "Martin", email, "mot-de-passe-solide").await;
    confirm(&mut owner, email).await;

    let mut attacker = app.new_client();
    let (s2, h2, b2) = attacker.post_sign_up("Paul", "Martin", email, "mot-de-passe-pirate").await;
    assert_eq!(observable(s1, &h1, &b1), observable(s2, &h2, &b2), "a taken address answers differently");
    assert!(b2.contains(&format!("un lien de confirmation vous a été envoyé à {email}")), "{b2}");

    // Not logged in, no second account, the owner's password unchanged, and told.
    assert!(attacker.json("account/me", &[]).await.is_null());
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = $1").bind(email).fetch_one(app.db()).await.unwrap();
    assert_eq!(n, 1);
    assert_eq!(mails(&app, email, "Tentative de création de compte avec votre adresse").await, 1);
    assert_eq!(mails(&app, email, "Confirmez votre adresse e-mail").await, 1, "no confirmation link for the attacker");
    let (_, body): (i64, String) = sqlx::query_as(
        "SELECT created_at, body FROM outbox WHERE to_addr = $1 AND subject = 'Tentative de création de compte avec votre adresse'",
    )
    .bind(email)
    .fetch_one(app.db())
    .await
    .unwrap();
    assert!(body.contains("http://portail.test/connexion") && body.contains("http://portail.test/mot-de-passe-oublie"), "{body}");
    let (_, headers, _) =
        attacker.call("account/login", &[("email", email), ("password", "mot-de-passe-pirate"), ("next", "/espaces")]).await;
    assert!(headers.get(header::LOCATION).is_none(), "the attacker's password works");
    app.new_client().log_in(email).await;

    // A page post without JavaScript: the same message on the page it returns to.
    let mut browser = app.new_client();
    let form = [
        ("form[civility]", "m"),
        ("form[first_name]", "Paul"),
        ("form[last_name]", "Martin"),
        ("form[email]", email),
        ("form[phone]", "0123456789"),
        ("form[profession]", "autre"),
        ("form[professional_number]", ""),
        ("form[address_line]", "1 rue de la Paix"),
        ("form[postal_code]", "75002"),
        ("form[city]", "Paris"),
        ("password", "mot-de-passe-pirate"),
        ("password_confirm", "mot-de-passe-pirate"),
        ("next", "/espaces"),
    ];
    let (status, headers, _) = browser.post_form("account/signup", &form, "/creer-un-compte").await;
    assert!(status.is_redirection(), "{status}");
    assert!(headers.get(header::LOCATION).unwrap().to_str().unwrap().starts_with(&format!("http://{HOST}/creer-un-compte")));
    let (_, page) = browser.get("/creer-un-compte").await;
    assert!(page.contains("Consultez votre messagerie"), "{page}");
}

#[tokio::test]
async fn confirmation_takes_the_visitor_where_he_was_going() {
    let app = TestApp::spawn().await;
    let mut c = app.new_client();
    c.json("wizard/start", &[("session_id", "1")]).await;
    let (status, _, body) = c
        .call(
            "account/signup",
            &[
                ("form[civility]", "mme"),
                ("form[first_name]", "Léa"),
                ("form[last_name]", "Petit"),
                ("form[email]", "lea@cabinet-id.fr"),
                ("form[phone]", "0123456789"),
                ("form[profession]", "autre"),
                ("form[professional_number]", ""),
                ("form[address_line]", "1 rue de la Paix"),
                ("form[postal_code]", "75002"),
                ("form[city]", "Paris"),
                ("password", "mot-de-passe-solide"),
                ("password_confirm", "mot-de-passe-solide"),
                ("next", "/inscription/structure"),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    // Not logged in yet: the wizard waits at its first step.
    assert_eq!(c.wizard("structure").await["step"], "Login");
    let token = c.confirmation_token("lea@cabinet-id.fr").await.unwrap();
    let (_, headers, _) = c.call("account/confirm", &[("token", &token)]).await;
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/inscription/structure"));
    assert_eq!(c.wizard("structure").await["step"], "Structure", "the registration goes on after confirming");

    // A next that leaves the site is not followed.
    let mut d = app.new_client();
    let (_, _, _) = d
        .call(
            "account/signup",
            &[
                ("form[civility]", "mme"),
                ("form[first_name]", "Eve"),
                ("form[last_name]", "Noir"),
                ("form[email]", "eve@cabinet-id.fr"),
                ("form[phone]", "0123456789"),
                ("form[profession]", "autre"),
                ("form[professional_number]", ""),
                ("form[address_line]", "1 rue de la Paix"),
                ("form[postal_code]", "75002"),
                ("form[city]", "Paris"),
                ("password", "mot-de-passe-solide"),
                ("password_confirm", "mot-de-passe-solide"),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    let token = d.confirmation_token("eve@cabinet-id.fr").await.unwrap();
    let (_, headers, _) = d.call("account/confirm", &[("token", &token)]).await;
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/espaces"));
}

#[tokio::test]
async fn new_links_are_limited_per_account() {
    let app = TestApp::spawn().await;
    let email = "nina@cabinet-id.fr";
    let mut nina = app.new_client();
    nina.sign_up_unconfirmed("Nina", "Roux", email).await;
    // A visitor has nothing to resend.
    let (status, _, _) = app.new_client().call("account/resend", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Within the minute of the sign-up's link.
    let answer = nina.json("account/resend", &[]).await;
    assert!(answer.as_str().unwrap().contains("attendez une minute"), "{answer}");
    assert_eq!(mails(&app, email, "Confirmez votre adresse e-mail").await, 1);
    // Four more, a minute apart (the clock moved by ageing the links), then no more today.
    for n in 2..=5 {
        sqlx::query("UPDATE account_tokens SET created_at = created_at - 61").execute(app.db()).await.unwrap();
        let answer = nina.json("account/resend", &[]).await;
        assert!(answer.as_str().unwrap().contains("Un nouveau lien"), "{answer}");
        assert_eq!(mails(&app, email, "Confirmez votre adresse e-mail").await, n);
    }
    sqlx::query("UPDATE account_tokens SET created_at = created_at - 61").execute(app.db()).await.unwrap();
    let answer = nina.json("account/resend", &[]).await;
    assert!(answer.as_str().unwrap().contains("5 liens de confirmation en 24 heures"), "{answer}");
    assert_eq!(mails(&app, email, "Confirmez votre adresse e-mail").await, 5);
    // The page frame says it once (a post without JavaScript comes back to it), and
    // offers the button.
    let (_, page) = nina.get("/espaces").await;
    assert!(page.contains("Renvoyer le lien"));
    assert!(page.contains("5 liens de confirmation en 24 heures"));
    let (_, page) = nina.get("/espaces").await;
    assert!(!page.contains("5 liens de confirmation en 24 heures"));
    // A day later, one more.
    sqlx::query("UPDATE account_tokens SET created_at = created_at - 86400").execute(app.db()).await.unwrap();
    nina.json("account/resend", &[]).await;
    assert_eq!(mails(&app, email, "Confirmez votre adresse e-mail").await, 6);
    // Every link but the newest is dead once one is used.
    confirm(&mut nina, email).await;
    let (live,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM account_tokens WHERE purpose = 'confirm' AND used_at IS NULL").fetch_one(app.db()).await.unwrap();
    assert_eq!(live, 0);
    assert_eq!(nina.json("account/resend", &[]).await, "Votre adresse e-mail est déjà confirmée.");
    assert_eq!(mails(&app, email, "Confirmez votre adresse e-mail").await, 6);
}

#[tokio::test]
async fn no_company_space_before_the_address_is_proven() {
    let app = TestApp::spawn().await;
    let mut c = app.new_client();
    c.sign_up_unconfirmed("Marc", "Blanc", "marc@cabinet-id.fr").await;
    let settings = c.wizard_to_review(1, &common::siret(90), "open", &[]).await;
    let mut form: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    form.push(("op", "finalise"));
    c.json("wizard/review", &form).await;
    let v = c.wizard("parametres").await;
    assert_eq!(v["step"], "Review");
    assert!(v["draft"]["errors"]["confirm"].as_str().unwrap().contains("Confirmez d'abord votre adresse"), "{v}");
    assert_eq!(v["draft"]["settings"]["billing_email"], "marc@cabinet-id.fr", "the answers are kept");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM companies").fetch_one(app.db()).await.unwrap();
    assert_eq!(n, 0);
    let (_, page) = c.get("/inscription/parametres").await;
    assert!(page.contains("creation-a-confirmer") && page.contains("Renvoyer le lien"));

    confirm(&mut c, "marc@cabinet-id.fr").await;
    c.json("wizard/review", &form).await;
    let v = c.wizard("participants").await;
    assert_eq!(v["step"], "Participants", "{v}");
}

#[tokio::test]
async fn an_invitation_never_replaces_a_password() {
    let app = TestApp::spawn().await;
    let inviter = {
        let mut a = app.new_client();
        a.sign_up("Alice", "Admin", "alice@cabinet-id.fr").await;
        a.json("account/me", &[]).await["id"].as_i64().unwrap()
    };
    // Invitations sent while the address had no account.
    let email = "leo@cabinet-id.fr";
    let first = app::server::invitations::create(app.db(), email, "Léo", "Vert", None, inviter).await.unwrap();
    let second = app::server::invitations::create(app.db(), email, "Léo", "Vert", None, inviter).await.unwrap();

    // Someone else signs up with the address, unproven: the invitation neither proves
    // it nor sets a password, and stays usable.
    let mut attacker = app.new_client();
    attacker.sign_up_unconfirmed("Léo", "Vert", email).await;
    let view = app.new_client().json("invitation/get", &[("token", &first)]).await;
    assert_eq!(view["account"], "Unproven");
    let mut holder = app.new_client();
    let (status, headers, _) =
        holder.call("invitation/accept", &[("token", &first), ("password", "nouveau-mot-de-passe"), ("password_confirm", "nouveau-mot-de-passe")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(headers.get(header::LOCATION).is_none());
    assert!(confirmed_at(&app, email).await.is_none(), "an invitation proved someone else's account");
    assert!(holder.json("account/me", &[]).await.is_null());
    let (_, headers, _) = app.new_client().call("account/login", &[("email", email), ("password", "nouveau-mot-de-passe"), ("next", "/")]).await;
    assert!(headers.get(header::LOCATION).is_none(), "the invitation replaced the password");

    // Proven by its owner: the invitation changes no password and sends to the log-in.
    confirm(&mut attacker, email).await;
    let view = app.new_client().json("invitation/get", &[("token", &first)]).await;
    assert_eq!(view["account"], "Existing");
    let (_, page) = app.new_client().get(&format!("/invitation/{first}")).await;
    assert!(page.contains("un compte existe déjà") && !page.contains("Créer mon mot de passe"), "{page}");
    let (status, headers, body) =
        holder.call("invitation/accept", &[("token", &first), ("password", "nouveau-mot-de-passe"), ("password_confirm", "nouveau-mot-de-passe")]).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/connexion?next=/espaces"));
    assert!(holder.json("account/me", &[]).await.is_null(), "logged in without the password");
    let (_, headers, _) = app.new_client().call("account/login", &[("email", email), ("password", "nouveau-mot-de-passe"), ("next", "/")]).await;
    assert!(headers.get(header::LOCATION).is_none(), "the invitation replaced the password");
    app.new_client().log_in(email).await;
    // Without a password field at all, the same.
    let (status, headers, _) = holder.call("invitation/accept", &[("token", &second)]).await;
    assert!(status.is_success());
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/connexion?next=/espaces"));
    app.new_client().log_in(email).await;
}

#[tokio::test]
async fn accepting_an_invitation_proves_the_address() {
    let app = TestApp::spawn().await;
    let mut alice = app.new_client();
    alice.sign_up("Alice", "Admin", "alice@cabinet-id.fr").await;
    let inviter = alice.json("account/me", &[]).await["id"].as_i64().unwrap();
    let token = app::server::invitations::create(app.db(), "zoe@cabinet-id.fr", "Zoé", "Gris", None, inviter).await.unwrap();
    let mut zoe = app.new_client();
    let (_, headers, _) =
        zoe.call("invitation/accept", &[("token", &token), ("password", "un-mot-de-passe"), ("password_confirm", "un-mot-de-passe")]).await;
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/espaces"));
    assert!(confirmed_at(&app, "zoe@cabinet-id.fr").await.is_some());
    let (_, page) = zoe.get("/espaces").await;
    assert!(!page.contains("Confirmez votre adresse e-mail"));
}

/// The one way to look up what is granted to the caller's address is the proven one:
/// every such lookup takes a `ProvenEmail`, which only `CurrentUser::proven_email`
/// makes, and the rights helper never reads the raw address.
#[test]
fn lookups_by_the_callers_address_take_a_proven_one() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let read = |f: &str| std::fs::read_to_string(src.join(f)).unwrap();
    let lookups = [
        ("server/companies.rs", "pub async fn access("),
        ("server/companies.rs", "pub async fn of_user("),
        ("server/delegations.rs", "pub async fn companies_for("),
        ("server/provider.rs", "pub async fn of_staff("),
        ("server/registrations.rs", "pub async fn of_participant("),
        ("server/surveys.rs", "pub async fn for_participant("),
        ("server/surveys.rs", "pub async fn pending_for("),
        ("server/documents.rs", "pub fn names_participant("),
        ("server/second_factor.rs", "pub async fn required_for("),
    ];
    for (file, signature) in lookups {
        let text = read(file);
        let at = text.find(signature).unwrap_or_else(|| panic!("{file}: {signature} is gone; keep this list up to date"));
        let params = &text[at..at + text[at..].find(')').unwrap()];
        assert!(params.contains("ProvenEmail<'_>"), "{file}: {signature} must take a ProvenEmail, not a raw address");
    }
    let auth = read("auth/server.rs");
    for line in auth.lines().filter(|l| !l.trim_start().starts_with("//")) {
        assert!(!line.contains(".email()") && !line.contains(".email."), "auth/server.rs reads the raw address: {line}");
    }
    for line in read("api/spaces.rs").lines() {
        assert!(!line.contains(".email()"), "api/spaces.rs looks up by the raw address: {line}");
    }
    // Only the domain type makes a proven address.
    let account = read("domain/account.rs");
    assert!(account.contains("pub struct ProvenEmail<'a>(&'a str);"), "ProvenEmail's field must stay private");
}
