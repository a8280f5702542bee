//! Issue 9, as an attacker would try it: guessing passwords (per-account lock-out shared
//! by every instance, the same answer for unknown addresses, the same time), flooding
//! from one address (429), open redirects through `next`, cross-site posts with a
//! forged Host, responses without their security headers, mail floods from one account.

mod common;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use common::{siret, TestApp, HOST};
use std::time::{Duration, Instant};

const PASSWORD: &str = "mot-de-passe-solide";

/// One log-in attempt from a browser of its own (its own address, so that the
/// per-address limit stays out of the way): whether it logged in, and the message.
async fn attempt(app: &TestApp, email: &str, password: &str) -> (bool, String) {
    let mut c = app.new_client();
    let (status, headers, body) = c.call("account/login", &[("email", email), ("password", password), ("next", "/espaces")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let logged_in = headers.get(header::LOCATION).is_some();
    let message = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["errors"]["password"].as_str().map(str::to_string))
        .unwrap_or_default();
    (logged_in, message)
}

async fn account(app: &TestApp, email: &str) {
    let mut c = app.new_client();
    c.sign_up("Marie", "Durand", email).await;
}

async fn failures(app: &TestApp, email: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE email = $1").bind(email).fetch_one(app.db()).await.unwrap();
    n
}

#[tokio::test]
async fn the_sixth_attempt_is_refused_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    account(&app, "marie@cabinet-h1.fr").await;
    for i in 1..=4 {
        let (ok, message) = attempt(&app, "marie@cabinet-h1.fr", &format!("essai-{i}")).await;
        assert!(!ok);
        assert_eq!(message, "Adresse e-mail ou mot de passe incorrect.", "attempt {i}");
    }
    let (ok, message) = attempt(&app, "Marie@Cabinet-H1.fr ", "essai-5").await;
    assert!(!ok);
    assert!(message.starts_with("Trop de tentatives"), "the fifth failure locks, whatever the case of the address: {message}");
    let (ok, message) = attempt(&app, "marie@cabinet-h1.fr", PASSWORD).await;
    assert!(!ok, "the right password does not open a locked account");
    assert!(message.starts_with("Trop de tentatives") && message.contains("15 minutes"), "{message}");
    assert!(message.contains("Mot de passe oublié ?"), "the owner is told how to get back in: {message}");
    assert_eq!(failures(&app, "marie@cabinet-h1.fr").await, 5, "attempts during the lock are not counted");
    // Another account is not affected.
    account(&app, "jean@cabinet-h1.fr").await;
    assert!(attempt(&app, "jean@cabinet-h1.fr", PASSWORD).await.0);
}

#[tokio::test]
async fn the_lock_grows_with_failures_after_it() {
    let app = TestApp::spawn().await;
    account(&app, "marie@cabinet-h2.fr").await;
    for i in 0..5 {
        attempt(&app, "marie@cabinet-h2.fr", &format!("essai-{i}")).await;
    }
    // The lock ran out (the failures are made older), the attacker tries once more.
    sqlx::query("UPDATE login_failures SET failed_at = failed_at - 1000").execute(app.db()).await.unwrap();
    let (ok, message) = attempt(&app, "marie@cabinet-h2.fr", "encore").await;
    assert!(!ok);
    assert!(message.contains("30 minutes"), "the lock doubled: {message}");
}

#[tokio::test]
async fn two_instances_on_one_database_share_the_count() {
    let one = TestApp::spawn().await;
    let two = one.second_instance().await;
    account(&one, "marie@cabinet-h3.fr").await;
    for i in 0..3 {
        assert!(!attempt(&one, "marie@cabinet-h3.fr", &format!("a{i}")).await.0);
    }
    for i in 0..2 {
        assert!(!attempt(&two, "marie@cabinet-h3.fr", &format!("b{i}")).await.0);
    }
    for app in [&one, &two] {
        let (ok, message) = attempt(app, "marie@cabinet-h3.fr", PASSWORD).await;
        assert!(!ok && message.starts_with("Trop de tentatives"), "{message}");
    }
}

#[tokio::test]
async fn a_success_clears_the_failures() {
    let app = TestApp::spawn().await;
    account(&app, "marie@cabinet-h4.fr").await;
    for i in 0..4 {
        attempt(&app, "marie@cabinet-h4.fr", &format!("a{i}")).await;
    }
    assert_eq!(failures(&app, "marie@cabinet-h4.fr").await, 4);
    assert!(attempt(&app, "marie@cabinet-h4.fr", PASSWORD).await.0);
    assert_eq!(failures(&app, "marie@cabinet-h4.fr").await, 0);
    for i in 0..4 {
        attempt(&app, "marie@cabinet-h4.fr", &format!("b{i}")).await;
    }
    assert!(attempt(&app, "marie@cabinet-h4.fr", PASSWORD).await.0, "8 failures, but never 5 since the last success");
}

