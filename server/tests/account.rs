//! "Mot de passe oublié", "Mon compte" and the limits of sessions, tried as an attacker
//! would: through the real router, on SQLite or PostgreSQL.

mod common;

use app::server::db::now;
use app::server::sessions::hash_token;
use app::server::tokens::{self, Purpose};
use axum::http::{header, StatusCode};
use common::TestApp;
use serde_json::Value;

const PASSWORD: &str = "mot-de-passe-solide";
const NEW_PASSWORD: &str = "un-tout-nouveau-secret";
const RESET_SUBJECT: &str = "Choisir un nouveau mot de passe";
const CHROME_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

async fn outbox_to(app: &TestApp, email: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE to_addr = $1 ORDER BY created_at, id")
        .bind(email)
        .fetch_all(app.db())
        .await
        .unwrap()
}

/// The tokens of the links `{public_url}{prefix}<token>` mailed to `email`.
async fn links(app: &TestApp, email: &str, prefix: &str) -> Vec<String> {
    let marker = format!("{}{prefix}", app.state.config.public_url);
    let mut out = Vec::new();
    for (_, body) in outbox_to(app, email).await {
        for part in body.split(&marker).skip(1) {
            let token: String = part.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
            assert_eq!(token.len(), 64, "{body}");
            out.push(token);
        }
    }
    out
}

/// The one link mailed to `email` that is not in `known`.
async fn new_link(app: &TestApp, email: &str, prefix: &str, known: &[&str]) -> String {
    let fresh: Vec<String> = links(app, email, prefix).await.into_iter().filter(|t| !known.contains(&t.as_str())).collect();
    assert_eq!(fresh.len(), 1, "one new {prefix} link to {email}: {fresh:?}");
    fresh.into_iter().next().unwrap()
}

async fn me(c: &mut TestApp) -> Value {
    c.json("account/me", &[]).await
}

async fn try_log_in(c: &mut TestApp, email: &str, password: &str) -> bool {
    let (status, headers, _) = c.call("account/login", &[("email", email), ("password", password), ("next", "/espaces")]).await;
    assert!(status.is_success());
    headers.get(header::LOCATION).is_some()
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(app.db()).await.unwrap();
    id
}

async fn session_count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM auth_sessions").fetch_one(app.db()).await.unwrap();
    n
}

fn cookie_hash(c: &TestApp) -> String {
    hash_token(c.session_cookie().expect("a session cookie"))
}

async fn ask_reset(c: &mut TestApp, email: &str) -> (StatusCode, Value, std::time::Duration) {
    let started = std::time::Instant::now();
    let (status, _, body) = c.call("account/recovery", &[("email", email)]).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null), started.elapsed())
}

#[tokio::test]
async fn recovery_answers_alike_for_known_and_unknown_addresses_and_mails_only_the_known() {
    let mut marie = TestApp::spawn().await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-r.fr").await;
    let mut visitor = marie.new_client();
    let (s1, known, t1) = ask_reset(&mut visitor, "Marie@Cabinet-R.fr").await;
    let (s2, unknown, t2) = ask_reset(&mut visitor, "personne@cabinet-r.fr").await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(known["notice"], unknown["notice"]);
    assert_eq!(known["errors"], unknown["errors"]);
    assert!(known["notice"].as_str().unwrap().starts_with("Si un compte existe pour cette adresse, vous recevrez un lien"));
    // Both wait for the same floor: the time tells nothing of who has an account.
    let floor = std::time::Duration::from_millis(300);
    assert!(t1 >= floor && t2 >= floor, "{t1:?} {t2:?}");

    let resets = outbox_to(&marie, "marie@cabinet-r.fr").await.into_iter().filter(|(s, _)| s == RESET_SUBJECT).count();
    assert_eq!(resets, 1, "the known address gets one link");
    assert!(outbox_to(&marie, "personne@cabinet-r.fr").await.is_empty(), "nothing goes to an unknown address");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM account_tokens WHERE purpose = 'reset'").fetch_one(marie.db()).await.unwrap();
    assert_eq!(n, 1);
    let (created, expires): (i64, i64) =
        sqlx::query_as("SELECT created_at, expires_at FROM account_tokens WHERE purpose = 'reset'").fetch_one(marie.db()).await.unwrap();
    assert_eq!(expires - created, 3600, "a reset link lasts one hour");

    // Without JavaScript: the form posts, the browser comes back to the page, which says it.
    let mut plain = marie.new_client();
    let (status, _) = plain.get("/connexion").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = plain.post_form("account/recovery", &[("email", "personne@cabinet-r.fr")], "/mot-de-passe-oublie").await;
    assert!(status.is_redirection() || status.is_success(), "{status}");
    let (_, page) = plain.get("/mot-de-passe-oublie").await;
    assert!(page.contains("Si un compte existe pour cette adresse"), "{page}");
    // A malformed address is told as such, for anybody.
    let (_, bad, _) = ask_reset(&mut visitor, "pas-une-adresse").await;
    assert!(bad["errors"]["email"].is_string() && bad["notice"].is_null(), "{bad}");
}

