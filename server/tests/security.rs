//! Cross-cutting guarantees: origin checks, sessions, refusals without data.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{siret, TestApp};

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let mut app = TestApp::spawn().await;
    for origin in [Some("https://evil.example"), None] {
        let mut req = Request::builder()
            .method("POST")
            .uri("/api/account/login")
            .header(header::HOST, common::HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        let (status, _, _) = app.raw(req.body(Body::from("email=a%40b.fr&password=x&next=%2F")).unwrap()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let mut app = TestApp::spawn().await;
    let (_, headers, _) = app.call("wizard/start", &[("session_id", "1")]).await;
    let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let (token_hash_len,): (i64,) = sqlx::query_as("SELECT MAX(LENGTH(token_hash)) FROM auth_sessions").fetch_one(app.db()).await.unwrap();
    assert_eq!(token_hash_len, 64);
}

#[tokio::test]
async fn passwords_are_argon2id_with_the_agreed_parameters() {
    let mut app = TestApp::spawn().await;
    app.sign_up("Marie", "Durand", "marie@cabinet-e.fr").await;
    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE email = 'marie@cabinet-e.fr'").fetch_one(app.db()).await.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
}

#[tokio::test]
async fn logged_out_callers_get_no_private_data() {
    let mut app = TestApp::spawn().await;
    for endpoint in ["spaces/mine"] {
        let (status, _, body) = app.call(endpoint, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}: {body}");
    }
    for (endpoint, form) in [
        ("wizard/structure", vec![("kind", "salarie"), ("mode", "existing"), ("existing_siret", ""), ("company[legal_name]", "")]),
        ("wizard/admin", vec![("op", "next")]),
        ("wizard/participants", vec![("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]),
    ] {
        let (status, _, _) = app.call(endpoint, &form).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    let (status, _) = app.get("/espaces").await;
    assert_eq!(status, StatusCode::FOUND, "the page sends a visitor to the log-in");
}

#[tokio::test]
async fn a_user_sees_nothing_of_another_company() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-f.fr").await;
    a.create_company(1, &siret(5), "restricted", &[]).await;
    a.json("wizard/participants", &[("op", "add"), ("email", "marie@cabinet-f.fr"), ("first_name", ""), ("last_name", "")]).await;
    a.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;

    let mut b = a.new_client();
    b.sign_up("Jean", "Dupont", "jean@cabinet-g.fr").await;
    let spaces = b.json("spaces/mine", &[]).await;
    assert!(spaces["companies"].as_array().unwrap().is_empty());
    assert!(spaces["own_trainings"].as_array().unwrap().is_empty());
    // A forged draft pointing at A's company does not open its directory.
    b.json("wizard/start", &[("session_id", "4")]).await;
    let v = b.wizard("structure").await;
    assert!(v["my_companies"].as_array().unwrap().is_empty());
    assert!(v["directory"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_refused_page_shows_its_message_once() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-k.fr").await;
    let id = a.create_company(1, &siret(70), "restricted", &[("tom@cabinet-k.fr", "Tom", "Martin", &["role_training"])]).await;
    let mut tom = a.new_client();
    tom.sign_up("Tom", "Martin", "tom@cabinet-k.fr").await;
    let (status, page) = tom.get(&format!("/entreprise/{id}/annuaire")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches(">Cette action est réservée aux administrateurs").count(), 1, "one message on the page");
    let (status, next) = tom.get(&format!("/entreprise/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(next.contains("Cabinet Test"), "the next page is the company's home: {next}");
    assert!(!next.contains("Cette action est réservée aux administrateurs"));
}
