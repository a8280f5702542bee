//! The axum server: configuration, the pool, the router. `main.rs` only wires them.

pub mod admission;
pub mod backup;
pub mod delivery;
pub mod headers;
pub mod limits;
pub mod logs;
pub mod ops;

use app::api::documents::{attachment, refusal};
use app::server::mail::Mailer;
use app::server::state::Config;
use app::server::{db, seed, AppState};
use app::{shell, App};
use axum::http::header;
use axum::extract::State;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Settings read from the environment.
pub struct Settings {
    pub database_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub public_url: Option<String>,
    pub load_demo: bool,
    /// The demo firm and its accounts (one per role), with the demo catalogue:
    /// `DEMO_ACCOUNTS` as set (`None`: unset), decided by [`demo_accounts_allowed`].
    pub demo_accounts: Option<bool>,
    /// How many mails one account may make the portal send in an hour.
    pub mail_per_hour: i64,
    /// Per client address limits and the proxies trusted to name the client.
    pub network: Network,
    /// The help desk shown in the footer and beside errors, as set.
    pub support: SupportVars,
}

/// `SUPPORT_PHONE`, `SUPPORT_EMAIL`, `SUPPORT_HOURS` as set (`None`: unset); see
/// [`app::domain::support::Support::from_settings`] for the defaults.
#[derive(Clone, Debug, Default)]
pub struct SupportVars {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hours: Option<String>,
}

/// What the outer layer needs: the limit of each rule of `limits::RULES` (same order),
/// the reverse proxies whose `X-Forwarded-For` is believed, and the operator's settings
/// (who reads `/metrics`, when `/readyz` fails, how long a stop waits).
#[derive(Clone, Debug)]
pub struct Network {
    pub limits: Vec<limits::Limit>,
    pub trusted_proxies: Vec<IpAddr>,
    pub ops: ops::Ops,
    /// `MAX_CONCURRENT_REQUESTS`: requests handled at once (`admission`).
    pub max_concurrent: usize,
    /// `MAIL_LEASE_SECS`: how long this instance's mail worker holds the mails it claims,
    /// hence how long the mails claimed by an instance that died wait before another
    /// instance sends them (`app::server::mail::Mailer::with_lease`).
    pub mail_lease_secs: i64,
}

impl Default for Network {
    fn default() -> Self {
        Self {
            limits: limits::RULES.iter().map(|r| r.default).collect(),
            trusted_proxies: Vec::new(),
            ops: ops::Ops::default(),
            max_concurrent: admission::default_bound(),
            mail_lease_secs: app::server::mail::LEASE_SECS,
        }
    }
}

/// Default of `MAIL_PER_ACCOUNT_HOUR`.
pub const MAIL_PER_HOUR: i64 = 100;

impl Settings {
    /// Reads the environment; a value that cannot be understood stops the server
    /// rather than being ignored.
    pub fn from_env() -> Result<Self, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let mut network = Network::default();
        for (limit, rule) in network.limits.iter_mut().zip(limits::RULES) {
            if let Some(v) = var(rule.env) {
                *limit = limits::Limit::parse(&v).map_err(|e| format!("{}: {e}", rule.env))?;
            }
        }
        if let Some(v) = var("TRUSTED_PROXY") {
            network.trusted_proxies = v
                .split(',')
                .map(|a| a.trim().parse::<IpAddr>().map_err(|_| format!("TRUSTED_PROXY: {a:?} is not an IP address")))
                .collect::<Result<_, _>>()?;
        }
        network.ops = ops::Ops::from_vars(var)?;
        if let Some(v) = var("MAX_CONCURRENT_REQUESTS") {
            network.max_concurrent =
                v.trim().parse::<usize>().ok().filter(|n| *n > 0).ok_or("MAX_CONCURRENT_REQUESTS: a positive number")?;
        }
        if let Some(v) = var("MAIL_LEASE_SECS") {
            network.mail_lease_secs = v.trim().parse::<i64>().map_err(|_| "MAIL_LEASE_SECS: a number of seconds")?;
        }
        let mail_per_hour = match var("MAIL_PER_ACCOUNT_HOUR") {
            Some(v) => v.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or("MAIL_PER_ACCOUNT_HOUR: a positive number")?,
            None => MAIL_PER_HOUR,
        };
        let demo_accounts = match var("DEMO_ACCOUNTS").as_deref().map(str::trim) {
            None => None,
            Some("0") => Some(false),
            Some("1") => Some(true),
            Some(other) => return Err(format!("DEMO_ACCOUNTS: {other:?}, expected 0 or 1")),
        };
        Ok(Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://espace-entreprise.db?mode=rwc".into()),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "Espace Entreprise <ne-pas-repondre@espace-entreprise.local>".into()),
            public_url: var("PUBLIC_URL"),
            load_demo: var("DEMO_CATALOGUE").map(|v| v != "0").unwrap_or(true),
            demo_accounts,
            mail_per_hour,
            network,
            support: SupportVars { phone: var("SUPPORT_PHONE"), email: var("SUPPORT_EMAIL"), hours: var("SUPPORT_HOURS") },
        })
    }
}