#[tokio::test]
async fn unknown_addresses_are_locked_alike() {
    let app = TestApp::spawn().await;
    account(&app, "marie@cabinet-h5.fr").await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..6 {
        known.push(attempt(&app, "marie@cabinet-h5.fr", &format!("a{i}")).await);
        unknown.push(attempt(&app, "personne@cabinet-h5.fr", &format!("a{i}")).await);
    }
    assert_eq!(known, unknown, "the same answers, attempt after attempt");
    assert!(unknown[5].1.starts_with("Trop de tentatives"));
    assert_eq!(failures(&app, "personne@cabinet-h5.fr").await, 5);
}

/// The fastest of 50 attempts each, interleaved, each from its own address: an unknown
/// address and a known one with a wrong password cost the same time.
#[tokio::test]
async fn log_in_takes_the_same_time_for_unknown_and_known_addresses() {
    let app = TestApp::spawn().await;
    account(&app, "marie@cabinet-h6.fr").await;
    // Warm up (the dummy hash, the pools).
    attempt(&app, "personne@cabinet-h6.fr", "x").await;
    attempt(&app, "marie@cabinet-h6.fr", "x").await;
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for i in 0..50 {
        // Both stay below the lock-out: the normal failure path is what is measured.
        sqlx::query("DELETE FROM login_failures").execute(app.db()).await.unwrap();
        let t = Instant::now();
        assert!(!attempt(&app, &format!("personne{i}@cabinet-h6.fr"), "mauvais").await.0);
        unknown.push(t.elapsed());
        let t = Instant::now();
        assert!(!attempt(&app, "marie@cabinet-h6.fr", "mauvais").await.0);
        known.push(t.elapsed());
    }
    // The fastest attempt of each path: what the path costs itself, without the delays
    // the rest of the machine adds (a median moved by 13 % once under load).
    let fastest = |v: &[Duration]| v.iter().min().copied().unwrap_or_default();
    let (k, u) = (fastest(&known).as_secs_f64(), fastest(&unknown).as_secs_f64());
    let gap = (k - u).abs() / k.max(u);
    assert!(gap < 0.10, "known {k:.4} s, unknown {u:.4} s: {:.1} % apart", gap * 100.0);
}

fn retry_after(headers: &HeaderMap) -> u64 {
    headers.get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// Each rule of the table: its burst from one address, then 429 with `Retry-After` and
/// the French message; another address is still served, one behind the same NAT is not.
#[tokio::test]
async fn one_address_is_limited_per_endpoint_family() {
    let app = TestApp::spawn().await;
    for rule in server::limits::RULES {
        let endpoint = rule.prefixes[0].trim_start_matches("/api/");
        let mut flooder = app.new_client();
        // An empty form is refused early (no password hashed), yet counts.
        for i in 0..rule.default.count {
            let (status, _, body) = flooder.call(endpoint, &[]).await;
            assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "{endpoint}: request {i} refused: {body}");
        }
        let (status, headers, body) = flooder.call(endpoint, &[]).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{endpoint}: {body}");
        let wait = retry_after(&headers);
        assert!(wait >= 1 && wait <= rule.default.per_secs, "{endpoint}: Retry-After {wait}");
        assert!(body.contains("Trop de demandes depuis votre adresse"), "{endpoint}: {body}");
        // Without JavaScript: the same refusal, readable.
        let (status, headers, body) = flooder.post_form(endpoint, &[], "/connexion").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(retry_after(&headers) >= 1);
        assert!(body.starts_with("Trop de demandes depuis votre adresse : réessayez dans"), "{body}");
        let (status, _, _) = flooder.same_address_client().call(endpoint, &[]).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{endpoint}: same address, new cookie");
        let (status, _, _) = app.new_client().call(endpoint, &[]).await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "{endpoint}: another address is served");
    }
    // Other endpoints are not limited.
    let mut reader = app.new_client();
    for _ in 0..30 {
        let (status, _, _) = reader.call("account/me", &[]).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_limits_come_from_the_settings() {
    let app = TestApp::spawn_configured(|s, _| s.network.limits[0] = server::limits::Limit { count: 2, per_secs: 3600 }).await;
    let mut c = app.new_client();
    for _ in 0..2 {
        assert_ne!(c.call("account/login", &[]).await.0, StatusCode::TOO_MANY_REQUESTS);
    }
    let (status, headers, _) = c.call("account/login", &[]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&headers) > 1000, "one request back every 30 minutes");
}

