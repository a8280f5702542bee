//! The axum server: configuration, the pool, the router. `main.rs` only wires them.

use app::server::mail::Mailer;
use app::server::state::Config;
use app::server::{db, seed, AppState};
use app::{shell, App};
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};

/// Settings read from the environment.
pub struct Settings {
    pub database_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub public_url: Option<String>,
    pub load_demo: bool,
    /// The demo firm and its accounts (one per role), with the demo catalogue.
    pub demo_accounts: bool,
}

impl Settings {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        Self {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://espace-entreprise.db?mode=rwc".into()),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "Espace Entreprise <ne-pas-repondre@espace-entreprise.local>".into()),
            public_url: var("PUBLIC_URL"),
            load_demo: var("DEMO_CATALOGUE").map(|v| v != "0").unwrap_or(true),
            demo_accounts: var("DEMO_ACCOUNTS").or_else(|| var("DEMO_CATALOGUE")).map(|v| v != "0").unwrap_or(true),
        }
    }
}

/// Opens the database (migrations, demo catalogue on an empty one) and builds the state.
pub async fn build_state(settings: &Settings, leptos_options: LeptosOptions) -> Result<AppState, String> {
    let pool_size = if settings.database_url.starts_with("sqlite:") { 8 } else { 10 };
    let db = db::connect(&settings.database_url, pool_size).await.map_err(|e| format!("database: {e}"))?;
    if settings.load_demo && seed::load_demo_catalogue(&db).await.map_err(|e| format!("demo catalogue: {e}"))? {
        tracing::info!("demo catalogue loaded");
    }
    if settings.load_demo
        && settings.demo_accounts
        && app::server::demo::load_demo_company(&db).await.map_err(|e| format!("demo firm: {e}"))?
    {
        tracing::info!("demo firm loaded (password {})", app::server::demo::DEMO_PASSWORD);
    }
    let mailer = Mailer::new(settings.smtp_url.as_deref(), &settings.mail_from)?;
    let public_url = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", leptos_options.site_addr))
        .trim_end_matches('/')
        .to_string();
    let secure_cookies = public_url.starts_with("https://");
    Ok(AppState { leptos_options, db, mailer, config: Config { public_url, secure_cookies } })
}

/// Every minute, gives back the seats of carts whose hold has expired; every ten
/// minutes, deletes the sessions that are over (their drafts go with them) and the
/// account links that expired or were used.
pub fn spawn_sweeper(db: app::server::Db) {
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
            if minutes.is_multiple_of(10) {
                purge_sessions_and_links(&db).await;
            }
            minutes += 1;
        }
    });
}

/// Deletes the sessions that are over (idle or too old, with their drafts) and the
/// expired or used account links.
pub async fn purge_sessions_and_links(db: &app::server::Db) {
    match app::server::sessions::purge(db).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("purged {n} ended session(s)"),
        Err(e) => tracing::warn!("purging ended sessions: {e}"),
    }
    match app::server::tokens::purge(db).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("purged {n} expired account link(s)"),
        Err(e) => tracing::warn!("purging expired account links: {e}"),
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let ctx_state = state.clone();
    Router::new()
        .route("/documents/{kind}/{id}", axum::routing::get(document))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(ctx_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(check_origin))
        .with_state(state)
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
        Ok((name, bytes)) => (
            [
                (header::CONTENT_TYPE, if kind == "export" { "text/csv; charset=utf-8" } else { "application/pdf" }.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (e.status(), [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], e.to_string()).into_response(),
    }
}

/// Refuses state-changing requests that come from another site: their Origin (or,
/// failing that, Referer) must name this host. Cookies are SameSite=Lax as well.
async fn check_origin(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let same_site = source.as_deref().is_some_and(|s| origin_host(s) == Some(host));
    if same_site && !host.is_empty() {
        next.run(req).await
    } else {
        (StatusCode::FORBIDDEN, "Requête refusée : elle ne provient pas de ce site.").into_response()
    }
}

/// "http://127.0.0.1:3000/x" -> "127.0.0.1:3000"
fn origin_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

#[cfg(test)]
mod tests {
    #[test]
    fn origin_hosts() {
        assert_eq!(super::origin_host("http://127.0.0.1:3000"), Some("127.0.0.1:3000"));
        assert_eq!(super::origin_host("https://a.fr/x?y"), Some("a.fr"));
        assert_eq!(super::origin_host("null"), None);
    }
}