/// Whether to load the demo accounts, whose password is public: only on a server that
/// listens on a loopback address and is not reached over https (a developer's
/// machine). Elsewhere an explicit `DEMO_ACCOUNTS=1` is a mistake that stops the
/// server; unset, they are simply not loaded; `0` never loads them.
pub fn demo_accounts_allowed(requested: Option<bool>, listen: SocketAddr, public_url: &str) -> Result<bool, String> {
    let https = public_url.trim().to_ascii_lowercase().starts_with("https://");
    let safe = listen.ip().is_loopback() && !https;
    match (requested, safe) {
        (Some(false), _) => Ok(false),
        (_, true) => Ok(true),
        (None, false) => Ok(false),
        (Some(true), false) => Err(format!(
            "DEMO_ACCOUNTS=1 refused: the demo accounts have a public password, so they are loaded only on a server \
             that listens on a loopback address (127.0.0.1 or ::1) and whose public URL is not https; this one listens \
             on {listen}{}. Remove DEMO_ACCOUNTS (or set it to 0), or serve on a loopback address.",
            if https { format!(" and is reached at {public_url}") } else { String::new() }
        )),
    }
}

/// Opens the database (migrations, demo catalogue on an empty one) and builds the state.
pub async fn build_state(settings: &Settings, leptos_options: LeptosOptions) -> Result<AppState, String> {
    let pool_size = if settings.database_url.starts_with("sqlite:") { 8 } else { 10 };
    let public_url = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", leptos_options.site_addr))
        .trim_end_matches('/')
        .to_string();
    // Decided before anything is written to the database.
    let demo_accounts = settings.load_demo && demo_accounts_allowed(settings.demo_accounts, leptos_options.site_addr, &public_url)?;
    if settings.load_demo && !demo_accounts && settings.demo_accounts.is_none() {
        tracing::info!("demo accounts not loaded: they are for a server on a loopback address without https");
    }
    let v = &settings.support;
    let support = app::domain::support::Support::from_settings(v.phone.as_deref(), v.email.as_deref(), v.hours.as_deref(), &public_url)?;
    let mailer = Mailer::new(settings.smtp_url.as_deref(), &settings.mail_from)?.with_lease(settings.network.mail_lease_secs)?;
    let db = db::connect(&settings.database_url, pool_size).await.map_err(|e| format!("database: {e}"))?;
    if settings.load_demo {
        load_demo(&db, demo_accounts).await?;
    }
    // This instance's outbox worker (none without SMTP_URL), beside `spawn_sweeper`.
    app::server::mail::spawn_worker(db.clone(), mailer.clone());
    let secure_cookies = public_url.starts_with("https://");
    Ok(AppState {
        leptos_options,
        db,
        mailer,
        config: Config { public_url, secure_cookies, mail_per_hour: settings.mail_per_hour, support },
        catalogue: Default::default(),
    })
}

/// The key of the PostgreSQL advisory lock held while the demo data is loaded.
const DEMO_LOCK: i64 = 0x4545_4445_4d4f; // "EEDEMO"

/// Loads the demo catalogue on an empty database, then the demo firm (`demo_accounts`).
/// Each loader looks whether its data is there, then writes it: on PostgreSQL, where
/// several instances may start at once on one new database, they do so under an advisory
/// lock, one instance after the other, so that the first loads and the others find the
/// data (rather than both finding nothing, and the second stopping on a duplicate key).
/// The migrations before are serialised by sqlx's own lock. SQLite serves one instance.
async fn load_demo(db: &app::server::Db, demo_accounts: bool) -> Result<(), String> {
    let mut lock = db.acquire().await.map_err(|e| format!("demo data: {e}"))?;
    let postgres = lock.backend_name() == "PostgreSQL";
    if postgres {
        // On its own connection for the whole loading; the loaders use the pool's others.
        sqlx::query("SELECT 1 FROM (SELECT pg_advisory_lock($1)) AS locked")
            .bind(DEMO_LOCK)
            .execute(&mut *lock)
            .await
            .map_err(|e| format!("demo data: lock: {e}"))?;
    }
    let loaded = async {
        if seed::load_demo_catalogue(db).await.map_err(|e| format!("demo catalogue: {e}"))? {
            tracing::info!("demo catalogue loaded");
        }
        if demo_accounts && app::server::demo::load_demo_company(db).await.map_err(|e| format!("demo firm: {e}"))? {
            tracing::info!("demo firm loaded (password {})", app::server::demo::DEMO_PASSWORD);
        }
        Ok::<(), String>(())
    }
    .await;
    if postgres {
        // Ending the session releases the lock whatever happened.
        let _ = lock.close().await;
    }
    loaded
}