#[tokio::test]
async fn a_forwarded_address_counts_only_behind_a_trusted_proxy() {
    use axum::extract::ConnectInfo;
    let proxy: std::net::SocketAddr = "10.200.0.1:5000".parse().unwrap();
    let limit = server::limits::Limit { count: 1, per_secs: 3600 };
    let send = move |app: &TestApp, forwarded: &'static str| {
        let mut c = app.new_client();
        async move {
            let req = Request::builder()
                .method("POST")
                .uri("/api/account/login")
                .header(header::HOST, HOST)
                .header(header::ORIGIN, format!("http://{HOST}"))
                .header("x-forwarded-for", forwarded)
                .extension(ConnectInfo(proxy))
                .body(Body::empty())
                .unwrap();
            c.raw(req).await.0
        }
    };
    // Trusted: two clients behind the proxy are limited apart.
    let trusting = TestApp::spawn_configured(|s, _| {
        s.network.limits[0] = limit;
        s.network.trusted_proxies = vec![proxy.ip()];
    })
    .await;
    assert_ne!(send(&trusting, "203.0.113.1").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(send(&trusting, "203.0.113.1").await, StatusCode::TOO_MANY_REQUESTS);
    assert_ne!(send(&trusting, "203.0.113.2").await, StatusCode::TOO_MANY_REQUESTS);
    // Not trusted: a forged header does not give a fresh bucket.
    let plain = TestApp::spawn_configured(|s, _| s.network.limits[0] = limit).await;
    assert_ne!(send(&plain, "203.0.113.1").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(send(&plain, "203.0.113.9").await, StatusCode::TOO_MANY_REQUESTS);
}

/// Open redirects through `next`: the log-in, the sign-up (JavaScript and plain
/// posts) and the pages that read it from their query string.
#[tokio::test]
async fn next_never_leaves_the_site_nor_panics() {
    let app = TestApp::spawn().await;
    account(&app, "marie@cabinet-h7.fr").await;
    let evil = ["/\t/evil.example", "/\n/a", "/\r\n//evil", "//evil.example", "/\\evil.example", "\\/evil", "https://evil.example", "javascript:alert(1)", "/\u{0}x", "/\u{85}/evil", ""];
    for next in evil {
        let mut c = app.new_client();
        let (_, headers, body) = c.call("account/login", &[("email", "marie@cabinet-h7.fr"), ("password", PASSWORD), ("next", next)]).await;
        assert_eq!(headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/espaces"), "{next:?}: {body}");
        let mut c = app.new_client();
        let (status, headers, _) =
            c.post_form("account/login", &[("email", "marie@cabinet-h7.fr"), ("password", PASSWORD), ("next", next)], "/connexion").await;
        assert_eq!(status, StatusCode::FOUND, "{next:?}");
        assert_eq!(headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/espaces"), "{next:?}");
    }
    // A local path is kept, characters outside ASCII encoded.
    let mut c = app.new_client();
    let (_, headers, _) =
        c.call("account/login", &[("email", "marie@cabinet-h7.fr"), ("password", PASSWORD), ("next", "/catalogue?q=comptabilité")]).await;
    assert_eq!(headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/catalogue?q=comptabilit%C3%A9"));
    // Raw bytes, not even UTF-8, in the body and in the page's query string.
    let mut c = app.new_client();
    let req = Request::builder()
        .method("POST")
        .uri("/api/account/login")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, format!("http://{HOST}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(b"email=marie%40cabinet-h7.fr&password=mot-de-passe-solide&next=%FF%FE%00%0A%2F%2F\xff\xfe".to_vec()))
        .unwrap();
    let (status, headers, body) = c.raw(req).await;
    // Undecodable: refused as a transport error (server_fn answers those with a 500),
    // without a panic and without sending anyone anywhere.
    assert!(status == StatusCode::OK || body.contains("Transport"), "{status} {body}");
    if let Some(l) = headers.get(header::LOCATION) {
        assert_eq!(l, "/espaces");
    }
    let (status, _, _) = app.new_client().call("account/me", &[]).await;
    assert_eq!(status, StatusCode::OK, "the server still answers");
    for query in ["/%09/evil.example", "/%0Aa", "//evil", "/%5Cevil", "%FF%FE", "/%00", "https:%2F%2Fevil.example"] {
        let (status, page) = app.new_client().get(&format!("/connexion?next={query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(page.contains(r#"name="next" value="/espaces""#), "{query}: the form goes back home");
        assert!(page.contains("/creer-un-compte?next=/espaces"), "{query}");
        assert!(!page.contains("evil"), "{query}");
    }
    // A page that sends a visitor to the log-in keeps its own path only, encoded.
    let (status, page) = app.new_client().get("/connexion?next=/formations/1%3Fsession%3D2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/creer-un-compte?next=/formations/1%3Fsession%3D2"), "the query cannot add parameters");
}

#[tokio::test]
async fn cross_origin_posts_are_refused_even_with_a_forged_host() {
    let app = TestApp::spawn().await;
    let post = |host: &str, origin: Option<&str>, referer: Option<&str>| {
        let mut b = Request::builder()
            .method("POST")
            .uri("/api/account/login")
            .header(header::HOST, host)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            b = b.header(header::ORIGIN, o);
        }
        if let Some(r) = referer {
            b = b.header(header::REFERER, r);
        }
        b.body(Body::from("email=a%40b.fr&password=x&next=%2F")).unwrap()
    };
    for (host, origin, referer) in [
        ("evil.example", Some("http://evil.example"), None),
        ("evil.example:80", Some("http://evil.example"), None),
        (HOST, Some("https://portail.test"), None),
        (HOST, Some("http://portail.test:8080"), None),
        (HOST, Some("http://portail.test.evil.example"), None),
        (HOST, Some("null"), None),
        ("evil.example", None, Some("http://evil.example/connexion")),
        (HOST, None, None),
    ] {
        // Each from its own address: the refusals do not reach the per-address limit.
        let (status, headers, body) = app.new_client().raw(post(host, origin, referer)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{host} {origin:?} {referer:?}");
        assert!(body.contains("ne provient pas de ce site"));
        assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
    }
    // The site itself, with the default port written out or by its Referer only.
    for (origin, referer) in [(Some("http://portail.test"), None), (Some("http://PORTAIL.test:80"), None), (None, Some("http://portail.test/connexion"))] {
        let (status, _, body) = app.new_client().raw(post("whatever.example", origin, referer)).await;
        assert_eq!(status, StatusCode::OK, "{origin:?} {referer:?}: {body}");
    }
}

fn assert_security_headers(what: &str, headers: &HeaderMap) -> String {
    let csp = headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("{what}: no CSP"));
    for part in ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "'wasm-unsafe-eval'"] {
        assert!(csp.contains(part), "{what}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(headers.get(header::X_CONTENT_TYPE_OPTIONS).map(|v| v.as_bytes()), Some(&b"nosniff"[..]), "{what}");
    assert_eq!(headers.get(header::REFERRER_POLICY).map(|v| v.as_bytes()), Some(&b"same-origin"[..]), "{what}");
    assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY), "{what}: no HSTS over http");
    csp.to_string()
}

async fn get(app: &mut TestApp, path: &str) -> (StatusCode, HeaderMap, String) {
    let req = Request::builder().method("GET").uri(path).header(header::HOST, HOST).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap();
    app.raw(req).await
}

/// The nonce of the policy is the one on every script of the page, and nothing inline
/// runs without it.
fn assert_page_nonce(what: &str, headers: &HeaderMap, page: &str) {
    let csp = assert_security_headers(what, headers);
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).unwrap_or_else(|| panic!("{what}: no nonce in {csp}"));
    assert!(nonce.len() >= 16, "{what}: {nonce}");
    let scripts = page.matches("<script").count();
    assert!(scripts >= 1, "{what}: the hydration script");
    assert_eq!(page.matches(&format!("<script nonce=\"{nonce}\"")).count() + page.matches(&format!("<script type=\"module\" nonce=\"{nonce}\"")).count(), scripts, "{what}: a script without the nonce: {page}");
    assert!(!page.contains(" style=\"") && !page.contains("<style"), "{what}: inline style");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let site = std::env::temp_dir().join(format!("ee-site-{}", std::process::id()));
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("sonde.txt"), "fichier statique").unwrap();
    let root = site.display().to_string();
    let mut app = TestApp::spawn_configured(move |_, o| o.site_root = root.into()).await;

    let (status, headers, page) = get(&mut app, "/catalogue").await;
    assert_eq!(status, StatusCode::OK);
    assert_page_nonce("page", &headers, &page);
    let (_, headers2, _) = get(&mut app, "/catalogue").await;
    assert_ne!(headers.get(header::CONTENT_SECURITY_POLICY), headers2.get(header::CONTENT_SECURITY_POLICY), "a new nonce per response");

    let (status, headers, page) = get(&mut app, "/nulle-part").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_page_nonce("404", &headers, &page);

    let (status, headers, body) = get(&mut app, "/sonde.txt").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "fichier statique"));
    assert_security_headers("static file", &headers);

    let (status, headers, _) = app.call("account/me", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_security_headers("server function", &headers);

    let (status, headers, _) = get(&mut app, "/documents/facture/1").await;
    assert!(status.is_client_error(), "{status}");
    assert_security_headers("document route", &headers);

    let (status, headers, _) = app.raw(Request::builder().method("POST").uri("/api/account/me").header(header::HOST, HOST).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_security_headers("origin refusal", &headers);

    let mut flooder = app.new_client();
    let mut last = StatusCode::OK;
    for _ in 0..=server::limits::RULES[0].default.count {
        let (status, headers, _) = flooder.call("account/login", &[]).await;
        assert_security_headers("log-in", &headers);
        last = status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "the 429 was checked too");
    std::fs::remove_dir_all(&site).ok();
}

#[tokio::test]
async fn https_adds_strict_transport_security() {
    let mut app = TestApp::spawn_configured(|s, _| s.public_url = Some("https://portail.test".into())).await;
    let (_, headers, _) = get(&mut app, "/catalogue").await;
    let hsts = headers.get(header::STRICT_TRANSPORT_SECURITY).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(hsts.starts_with("max-age=31536000"), "{hsts}");
    // And the Origin is compared with the https URL: the http one is another site.
    for (origin, expected) in [(format!("http://{HOST}"), StatusCode::FORBIDDEN), (format!("https://{HOST}"), StatusCode::OK)] {
        let req = Request::builder()
            .method("POST")
            .uri("/api/account/me")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, origin.as_str())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::empty())
            .unwrap();
        let (status, _, _) = app.raw(req).await;
        assert_eq!(status, expected, "{origin}");
    }
}