#[tokio::test]
async fn the_login_page_offers_recovery() {
    let mut app = TestApp::spawn().await;
    let (_, page) = app.get("/connexion").await;
    assert!(page.contains("href=\"/mot-de-passe-oublie\"") && page.contains("Mot de passe oublié ?"));
    let (status, page) = app.get("/mot-de-passe-oublie").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Adresse e-mail"));
}

#[tokio::test]
async fn a_reset_link_works_once_ends_every_session_and_logs_in() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-s.fr").await;
    let mut b = a.new_client();
    b.log_in("marie@cabinet-s.fr").await;
    // A locked-out owner: failed log-ins recorded for the address.
    for _ in 0..3 {
        sqlx::query("INSERT INTO login_failures (email, failed_at) VALUES ($1, $2)").bind("marie@cabinet-s.fr").bind(now()).execute(a.db()).await.unwrap();
    }
    sqlx::query("UPDATE users SET email_confirmed_at = NULL").execute(a.db()).await.unwrap();

    let mut c = a.new_client();
    ask_reset(&mut c, "marie@cabinet-s.fr").await;
    let older = new_link(&a, "marie@cabinet-s.fr", "/nouveau-mot-de-passe/", &[]).await;
    ask_reset(&mut c, "marie@cabinet-s.fr").await;
    let token = new_link(&a, "marie@cabinet-s.fr", "/nouveau-mot-de-passe/", &[&older]).await;
    assert_ne!(older, token);

    let (status, page) = c.get(&format!("/nouveau-mot-de-passe/{token}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Choisir un nouveau mot de passe") && page.contains("marie@cabinet-s.fr"), "{page}");

    // A refused password uses nothing up.
    let errors = c.json("account/reset", &[("token", &token), ("password", NEW_PASSWORD), ("password_confirm", "autre-chose-encore")]).await;
    assert!(errors["password_confirm"].is_string(), "{errors}");
    let (status, headers, body) =
        c.call("account/reset", &[("token", &token), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/espaces");
    assert_eq!(me(&mut c).await["email"], "marie@cabinet-s.fr", "this browser is logged in");

    assert!(me(&mut a).await.is_null(), "the first session is over");
    assert!(me(&mut b).await.is_null(), "the second session is over");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM auth_sessions WHERE user_id IS NOT NULL").fetch_one(a.db()).await.unwrap();
    assert_eq!(n, 1, "only the new session is left");

    // Once only; and the older link is used up too.
    for t in [&token, &older] {
        let (status, _, _) = c.call("account/reset", &[("token", t), ("password", "encore-un-autre-1"), ("password_confirm", "encore-un-autre-1")]).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (_, page) = c.get(&format!("/nouveau-mot-de-passe/{t}")).await;
        assert!(page.contains("Ce lien a déjà servi ou a expiré"));
    }
    let mut d = a.new_client();
    assert!(!try_log_in(&mut d, "marie@cabinet-s.fr", PASSWORD).await, "the old password is gone");
    assert!(try_log_in(&mut d, "marie@cabinet-s.fr", NEW_PASSWORD).await);

    let (confirmed,): (Option<i64>,) =
        sqlx::query_as("SELECT email_confirmed_at FROM users WHERE email = 'marie@cabinet-s.fr'").fetch_one(a.db()).await.unwrap();
    assert!(confirmed.is_some(), "the mailbox answered: the address is proven");
    let (failures,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE email = 'marie@cabinet-s.fr'").fetch_one(a.db()).await.unwrap();
    assert_eq!(failures, 0, "the failed log-ins are forgotten");
}

#[tokio::test]
async fn a_reset_without_javascript_keeps_the_errors_and_logs_in() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-nojs.fr").await;
    let mut c = a.new_client();
    ask_reset(&mut c, "marie@cabinet-nojs.fr").await;
    let token = new_link(&a, "marie@cabinet-nojs.fr", "/nouveau-mot-de-passe/", &[]).await;
    let page_path = format!("/nouveau-mot-de-passe/{token}");
    c.post_form("account/reset", &[("token", &token), ("password", "court"), ("password_confirm", "court")], &page_path).await;
    let (_, page) = c.get(&page_path).await;
    assert!(page.contains("Le mot de passe doit compter au moins 10 caractères."), "{page}");
    let (status, headers, _) =
        c.post_form("account/reset", &[("token", &token), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)], &page_path).await;
    assert!(status.is_redirection(), "{status}");
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/espaces");
    assert_eq!(me(&mut c).await["email"], "marie@cabinet-nojs.fr");
}