/// Every minute, gives back the seats of carts whose hold has expired and forgets
/// failed log-ins older than a day; every hour, in January, the obligation reminders;
/// every ten minutes, deletes the sessions that are over (their drafts go with them)
/// and the account links that expired or were used; at start and then every day, the
/// retention purge (`app::server::retention`).
pub fn spawn_sweeper(db: app::server::Db, public_url: String) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        let mut minutes = 0u64;
        loop {
            tick.tick().await;
            match app::server::orders::release_expired(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("released {n} expired cart hold(s)"),
                Err(e) => tracing::warn!("releasing expired cart holds: {e}"),
            }
            // Waiting lists: lapsed offers handed on, free seats offered, ended lists closed.
            match app::server::waitlist::sweep(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("offered {n} freed seat(s) to waiting lists"),
                Err(e) => tracing::warn!("sweeping waiting lists: {e}"),
            }
            if let Err(e) = app::server::throttle::purge(&db, app::server::db::now()).await {
                tracing::warn!("purging old failed log-ins: {e}");
            }
            if minutes.is_multiple_of(60) {
                remind_obligations(&db, &public_url).await;
            }
            if minutes.is_multiple_of(24 * 60) {
                purge_retention(&db).await;
            } else if minutes.is_multiple_of(10) {
                purge_sessions_and_links(&db).await;
            }
            minutes += 1;
        }
    });
}

/// In January, the yearly reminders of the training obligation (written once whatever
/// the number of instances: `app::server::obligation_sharing::january_reminders`).
pub async fn remind_obligations(db: &app::server::Db, public_url: &str) {
    match app::server::obligation_sharing::january_reminders(db, public_url, app::server::db::today()).await {
        Ok(r) if r.persons + r.firms > 0 => tracing::info!("obligation reminders: {} person(s), {} firm(s)", r.persons, r.firms),
        Ok(_) => {}
        Err(e) => tracing::warn!("obligation reminders: {e}"),
    }
}

/// Deletes the sessions that are over (idle or too old, with their drafts) and the
/// expired or used account links.
pub async fn purge_sessions_and_links(db: &app::server::Db) {
    let now = app::server::db::now();
    match app::server::sessions::purge(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("purged {n} ended session(s)"),
        Err(e) => tracing::warn!("purging ended sessions: {e}"),
    }
    match app::server::tokens::purge(db, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("purged {n} expired account link(s)"),
        Err(e) => tracing::warn!("purging expired account links: {e}"),
    }
}

/// The daily purge of what has no reason to stay (`app::domain::retention::RULES`).
pub async fn purge_retention(db: &app::server::Db) {
    match app::server::retention::purge(db, app::server::db::now()).await {
        Ok(counts) => {
            let done: Vec<String> = counts.iter().filter(|(_, n)| **n > 0).map(|(k, n)| format!("{k:?}: {n}")).collect();
            if !done.is_empty() {
                tracing::info!("retention purge: {}", done.join(", "));
            }
        }
        Err(e) => tracing::warn!("retention purge: {e}"),
    }
}

/// The router with the default limits and no trusted proxy.
pub fn router(state: AppState) -> Router {
    router_with(state, &Network::default())
}

/// The page shell, with the Content-Security-Policy of the nonce on its scripts.
fn page_shell(options: LeptosOptions) -> impl IntoView {
    headers::page_policy();
    shell(options)
}

/// Every route, behind (outermost first) the request id and its log span, the metrics of
/// the route, the security headers, the client address and its limits, and the Origin
/// check.
pub fn router_with(state: AppState, network: &Network) -> Router {
    let routes = generate_route_list(App);
    let ctx_state = state.clone();
    let https = state.config.public_url.starts_with("https://");
    // The public URL is built by build_state and always absolute; a broken one refuses
    // every post rather than accepting any.
    let origin = Arc::new(headers::Origin::of(&state.config.public_url).unwrap_or_else(|| {
        tracing::error!("PUBLIC_URL {:?} has no origin: every post will be refused", state.config.public_url);
        headers::Origin::of("http://invalid.invalid").expect("a valid origin")
    }));
    let limiter = Arc::new(limits::Limiter::new(&network.limits, network.trusted_proxies.clone()));
    let max_backlog = network.ops.ready_max_backlog;
    let metrics_token: Arc<Option<String>> = Arc::new(network.ops.metrics_token.clone());
    let router = Router::new()
        .route("/healthz", axum::routing::get(healthz))
        .route("/readyz", axum::routing::get(move |State(state): State<AppState>| ops::readyz(state, max_backlog)))
        .route(
            "/metrics",
            axum::routing::get(move |State(state): State<AppState>, req: axum::extract::Request| {
                let token = metrics_token.clone();
                async move { ops::metrics_endpoint(state, token.as_deref(), ops::peer_of(req.extensions()), req.headers()).await }
            }),
        )
        .nest_service("/pkg", delivery::pkg_files(&state.leptos_options))
        .route("/documents/{kind}/{id}", axum::routing::get(document))
        .route("/mon-compte/mes-donnees.zip", axum::routing::get(my_data))
        .merge(app::api::obligations::ssr::routes())
        .route("/entreprise/{id}/obligations.csv", axum::routing::get(firm_obligations_csv))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(ctx_state.clone());
                provide_context(app::auth::server::CallerOnce::default());
            },
            {
                let options = state.leptos_options.clone();
                move || page_shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(page_shell))
        .layer(middleware::from_fn_with_state(origin, headers::check_origin))
        .layer(middleware::from_fn_with_state(limiter, limits::limit))
        .with_state(state);
    let router = headers::with_headers(delivery::with_compression(router), https)
        .layer(axum::middleware::from_fn(admission::layer(network.max_concurrent)));
    logs::with_request_ids(ops::with_metrics(router))
}

