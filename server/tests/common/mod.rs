//! Test harness: the real router on a fresh, migrated database per test (SQLite file by
//! default, PostgreSQL when TEST_DATABASE_URL=postgres://...), driven in-process.

#![allow(dead_code)]

use app::server::{AppState, Db};
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use leptos::prelude::LeptosOptions;
use axum::extract::ConnectInfo;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use tower::ServiceExt;

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub const HOST: &str = "portail.test";

static CLIENTS: AtomicU64 = AtomicU64::new(1);

/// A client address of its own (10.x.y.z), as the server sees the TCP peer.
pub fn client_addr() -> SocketAddr {
    let n = CLIENTS.fetch_add(1, Ordering::SeqCst);
    SocketAddr::from(([10, (n >> 16) as u8, (n >> 8) as u8, n as u8], 40_000))
}

/// A fresh database URL: a new SQLite file, or a new PostgreSQL database.
pub async fn fresh_database_url() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let unique = format!("{}_{}_{}", std::process::id(), n, app::server::db::now());
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            use sqlx::Executor;
            sqlx::any::install_default_drivers();
            let name = format!("ee_test_{unique}");
            let admin = sqlx::AnyPool::connect(&base).await.expect("connect to PostgreSQL");
            admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
            admin.close().await;
            let (prefix, _) = base.rsplit_once('/').expect("a database name in TEST_DATABASE_URL");
            format!("{prefix}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join("espace-entreprise-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}/t_{unique}.db?mode=rwc", dir.display())
        }
    }
}

pub fn is_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").map(|u| u.starts_with("postgres")).unwrap_or(false)
}