#[tokio::test]
async fn the_demo_accounts_are_refused_on_a_public_address() {
    let database_url = common::fresh_database_url().await;
    let mut settings = server::Settings {
        database_url,
        smtp_url: None,
        mail_from: "Portail <portail@test.fr>".into(),
        public_url: None,
        load_demo: true,
        demo_accounts: Some(true),
        mail_per_hour: server::MAIL_PER_HOUR,
        network: server::Network::default(),
        support: server::SupportVars::default(),
    };
    let mut options = leptos::prelude::LeptosOptions::builder().output_name("espace-entreprise").build();
    options.site_addr = "0.0.0.0:3000".parse().unwrap();
    let error = server::build_state(&settings, options.clone()).await.err().expect("refused to start");
    assert!(error.contains("DEMO_ACCOUNTS=1") && error.contains("0.0.0.0:3000"), "{error}");
    // Unset: the server starts, without them.
    settings.demo_accounts = None;
    let state = server::build_state(&settings, options).await.expect("starts");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(&state.db).await.unwrap();
    assert_eq!(n, 0, "no demo account");
}

#[tokio::test]
async fn one_account_cannot_make_the_portal_send_mail_without_bound() {
    let mut admin = TestApp::spawn_configured(|s, _| s.mail_per_hour = 2).await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-h8.fr").await;
    let company = admin.create_company(1, &siret(801), "restricted", &[]).await;
    let cid = company.to_string();
    for i in 0..4 {
        let email = format!("p{i}@cabinet-h8.fr");
        admin.json("company/people/add", &[("company_id", &cid), ("email", &email), ("first_name", "P"), ("last_name", "Q"), ("role", "")]).await;
    }
    for i in 0..2 {
        let email = format!("p{i}@cabinet-h8.fr");
        admin.json("company/people/invite", &[("company_id", &cid), ("email", &email)]).await;
    }
    let (status, _, body) = admin.call("company/people/invite", &[("company_id", &cid), ("email", "p2@cabinet-h8.fr")]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.contains("trop de messages"), "{body}");
    let (sent,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE to_addr LIKE 'p%@cabinet-h8.fr'").fetch_one(admin.db()).await.unwrap();
    assert_eq!(sent, 2);
    // An hour later the account may send again.
    sqlx::query("UPDATE outbox SET created_at = created_at - 3601").execute(admin.db()).await.unwrap();
    admin.json("company/people/invite", &[("company_id", &cid), ("email", "p2@cabinet-h8.fr")]).await;
}