#[tokio::test]
async fn reset_links_expire_after_an_hour_and_serve_no_other_purpose() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-t.fr").await;
    let id = user_id(&a, "marie@cabinet-t.fr").await;
    let mut c = a.new_client();
    let new_password = [("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];

    // Expired: an hour and a second later.
    ask_reset(&mut c, "marie@cabinet-t.fr").await;
    let token = new_link(&a, "marie@cabinet-t.fr", "/nouveau-mot-de-passe/", &[]).await;
    sqlx::query("UPDATE account_tokens SET expires_at = $1").bind(now() - 1).execute(a.db()).await.unwrap();
    let (status, _, _) = c.call("account/reset", &[("token", &token), new_password[0], new_password[1]]).await;
    assert_eq!(status, StatusCode::CONFLICT, "an expired link is refused");
    let (_, page) = c.get(&format!("/nouveau-mot-de-passe/{token}")).await;
    assert!(page.contains("Ce lien a déjà servi ou a expiré"));

    // A link of another purpose (confirmation, change of address) does not reset.
    for purpose in [Purpose::Confirm, Purpose::ChangeEmail] {
        let other = tokens::issue(a.db(), id, purpose, "marie@cabinet-t.fr").await.unwrap();
        let (status, _, _) = c.call("account/reset", &[("token", &other), new_password[0], new_password[1]]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{purpose:?}");
        assert!(c.json("account/reset/get", &[("token", &other)]).await.is_null());
    }
    // And a reset link does not change an address.
    ask_reset(&mut c, "marie@cabinet-t.fr").await;
    let fresh = new_link(&a, "marie@cabinet-t.fr", "/nouveau-mot-de-passe/", &[&token]).await;
    let (status, _, _) = a.call("account/email/confirm", &[("token", &fresh)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(try_log_in(&mut c, "marie@cabinet-t.fr", PASSWORD).await, "nothing changed");
    // A link sent before the account changed its address no longer speaks for it.
    sqlx::query("UPDATE users SET email = 'marie.nouvelle@cabinet-t.fr' WHERE id = $1").bind(id).execute(a.db()).await.unwrap();
    let (status, _, _) = c.call("account/reset", &[("token", &fresh), new_password[0], new_password[1]]).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn malformed_tokens_give_a_safe_page() {
    let mut app = TestApp::spawn().await;
    app.sign_up("Marie", "Durand", "marie@cabinet-u.fr").await;
    let mut visitor = app.new_client();
    let long = "a".repeat(5000);
    let paths = ["x", "%FF%FE%00", &"0".repeat(64), &"g".repeat(64), "..%2F..%2Fetc", "%0Aa", "%09%2F%2Fevil.example", &"%C3%A9".repeat(32), &long];
    for p in paths {
        for page in ["/nouveau-mot-de-passe/", "/changer-adresse/"] {
            for c in [&mut visitor, &mut app] {
                let (status, body) = c.get(&format!("{page}{p}")).await;
                assert!(status == StatusCode::OK || status == StatusCode::FOUND || status == StatusCode::NOT_FOUND, "{page}{p}: {status}");
                assert!(!body.contains("panicked"), "{page}{p}");
            }
        }
    }
    let (status, page) = visitor.get("/nouveau-mot-de-passe/%FF%FE%00").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Ce lien a déjà servi ou a expiré"));
    // The same texts, and raw bytes, posted to the functions.
    let weird = ["", "x", "\u{0}", "é", &"0".repeat(64), &"é".repeat(64), &long];
    for t in weird {
        let (status, _, _) = visitor.call("account/reset", &[("token", t), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{t:?}");
        let (status, _, _) = app.call("account/email/confirm", &[("token", t)]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{t:?}");
    }
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/account/reset")
        .header(header::HOST, common::HOST)
        .header(header::ORIGIN, visitor.origin())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(axum::body::Body::from(&b"token=%FF%FE\xff\x00&password=\xc3&password_confirm=x"[..]))
        .unwrap();
    // Undecodable bytes never reach the function: server_fn refuses the body itself
    // (with a 500 for every server function) and answers its safe, French transport error.
    let (status, _, body) = visitor.raw(req).await;
    assert!(!status.is_success(), "{status}");
    assert!(body.contains("Transport") && !body.contains("panicked"), "{body}");
    assert!(try_log_in(&mut visitor, "marie@cabinet-u.fr", PASSWORD).await, "nothing changed");
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_ends_only_the_other_sessions() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-v.fr").await;
    let mut b = a.new_client();
    b.log_in("marie@cabinet-v.fr").await;

    a.json("account/profile/password", &[("current_password", "pas-le-bon-mot"), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)])
        .await;
    let page = a.json("account/profile", &[]).await;
    assert_eq!(page["password"]["errors"]["current_password"], "Le mot de passe actuel est incorrect.");
    assert_eq!(me(&mut b).await["email"], "marie@cabinet-v.fr", "a refused change ends nothing");
    let mut check = a.new_client();
    assert!(!try_log_in(&mut check, "marie@cabinet-v.fr", NEW_PASSWORD).await);

    a.json("account/profile/password", &[("current_password", PASSWORD), ("password", "court"), ("password_confirm", "court")]).await;
    let page = a.json("account/profile", &[]).await;
    assert!(page["password"]["errors"]["password"].is_string(), "{page}");

    a.json("account/profile/password", &[("current_password", PASSWORD), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)]).await;
    let page = a.json("account/profile", &[]).await;
    assert!(page["password"]["notice"].as_str().unwrap().starts_with("Votre mot de passe est changé"), "{page}");
    assert_eq!(me(&mut a).await["email"], "marie@cabinet-v.fr", "this session stays");
    assert!(me(&mut b).await.is_null(), "the other session is over");
    assert!(!try_log_in(&mut check, "marie@cabinet-v.fr", PASSWORD).await);
    assert!(try_log_in(&mut check, "marie@cabinet-v.fr", NEW_PASSWORD).await);
}

#[tokio::test]
async fn sessions_end_after_an_idle_hour_and_twelve_hours_in_all() {
    let mut a = TestApp::spawn().await;
    a.sign_up("Marie", "Durand", "marie@cabinet-w.fr").await;
    let hash = cookie_hash(&a);
    let (created, expires): (i64, i64) =
        sqlx::query_as("SELECT created_at, expires_at FROM auth_sessions WHERE token_hash = $1").bind(&hash).fetch_one(a.db()).await.unwrap();
    assert_eq!(expires - created, 12 * 3600);
    let db = a.db().clone();
    let set_seen = |secs_ago: i64| {
        let db = db.clone();
        let hash = hash.clone();
        async move {
            sqlx::query("UPDATE auth_sessions SET last_seen_at = $1 WHERE token_hash = $2").bind(now() - secs_ago).bind(&hash).execute(&db).await.unwrap();
        }
    };
    let seen = || {
        let db = db.clone();
        let hash = hash.clone();
        async move {
            let (t,): (i64,) = sqlx::query_as("SELECT last_seen_at FROM auth_sessions WHERE token_hash = $1").bind(&hash).fetch_one(&db).await.unwrap();
            t
        }
    };

    // Used 30 seconds ago: still good, not written again.
    set_seen(30).await;
    let before = seen().await;
    assert_eq!(me(&mut a).await["email"], "marie@cabinet-w.fr");
    assert_eq!(seen().await, before, "renewed at most once a minute");

    // Used 59 minutes ago: still good, and renewed (the cookie too).
    set_seen(59 * 60).await;
    let (status, headers, body) = a.call("account/me", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("marie@cabinet-w.fr"));
    assert!(seen().await >= now() - 5, "renewed by use");
    let cookie = headers.get(header::SET_COOKIE).expect("the cookie follows").to_str().unwrap();
    assert!(cookie.contains("Max-Age=3600"), "{cookie}");

    // Idle 61 minutes: over.
    set_seen(61 * 60).await;
    assert!(me(&mut a).await.is_null(), "an idle session is refused");
    let (status, _) = a.get("/mon-compte").await;
    assert_eq!(status, StatusCode::FOUND, "sent to the log-in");

    // Twelve hours after the log-in, however recently used: over.
    let mut b = a.new_client();
    b.log_in("marie@cabinet-w.fr").await;
    let hash_b = cookie_hash(&b);
    sqlx::query("UPDATE auth_sessions SET created_at = $1, expires_at = $2 WHERE token_hash = $3")
        .bind(now() - 12 * 3600 - 1)
        .bind(now() - 1)
        .bind(&hash_b)
        .execute(a.db())
        .await
        .unwrap();
    assert!(me(&mut b).await.is_null(), "the absolute limit holds");
    // Near the end, the cookie lives only as long as the session.
    let mut c = a.new_client();
    c.log_in("marie@cabinet-w.fr").await;
    sqlx::query("UPDATE auth_sessions SET expires_at = $1, last_seen_at = $2 WHERE token_hash = $3")
        .bind(now() + 600)
        .bind(now() - 120)
        .bind(cookie_hash(&c))
        .execute(a.db())
        .await
        .unwrap();
    let (_, headers, _) = c.call("account/me", &[]).await;
    let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    let max_age: i64 = cookie.split("Max-Age=").nth(1).unwrap().split(';').next().unwrap().parse().unwrap();
    assert!((590..=600).contains(&max_age), "{cookie}");

    // The purge deletes what is over, with its drafts, and the expired links.
    sqlx::query("INSERT INTO form_drafts (session_hash, form, data, updated_at) VALUES ($1, 'x', '{}', 0)").bind(&hash).execute(a.db()).await.unwrap();
    let id = user_id(&a, "marie@cabinet-w.fr").await;
    tokens::issue(a.db(), id, Purpose::Reset, "marie@cabinet-w.fr").await.unwrap();
    sqlx::query("UPDATE account_tokens SET expires_at = $1").bind(now() - 2 * 24 * 3600).execute(a.db()).await.unwrap();
    server::purge_sessions_and_links(a.db()).await;
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM auth_sessions").fetch_one(a.db()).await.unwrap();
    assert_eq!(left, 1, "only the live session stays");
    let (drafts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM form_drafts WHERE session_hash = $1").bind(&hash).fetch_one(a.db()).await.unwrap();
    assert_eq!(drafts, 0);
    let (links,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM account_tokens").fetch_one(a.db()).await.unwrap();
    assert_eq!(links, 0);
    assert_eq!(me(&mut c).await["email"], "marie@cabinet-w.fr");
}

#[tokio::test]
async fn an_address_changes_through_its_link_and_the_old_one_is_told() {
    let mut marie = TestApp::spawn().await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-x.fr").await;
    let mut jean = marie.new_client();
    jean.sign_up("Jean", "Dupont", "jean@cabinet-x.fr").await;

    // The current password is needed.
    marie.json("account/profile/email", &[("current_password", "pas-le-bon-mot"), ("new_email", "marie.durand@nouveau-x.fr")]).await;
    let page = marie.json("account/profile", &[]).await;
    assert_eq!(page["email_form"]["errors"]["current_password"], "Le mot de passe actuel est incorrect.");
    assert_eq!(page["email_form"]["values"]["new_email"], "marie.durand@nouveau-x.fr", "what was typed stays");
    assert!(outbox_to(&marie, "marie.durand@nouveau-x.fr").await.is_empty());

    marie.json("account/profile/email", &[("current_password", PASSWORD), ("new_email", "Marie.Durand@Nouveau-x.fr")]).await;
    let page = marie.json("account/profile", &[]).await;
    assert!(page["email_form"]["notice"].as_str().unwrap().contains("marie.durand@nouveau-x.fr"), "{page}");
    assert_eq!(page["email"], "marie@cabinet-x.fr", "nothing changes before the link");
    let token = new_link(&marie, "marie.durand@nouveau-x.fr", "/changer-adresse/", &[]).await;
    let (expires, created): (i64, i64) =
        sqlx::query_as("SELECT expires_at, created_at FROM account_tokens WHERE purpose = 'email'").fetch_one(marie.db()).await.unwrap();
    assert_eq!(expires - created, 24 * 3600);

    // Opened by a visitor: sent to the log-in. By another account: worth nothing.
    let mut visitor = marie.new_client();
    let (status, _) = visitor.get(&format!("/changer-adresse/{token}")).await;
    assert_eq!(status, StatusCode::FOUND);
    let (status, _, _) = visitor.call("account/email/confirm", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(jean.json("account/email/get", &[("token", &token)]).await["new_email"].is_null());
    let (status, _, _) = jean.call("account/email/confirm", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(me(&mut jean).await["email"], "jean@cabinet-x.fr");

    // Its owner sees a button (opening the link changes nothing), then confirms.
    let (status, page) = marie.get(&format!("/changer-adresse/{token}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("marie.durand@nouveau-x.fr") && page.contains("Confirmer ma nouvelle adresse"), "{page}");
    assert_eq!(me(&mut marie).await["email"], "marie@cabinet-x.fr");
    let (status, headers, _) = marie.call("account/email/confirm", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/mon-compte");
    assert_eq!(me(&mut marie).await["email"], "marie.durand@nouveau-x.fr");
    let (confirmed,): (Option<i64>,) =
        sqlx::query_as("SELECT email_confirmed_at FROM users WHERE email = 'marie.durand@nouveau-x.fr'").fetch_one(marie.db()).await.unwrap();
    assert!(confirmed.is_some(), "the new address is proven");
    let told = outbox_to(&marie, "marie@cabinet-x.fr").await;
    assert!(told.iter().any(|(s, b)| s == "L'adresse de votre compte a changé" && b.contains("marie.durand@nouveau-x.fr")), "{told:?}");
    let (status, _, _) = marie.call("account/email/confirm", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "once only");
    let mut check = marie.new_client();
    assert!(!try_log_in(&mut check, "marie@cabinet-x.fr", PASSWORD).await);
    assert!(try_log_in(&mut check, "marie.durand@nouveau-x.fr", PASSWORD).await);
}

#[tokio::test]
async fn an_address_taken_meanwhile_is_refused_and_a_taken_one_is_not_revealed() {
    let mut marie = TestApp::spawn().await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-y.fr").await;
    marie.json("account/profile/email", &[("current_password", PASSWORD), ("new_email", "libre@cabinet-y.fr")]).await;
    let token = new_link(&marie, "libre@cabinet-y.fr", "/changer-adresse/", &[]).await;
    let mut other = marie.new_client();
    other.sign_up("Léa", "Petit", "libre@cabinet-y.fr").await;
    let (status, _, body) = marie.call("account/email/confirm", &[("token", &token)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("autre compte"));
    assert_eq!(me(&mut marie).await["email"], "marie@cabinet-y.fr");
    assert_eq!(me(&mut other).await["email"], "libre@cabinet-y.fr");

    // Asking for an address that has an account answers as for a free one; its owner
    // is told, and no link is made.
    let before: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM account_tokens").fetch_one(marie.db()).await.unwrap();
    marie.json("account/profile/email", &[("current_password", PASSWORD), ("new_email", "libre@cabinet-y.fr")]).await;
    let taken = marie.json("account/profile", &[]).await["email_form"].clone();
    marie.json("account/profile/email", &[("current_password", PASSWORD), ("new_email", "vraiment-libre@cabinet-y.fr")]).await;
    let free = marie.json("account/profile", &[]).await["email_form"].clone();
    assert_eq!(
        taken["notice"].as_str().unwrap().replace("libre@cabinet-y.fr", "X"),
        free["notice"].as_str().unwrap().replace("vraiment-libre@cabinet-y.fr", "X")
    );
    let after: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM account_tokens").fetch_one(marie.db()).await.unwrap();
    assert_eq!(after.0, before.0 + 1, "a link for the free address only");
    let mails = outbox_to(&marie, "libre@cabinet-y.fr").await;
    let told: Vec<_> = mails.iter().filter(|(s, _)| s == "Votre adresse sur l'Espace Entreprise").collect();
    assert_eq!(told.len(), 1, "the owner is told: {mails:?}");
    assert!(!told[0].1.contains("/changer-adresse/"), "without a link");
    assert_eq!(links(&marie, "libre@cabinet-y.fr", "/changer-adresse/").await.len(), 1, "only the first, older link");
}

#[tokio::test]
async fn my_details_change_but_not_my_address() {
    let mut marie = TestApp::spawn().await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-z.fr").await;
    let page = marie.json("account/profile", &[]).await;
    assert_eq!(page["details"]["values"]["city"], "Paris");
    let form = |city: &'static str, postal: &'static str| {
        vec![
            ("form[civility]", "mme"),
            ("form[first_name]", "Marie-Anne"),
            ("form[last_name]", "Durand"),
            ("form[email]", "pirate@cabinet-z.fr"),
            ("form[phone]", "06 12 34 56 78"),
            ("form[profession]", "cac"),
            ("form[professional_number]", "CNCC-42"),
            ("form[address_line]", "8 quai du Port"),
            ("form[postal_code]", postal),
            ("form[city]", city),
        ]
    };
    marie.json("account/profile/details", &form("Marseille", "130")).await;
    let page = marie.json("account/profile", &[]).await;
    assert_eq!(page["details"]["errors"]["postal_code"], "Le code postal compte 5 chiffres.");
    assert_eq!(page["details"]["values"]["city"], "Marseille", "what was typed stays");
    let (city,): (String,) = sqlx::query_as("SELECT city FROM users WHERE email = 'marie@cabinet-z.fr'").fetch_one(marie.db()).await.unwrap();
    assert_eq!(city, "Paris");

    marie.json("account/profile/details", &form("Marseille", "13002")).await;
    let page = marie.json("account/profile", &[]).await;
    assert_eq!(page["details"]["notice"], "Vos informations sont enregistrées.");
    assert_eq!(page["details"]["values"]["first_name"], "Marie-Anne");
    assert_eq!(page["details"]["values"]["phone"], "0612345678");
    let me_now = me(&mut marie).await;
    assert_eq!((me_now["email"].as_str(), me_now["first_name"].as_str()), (Some("marie@cabinet-z.fr"), Some("Marie-Anne")));

    // A visitor has no account page.
    let mut visitor = marie.new_client();
    let (status, _, _) = visitor.call("account/profile/details", &form("Lyon", "69001")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = visitor.call("account/profile", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The page, and the header's account menu.
    let (status, html) = marie.get("/mon-compte").await;
    assert_eq!(status, StatusCode::OK);
    for text in ["Mes informations", "Mes sessions ouvertes", "Accéder à mes Espaces", "Se déconnecter", "href=\"/mon-compte\""] {
        assert!(html.contains(text), "{text}");
    }
}

#[tokio::test]
async fn i_end_my_own_sessions_and_nobody_else_s() {
    let mut a = TestApp::spawn().await;
    a.user_agent = Some(CHROME_LINUX.into());
    a.sign_up("Marie", "Durand", "marie@cabinet-aa.fr").await;
    let mut b = a.new_client();
    b.user_agent = Some(FIREFOX_WINDOWS.into());
    b.log_in("marie@cabinet-aa.fr").await;
    let mut jean = a.new_client();
    jean.sign_up("Jean", "Dupont", "jean@cabinet-aa.fr").await;

    let page = a.json("account/profile", &[]).await;
    let sessions = page["sessions"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), 2, "{page}");
    let mine = sessions.iter().find(|s| s["current"] == true).unwrap();
    let other = sessions.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(mine["device"], "Chrome sur Linux");
    assert_eq!(other["device"], "Firefox sur Windows");
    let other_id = other["id"].as_str().unwrap().to_string();
    assert!(!other_id.is_empty() && other_id != cookie_hash(&b) && !cookie_hash(&b).contains(&other_id), "the page never shows a stored hash");
    let (_, html) = a.get("/mon-compte").await;
    assert!(html.contains("cette session") && html.contains("Firefox sur Windows") && html.contains("Terminer"));

    // Jean posts Marie's session id, and junk: nothing happens.
    for id in [other_id.as_str(), "", "x", &cookie_hash(&b)] {
        let (status, _, _) = jean.call("account/sessions/end", &[("id", id)]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id}");
    }
    assert_eq!(me(&mut b).await["email"], "marie@cabinet-aa.fr");
    assert_eq!(me(&mut jean).await["email"], "jean@cabinet-aa.fr");

    // Marie ends her other session.
    a.json("account/sessions/end", &[("id", &other_id)]).await;
    assert!(me(&mut b).await.is_null());
    let page = a.json("account/profile", &[]).await;
    assert_eq!(page["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(page["sessions_notice"], "La session est terminée.");
    // And her own: she is logged out.
    let own = page["sessions"][0]["id"].as_str().unwrap().to_string();
    let (status, headers, _) = a.call("account/sessions/end", &[("id", &own)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/");
    assert!(me(&mut a).await.is_null());
    assert_eq!(me(&mut jean).await["email"], "jean@cabinet-aa.fr");
}

#[tokio::test]
async fn anonymous_visits_create_no_session() {
    let mut app = TestApp::spawn().await;
    let (training,): (i64,) = sqlx::query_as("SELECT id FROM trainings ORDER BY id LIMIT 1").fetch_one(app.db()).await.unwrap();
    let training_page = format!("/formations/{training}");
    let token_page = format!("/nouveau-mot-de-passe/{}", "ab".repeat(32));
    let paths = [
        "/",
        "/catalogue",
        "/catalogue?q=audit",
        training_page.as_str(),
        "/connexion",
        "/creer-un-compte",
        "/mot-de-passe-oublie",
        token_page.as_str(),
        "/changer-adresse/x",
        "/mon-compte",
        "/espaces",
        "/inscription",
        "/page-inconnue",
    ];
    for path in paths {
        let req = axum::http::Request::builder().uri(path).header(header::HOST, common::HOST).header(header::ACCEPT, "text/html").body(axum::body::Body::empty()).unwrap();
        let (status, headers, _) = app.raw(req).await;
        assert!(!status.is_server_error(), "{path}: {status}");
        assert!(headers.get(header::SET_COOKIE).is_none(), "{path} sets a cookie");
    }
    for endpoint in ["account/me", "account/flash", "account/login-state", "account/signup-state", "account/recovery/state"] {
        app.call(endpoint, &[]).await;
    }
    assert_eq!(session_count(&app).await, 0, "no session row for a visitor who posted nothing");
    // A visitor who posts a form that needs a draft gets one.
    let (status, headers, _) = app.call("wizard/start", &[("session_id", "1")]).await;
    assert!(status.is_success() && headers.get(header::SET_COOKIE).is_some());
    assert_eq!(session_count(&app).await, 1);
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_and_host_prefixed() {
    let mut app = TestApp::spawn_https().await;
    let (status, headers, body) = app
        .call(
            "account/signup",
            &[
                ("form[civility]", "mme"),
                ("form[first_name]", "Marie"),
                ("form[last_name]", "Durand"),
                ("form[email]", "marie@cabinet-https.fr"),
                ("form[phone]", "0123456789"),
                ("form[profession]", "autre"),
                ("form[professional_number]", ""),
                ("form[address_line]", "1 rue de la Paix"),
                ("form[postal_code]", "75002"),
                ("form[city]", "Paris"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("next", "/espaces"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(headers.get(header::SET_COOKIE).is_some(), "the visitor's session keeps where to go next");
    // The confirmation link logs in: a new session, under the https name.
    let token = app.confirmation_token("marie@cabinet-https.fr").await.expect("a confirmation link");
    let (status, headers, body) = app.call("account/confirm", &[("token", token.as_str())]).await;
    assert!(status.is_success(), "{status} {body}");
    let cookies: Vec<&str> = headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
    let cookie = cookies.last().expect("a session cookie");
    assert!(cookie.starts_with("__Host-ee_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/;") && cookie.contains("HttpOnly"), "{cookie}");
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
    assert_eq!(me(&mut app).await["email"], "marie@cabinet-https.fr");

    // The same token under the plain name is not read over https.
    let token = app.session_cookie().unwrap().to_string();
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/account/me")
        .header(header::HOST, common::HOST)
        .header(header::ORIGIN, app.origin())
        .header(header::COOKIE, format!("ee_session={token}"))
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, _, body) = app.raw(req).await;
    assert_eq!(body.trim(), "null", "{body}");

    // Over http the cookie has neither.
    let mut plain = TestApp::spawn().await;
    let (_, headers, _) = plain.call("wizard/start", &[("session_id", "1")]).await;
    let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with("ee_session=") && !cookie.contains("Secure"), "{cookie}");
}