#[derive(Clone)]
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    cookie: Option<String>,
    database_url: String,
    /// The User-Agent this client sends, if any.
    pub user_agent: Option<String>,
    /// The client's address (each new client has its own).
    pub addr: SocketAddr,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(false).await
    }

    /// With the demo firm and its accounts (one per role, password `DEMO_PASSWORD`).
    pub async fn spawn_with(demo_accounts: bool) -> Self {
        Self::on_database(fresh_database_url().await, demo_accounts).await
    }

    /// A server whose public URL is https (cookies `Secure`, `__Host-` prefixed).
    pub async fn spawn_https() -> Self {
        Self::on_database_at(fresh_database_url().await, false, format!("https://{HOST}")).await
    }

    /// A second server instance on the same database (own pool and router), as behind
    /// a load balancer; the client keeps its cookie.
    pub async fn second_instance(&self) -> Self {
        let mut other = Self::on_database(self.database_url.clone(), false).await;
        other.cookie = self.cookie.clone();
        other.addr = self.addr;
        other
    }

    /// A second server instance on the same database whose settings the test changes
    /// first (its own SMTP relay, hence its own outbox worker).
    pub async fn second_instance_configured(&self, configure: impl FnOnce(&mut server::Settings, &mut LeptosOptions)) -> Self {
        let mut other = Self::configured(self.database_url.clone(), false, configure).await;
        other.cookie = self.cookie.clone();
        other.addr = self.addr;
        other
    }

    async fn on_database(database_url: String, demo_accounts: bool) -> Self {
        Self::on_database_at(database_url, demo_accounts, format!("http://{HOST}")).await
    }

    async fn on_database_at(database_url: String, demo_accounts: bool, public_url: String) -> Self {
        Self::configured(database_url, demo_accounts, move |s, _| s.public_url = Some(public_url)).await
    }

    /// A server whose settings and Leptos options the test changes first.
    pub async fn spawn_configured(configure: impl FnOnce(&mut server::Settings, &mut LeptosOptions)) -> Self {
        Self::configured(fresh_database_url().await, false, configure).await
    }

    async fn configured(
        database_url: String,
        demo_accounts: bool,
        configure: impl FnOnce(&mut server::Settings, &mut LeptosOptions),
    ) -> Self {
        let mut settings = server::Settings {
            database_url: database_url.clone(),
            smtp_url: None,
            mail_from: "Portail <portail@test.fr>".into(),
            public_url: Some(format!("http://{HOST}")),
            load_demo: true,
            demo_accounts: Some(demo_accounts),
            mail_per_hour: server::MAIL_PER_HOUR,
            network: server::Network::default(),
            support: server::SupportVars::default(),
        };
        let mut options = LeptosOptions::builder().output_name("espace-entreprise").build();
        configure(&mut settings, &mut options);
        let state = server::build_state(&settings, options).await.expect("state");
        let router = server::router_with(state.clone(), &settings.network);
        Self { router, state, cookie: None, database_url, user_agent: None, addr: client_addr() }
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// Another browser on the same server (no cookie).
    pub fn new_client(&self) -> Self {
        Self { addr: client_addr(), ..self.same_address_client() }
    }

    /// Another browser on the same server, from the same address (behind one NAT).
    pub fn same_address_client(&self) -> Self {
        Self {
            router: self.router.clone(),
            state: self.state.clone(),
            cookie: None,
            database_url: self.database_url.clone(),
            user_agent: None,
            addr: self.addr,
        }
    }

    pub fn session_cookie(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    async fn send(&mut self, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
        let (status, headers, body) = self.send_bytes(req).await;
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    /// GET, as the browser follows a download link: status and raw bytes.
    pub async fn download(&mut self, path: &str) -> (StatusCode, Vec<u8>) {
        let req = self.request("GET", path).body(Body::empty()).unwrap();
        let (status, _, body) = self.send_bytes(req).await;
        (status, body)
    }

    async fn send_bytes(&mut self, mut req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        // What axum::serve with connect info gives every request: the peer's address.
        if req.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
            req.extensions_mut().insert(ConnectInfo(self.addr));
        }
        let what = format!("{} {}", req.method(), req.uri());
        // A request that never answers fails its test instead of hanging the suite.
        let res = tokio::time::timeout(std::time::Duration::from_secs(30), self.router.clone().oneshot(req))
            .await
            .unwrap_or_else(|_| panic!("no answer within 30 s to {what}"))
            .expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            if let Some(token) = pair.strip_prefix(&format!("{}=", self.cookie_name())) {
                self.cookie = (!token.is_empty()).then(|| token.to_string());
            }
        }
        let body = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
        (status, headers, body.to_vec())
    }

    /// The session cookie's name: `__Host-` prefixed when the public URL is https.
    pub fn cookie_name(&self) -> &'static str {
        app::server::sessions::cookie_name(self.state.config.secure_cookies)
    }

    /// This server's origin, as a browser on it sends it.
    pub fn origin(&self) -> String {
        self.state.config.public_url.clone()
    }

    /// Replaces the client's session cookie (a stolen or forged one).
    pub fn set_session_cookie(&mut self, token: Option<&str>) {
        self.cookie = token.map(str::to_string);
    }

    fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(path).header(header::HOST, HOST);
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, format!("{}={c}", self.cookie_name()));
        }
        if let Some(ua) = &self.user_agent {
            b = b.header(header::USER_AGENT, ua.as_str());
        }
        b
    }

    /// Calls a server function the way the browser's JavaScript does.
    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
        let body = serde_urlencoded(form);
        let req = self
            .request("POST", &format!("/api/{endpoint}"))
            .header(header::ORIGIN, self.origin())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Posts a form the way a browser without JavaScript does.
    pub async fn post_form(&mut self, endpoint: &str, form: &[(&str, &str)], referer: &str) -> (StatusCode, HeaderMap, String) {
        let req = self
            .request("POST", &format!("/api/{endpoint}"))
            .header(header::ORIGIN, self.origin())
            .header(header::REFERER, format!("{}{referer}", self.origin()))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .body(Body::from(serde_urlencoded(form)))
            .unwrap();
        self.send(req).await
    }

    pub async fn raw(&mut self, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
        self.send(req).await
    }

    /// A request as built by the test, answered with the body's raw bytes.
    pub async fn raw_bytes(&mut self, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        self.send_bytes(req).await
    }

    pub async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let req = self.request("GET", path).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap();
        let (s, _, b) = self.send(req).await;
        (s, b)
    }

    pub async fn json(&mut self, endpoint: &str, form: &[(&str, &str)]) -> serde_json::Value {
        let (status, _, body) = self.call(endpoint, form).await;
        assert!(status.is_success(), "{endpoint} answered {status}: {body}");
        serde_json::from_str(&body).unwrap_or(serde_json::Value::Null)
    }

    /// Creates an account through the signup endpoint, confirms its address with the
    /// link mailed to it (read from the outbox) and ends logged in.
    pub async fn sign_up(&mut self, first: &str, last: &str, email: &str) {
        self.sign_up_unconfirmed(first, last, email).await;
        let token = self.confirmation_token(email).await.unwrap_or_else(|| panic!("no confirmation link mailed to {email}"));
        let (status, headers, body) = self.call("account/confirm", &[("token", &token)]).await;
        assert!(status.is_success(), "confirm: {status} {body}");
        assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/espaces"), "confirmation did not log in: {body}");
    }

    /// Sign-up form as the browser's JavaScript posts it, for this address.
    pub async fn post_sign_up(&mut self, first: &str, last: &str, email: &str, password: &str) -> (StatusCode, HeaderMap, String) {
        self.call(
            "account/signup",
            &[
                ("form[civility]", "mme"),
                ("form[first_name]", first),
                ("form[last_name]", last),
                ("form[email]", email),
                ("form[phone]", "0123456789"),
                ("form[profession]", "ec"),
                ("form[professional_number]", "EC-1234"),
                ("form[address_line]", "1 rue de la Paix"),
                ("form[postal_code]", "75002"),
                ("form[city]", "Paris"),
                ("password", password),
                ("password_confirm", password),
                ("next", "/espaces"),
            ],
        )
        .await
    }

    /// Signs up without confirming, then logs in with the password: an account whose
    /// address nobody proved.
    pub async fn sign_up_unconfirmed(&mut self, first: &str, last: &str, email: &str) {
        let (status, headers, body) = self.post_sign_up(first, last, email, "mot-de-passe-solide").await;
        assert!(status.is_success(), "signup: {status} {body}");
        assert!(body.contains("Consultez votre messagerie"), "signup refused: {body}");
        assert!(headers.get(header::LOCATION).is_none(), "signup must not log in: {body}");
        self.log_in(email).await;
    }

    /// The token of the newest confirmation link mailed to this address (mails of one
    /// second are told apart by their link's issue time).
    pub async fn confirmation_token(&self, email: &str) -> Option<String> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM outbox WHERE to_addr = $1 AND subject = 'Confirmez votre adresse e-mail'")
                .bind(email)
                .fetch_all(self.db())
                .await
                .unwrap();
        let mut newest: Option<((i64, bool), String)> = None;
        for (body,) in rows {
            let Some(at) = body.find("/confirmer/") else { continue };
            let token: String = body[at + "/confirmer/".len()..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            let issued: Option<(i64, Option<i64>)> = sqlx::query_as("SELECT created_at, used_at FROM account_tokens WHERE token_hash = $1")
                .bind(app::server::sessions::hash_token(&token))
                .fetch_optional(self.db())
                .await
                .unwrap();
            let Some((created, used)) = issued else { continue };
            let rank = (created, used.is_none());
            if newest.as_ref().is_none_or(|(r, _)| rank > *r) {
                newest = Some((rank, token));
            }
        }
        newest.map(|(_, t)| t)
    }

    pub async fn log_in(&mut self, email: &str) {
        let (status, headers, _) =
            self.call("account/login", &[("email", email), ("password", "mot-de-passe-solide"), ("next", "/espaces")]).await;
        assert!(status.is_success());
        assert!(headers.get(header::LOCATION).is_some(), "login failed for {email}");
    }

    pub async fn wizard(&mut self, step: &str) -> serde_json::Value {
        self.json("wizard/get", &[("step", step)]).await
    }

    /// Walks the wizard to a created company; returns its id.
    pub async fn create_company(&mut self, session_id: i64, siret: &str, policy: &str, persons: &[(&str, &str, &str, &[&str])]) -> i64 {
        let owned = self.wizard_to_review(session_id, siret, policy, persons).await;
        let mut form: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        form.push(("op", "finalise"));
        self.json("wizard/review", &form).await;
        let v = self.wizard("participants").await;
        assert_eq!(v["step"], "Participants", "company not created: {v}");
        v["draft"]["company_id"].as_i64().expect("company id")
    }

    /// Walks the wizard to its last step before the creation; returns that step's form
    /// as pre-filled (without `op`).
    pub async fn wizard_to_review(&mut self, session_id: i64, siret: &str, policy: &str, persons: &[(&str, &str, &str, &[&str])]) -> Vec<(String, String)> {
        self.json("wizard/start", &[("session_id", &session_id.to_string())]).await;
        self.json(
            "wizard/structure",
            &[
                ("kind", "dirigeant"),
                ("mode", "new"),
                ("existing_siret", ""),
                ("company[legal_name]", "Cabinet Test"),
                ("company[legal_form]", "SAS"),
                ("company[siret]", siret),
                ("company[vat_number]", ""),
                ("company[address_line]", "2 avenue Foch"),
                ("company[postal_code]", "69006"),
                ("company[city]", "Lyon"),
            ],
        )
        .await;
        self.json("wizard/admin", &[("attest", "on"), ("op", "next")]).await;
        for (email, first, last, roles) in persons {
            let mut form = vec![("op", "add"), ("policy", policy), ("email", *email), ("first_name", *first), ("last_name", *last)];
            for r in *roles {
                form.push((r, "on"));
            }
            self.json("wizard/rights", &form).await;
        }
        self.json(
            "wizard/rights",
            &[("op", "next"), ("policy", policy), ("email", ""), ("first_name", ""), ("last_name", "")],
        )
        .await;
        let v = self.wizard("parametres").await;
        let s = &v["draft"]["settings"];
        // Every answer the step shows, as pre-filled.
        s.as_object()
            .expect("settings")
            .iter()
            .map(|(k, v)| (format!("settings[{k}]"), v.as_str().unwrap_or("").to_string()))
            .collect()
    }
}

