//! The second factor (issue 9, point 5): TOTP with recovery codes, required of provider
//! staff and, when the company says so, of its administrators and billing managers.

mod common;

use app::server::db::now;
use axum::http::{header, StatusCode};
use common::{siret, totp_code, TestApp};

fn location(headers: &axum::http::HeaderMap) -> Option<String> {
    headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_string())
}

/// A fresh browser that types the password of `email`: where it is sent.
async fn password_step(app: &TestApp, email: &str) -> (TestApp, Option<String>) {
    let mut c = app.new_client();
    let (status, headers, _) =
        c.call("account/login", &[("email", email), ("password", "mot-de-passe-solide"), ("next", "/espaces")]).await;
    assert!(status.is_success());
    (c, location(&headers))
}

#[tokio::test]
async fn set_up_then_log_in_with_a_code_and_with_a_recovery_code() {
    let mut app = TestApp::spawn().await;
    app.sign_up("Marie", "Durand", "marie@cabinet-2f.fr").await;
    app.json("account/second-factor/begin", &[]).await;
    let v = app.json("account/second-factor", &[]).await;
    let secret = v["pending_secret"].as_str().unwrap().to_string();
    assert!(v["pending_url"].as_str().unwrap().starts_with("otpauth://totp/"), "{v}");
    assert_eq!(v["enabled"], false);
    // A wrong code does not turn it on.
    let (status, _, _) = app.call("account/second-factor/confirm", &[("code", "000000")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.json("account/second-factor", &[]).await["enabled"], false);
    // The app's code does; ten recovery codes are shown once.
    let code = totp_code(&secret, now());
    app.json("account/second-factor/confirm", &[("code", code.as_str())]).await;
    let v = app.json("account/second-factor", &[]).await;
    assert_eq!(v["enabled"], true);
    let codes: Vec<String> = v["fresh_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 10);
    assert!(app.json("account/second-factor", &[]).await["fresh_codes"].as_array().unwrap().is_empty(), "shown once");
    let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM recovery_codes WHERE code_hash = $1")
        .bind(codes[0].replace('-', ""))
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(stored, 0, "codes are stored hashed");

    // The password alone no longer logs in: it leads to the code step.
    let (mut b, to) = password_step(&app, "marie@cabinet-2f.fr").await;
    assert_eq!(to.as_deref(), Some("/connexion/code"));
    let (status, _, _) = b.call("spaces/mine", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "not logged in before the code");
    // The code used to set it up is used: the next time step's code logs in.
    let (status, _, _) = b.call("account/login-code", &[("code", code.as_str())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a code is accepted once");
    let next = totp_code(&secret, now() + 30);
    let (status, headers, body) = b.call("account/login-code", &[("code", next.as_str())]).await;
    assert!(status.is_success(), "{status} {body}");
    assert_eq!(location(&headers).as_deref(), Some("/espaces"));
    b.json("spaces/mine", &[]).await;
    // The same code again, from another browser: refused.
    let (mut c, _) = password_step(&app, "marie@cabinet-2f.fr").await;
    let (status, _, _) = c.call("account/login-code", &[("code", next.as_str())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A recovery code, once.
    let (status, _, _) = c.call("account/login-code", &[("code", codes[3].to_lowercase().as_str())]).await;
    assert!(status.is_success());
    c.json("spaces/mine", &[]).await;
    let (mut d, _) = password_step(&app, "marie@cabinet-2f.fr").await;
    let (status, _, _) = d.call("account/login-code", &[("code", codes[3].as_str())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a recovery code is used up");
    assert_eq!(app.json("account/second-factor", &[]).await["codes_left"], 9);
}

#[tokio::test]
async fn wrong_codes_end_the_attempt_and_no_code_is_asked_without_a_password() {
    let mut app = TestApp::spawn().await;
    app.sign_up("Marie", "Durand", "marie@cabinet-2g.fr").await;
    let secret = app.enable_second_factor().await;
    // Without the password step, a code logs nobody in.
    let mut stranger = app.new_client();
    let good = totp_code(&secret, now() + 30);
    let (status, _, _) = stranger.call("account/login-code", &[("code", good.as_str())]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (mut b, _) = password_step(&app, "marie@cabinet-2g.fr").await;
    for _ in 0..4 {
        let (status, _, _) = b.call("account/login-code", &[("code", "123456")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, _, body) = b.call("account/login-code", &[("code", "123456")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // The right code is now too late: the password must be typed again.
    let (status, _, _) = b.call("account/login-code", &[("code", good.as_str())]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, _) = b.call("spaces/mine", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn provider_staff_must_use_it() {
    let app = TestApp::spawn().await;
    let mut olivier = app.new_client();
    olivier.sign_up("Olivier", "Garnier", "olivier@organisme-2f.fr").await;
    sqlx::query("INSERT INTO provider_staff (email, provider_id, created_at) VALUES ($1, 1, 0)")
        .bind("olivier@organisme-2f.fr")
        .execute(app.db())
        .await
        .unwrap();
    let (status, _, body) = olivier.call("provider/home", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("double authentification"), "{body}");
    let v = olivier.json("account/second-factor", &[]).await;
    assert_eq!(v["required"], true);
    let secret = olivier.enable_second_factor().await;
    olivier.json("provider/home", &[]).await;
    // And it cannot be turned off.
    let code = totp_code(&secret, now() + 30);
    let (status, _, _) = olivier.call("account/second-factor/disable", &[("code", code.as_str())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    olivier.json("provider/home", &[]).await;
}

#[tokio::test]
async fn a_company_requires_it_of_its_administrators_and_billing_managers() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-2h.fr").await;
    let id = admin
        .create_company(
            1,
            &siret(90),
            "restricted",
            &[("bea@cabinet-2h.fr", "Béa", "Compta", &["role_billing"]), ("tom@cabinet-2h.fr", "Tom", "Martin", &["role_training"])],
        )
        .await;
    let cid = id.to_string();
    // Not before the administrator has his own.
    let (status, _, _) = admin.call("company/second-factor", &[("company_id", cid.as_str()), ("required", "on")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    admin.enable_second_factor().await;
    admin.json("company/second-factor", &[("company_id", cid.as_str()), ("required", "on")]).await;
    assert_eq!(admin.json("company/info", &[("company_id", cid.as_str())]).await["data"]["require_second_factor"], true);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE company_id = $1 AND action = 'company.second_factor'")
        .bind(id)
        .fetch_one(admin.db())
        .await
        .unwrap();
    assert_eq!(n, 1);

    let mut bea = admin.new_client();
    bea.sign_up("Béa", "Compta", "bea@cabinet-2h.fr").await;
    let (status, _, body) = bea.call("orders/list", &[("company_id", cid.as_str())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("exige la double authentification"), "{body}");
    let mut tom = admin.new_client();
    tom.sign_up("Tom", "Martin", "tom@cabinet-2h.fr").await;
    tom.json("company/home", &[("company_id", cid.as_str())]).await;
    bea.enable_second_factor().await;
    bea.json("orders/list", &[("company_id", cid.as_str())]).await;
    // Turned off again, the billing manager may turn his own off.
    admin.json("company/second-factor", &[("company_id", cid.as_str())]).await;
    assert_eq!(bea.json("account/second-factor", &[]).await["required"], false);
}