/// Liveness: the process answers; no database read, so that it stays cheap to poll.
async fn healthz() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], "ok").into_response()
}

#[derive(serde::Deserialize)]
struct DocumentQuery {
    entreprise: Option<i64>,
}

/// A PDF document (or the CSV export), to those entitled to it (`app::api::documents`).
async fn document(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path((kind, id)): axum::extract::Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<DocumentQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    use app::api::documents;
    let result = if kind == "export" {
        documents::export(state, &headers, id).await
    } else {
        documents::download(state, &headers, &kind, id, q.entreprise).await
    };
    match result {
        Ok((name, bytes)) => attachment(if kind == "export" { "text/csv; charset=utf-8" } else { "application/pdf" }, &name, bytes),
        Err(e) => refusal(&e),
    }
}

#[derive(serde::Deserialize)]
struct ProfessionQuery {
    profession: Option<String>,
}

/// The firm's "Obligations de formation" as CSV (`app::api::obligation_sharing::firm_csv`).
async fn firm_obligations_csv(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::extract::Query(q): axum::extract::Query<ProfessionQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    match app::api::obligation_sharing::firm_csv(state, &headers, id, q.profession.as_deref().unwrap_or("")).await {
        Ok((name, bytes)) => attachment("text/csv; charset=utf-8", &name, bytes),
        Err(e) => refusal(&e),
    }
}

/// "Mes données": the caller's own data as one zip (`app::api::privacy::my_data`); a
/// visitor is sent to the log-in, back to "Mon compte" after it.
async fn my_data(axum::extract::State(state): axum::extract::State<AppState>, headers: axum::http::HeaderMap) -> Response {
    match app::api::privacy::my_data(state, &headers).await {
        Ok((name, bytes)) => attachment("application/zip", &name, bytes),
        Err(app::error::AppError::Unauthenticated) => axum::response::Redirect::to("/connexion?next=/mon-compte").into_response(),
        Err(e) => refusal(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::demo_accounts_allowed;

    #[test]
    fn demo_accounts_only_on_a_developer_machine() {
        let local = "127.0.0.1:3000".parse().unwrap();
        let local6 = "[::1]:3000".parse().unwrap();
        let public = "0.0.0.0:3000".parse().unwrap();
        let lan = "192.168.1.10:3000".parse().unwrap();
        // Unset: loaded where safe, silently left out elsewhere.
        assert_eq!(demo_accounts_allowed(None, local, "http://127.0.0.1:3000"), Ok(true));
        assert_eq!(demo_accounts_allowed(None, local6, "http://localhost:3000"), Ok(true));
        assert_eq!(demo_accounts_allowed(None, public, "http://portail.example.fr"), Ok(false));
        assert_eq!(demo_accounts_allowed(None, local, "https://portail.example.fr"), Ok(false), "behind a TLS proxy");
        // Asked for where it is dangerous: refused, with the reason.
        for (addr, url) in [(public, "http://x.fr"), (lan, "http://192.168.1.10:3000"), (local, "HTTPS://portail.example.fr")] {
            let e = demo_accounts_allowed(Some(true), addr, url).unwrap_err();
            assert!(e.contains("DEMO_ACCOUNTS=1") && e.contains("loopback"), "{e}");
        }
        assert_eq!(demo_accounts_allowed(Some(true), local, "http://127.0.0.1:3000"), Ok(true));
        // 0 is always obeyed.
        assert_eq!(demo_accounts_allowed(Some(false), local, "http://127.0.0.1:3000"), Ok(false));
        assert_eq!(demo_accounts_allowed(Some(false), public, "https://x.fr"), Ok(false));
    }
}