fn serde_urlencoded(form: &[(&str, &str)]) -> String {
    form.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl TestApp {
    /// A new account on the staff of `provider`, logged in.
    pub async fn provider_staff(&self, email: &str, provider: i64) -> TestApp {
        let mut c = self.new_client();
        c.sign_up("Olivier", "Garnier", email).await;
        sqlx::query("INSERT INTO provider_staff (email, provider_id, created_at) VALUES ($1, $2, 0)")
            .bind(email)
            .bind(provider)
            .execute(self.db())
            .await
            .unwrap();
        // Provider staff must use a second factor.
        c.enable_second_factor().await;
        c
    }

    /// Sets up the second factor of the logged-in account as an authenticator app
    /// would; returns its key (base32).
    pub async fn enable_second_factor(&mut self) -> String {
        self.json("account/second-factor/begin", &[]).await;
        let v = self.json("account/second-factor", &[]).await;
        let secret = v["pending_secret"].as_str().expect("a key to type into the app").to_string();
        let code = totp_code(&secret, app::server::db::now());
        self.json("account/second-factor/confirm", &[("code", code.as_str())]).await;
        secret
    }

    /// Validates the caller's cart for the company, invoiced to the company itself.
    pub async fn validate_cart(&mut self, company_id: i64) -> String {
        self.validate_cart_to(company_id, &format!("/entreprise/{company_id}/commandes")).await
    }

    /// Validates the caller's cart; the browser is then sent to `to` (the company's
    /// orders, or Mes espaces for whoever may not read them).
    pub async fn validate_cart_to(&mut self, company_id: i64, to: &str) -> String {
        let cid = company_id.to_string();
        let billing = format!("company:{company_id}");
        let (_, headers, body) = self
            .call(
                "orders/validate",
                &[("company_id", cid.as_str()), ("billing", billing.as_str()), ("billing_siret", ""), ("po_reference", "BC-1"), ("accept_terms", "on")],
            )
            .await;
        let location = headers.get(axum::http::header::LOCATION).map(|v| v.to_str().unwrap().to_string());
        assert_eq!(location.as_deref(), Some(to), "order not validated: {body}");
        location.unwrap()
    }
}

/// A demo account logged in with the demo password (and, for the provider's staff,
/// the code of its published second-factor key).
pub async fn demo_login(app: &TestApp, email: &str) -> TestApp {
    let mut c = app.new_client();
    let password = app::server::demo::DEMO_PASSWORD;
    let (_, headers, body) = c.call("account/login", &[("email", email), ("password", password), ("next", "/espaces")]).await;
    let to = headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
    assert!(to.is_some(), "demo login failed for {email}: {body}");
    if to.as_deref() == Some("/connexion/code") {
        let code = totp_code(app::server::demo::DEMO_TOTP_SECRET, app::server::db::now());
        let (status, _, body) = c.call("account/login-code", &[("code", code.as_str())]).await;
        assert!(status.is_success(), "demo second factor refused for {email}: {body}");
    }
    c
}

/// The code an authenticator app shows for this key at `at` (unix seconds).
pub fn totp_code(secret: &str, at: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).expect("a base32 key");
    let totp = totp_rs::Builder::new().with_secret(secret).build().expect("an RFC 6238 key");
    totp.generate(at as u64).to_string()
}

/// Valid SIRET numbers for tests.
pub fn siret(n: u32) -> String {
    app::domain::identity::siret_with_key(&format!("{:013}", 4_210_000_000_000u64 + u64::from(n)))
}

/// The text of a PDF, as pdftotext reads it (narrow and plain no-break spaces as spaces).
pub fn pdf_text(bytes: &[u8]) -> String {
    use std::io::Write;
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF: {}", String::from_utf8_lossy(&bytes[..bytes.len().min(200)]));
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    // Amounts use narrow no-break spaces; compare with plain spaces.
    String::from_utf8(out.stdout).unwrap().replace(['\u{a0}', '\u{202f}'], " ")
}
