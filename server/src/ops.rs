//! What an operator needs from a running instance: readiness (`/readyz`), Prometheus
//! metrics (`/metrics`) and a graceful stop. Liveness (`/healthz`) is in `lib.rs`; log
//! lines and request ids in `logs.rs`.
//!
//! - `/readyz`: 200 when the database answers a `SELECT 1` within [`DB_TIMEOUT`], every
//!   migration this binary embeds is applied, and at most `READY_MAX_BACKLOG` mails wait in
//!   the outbox; otherwise 503 with one line per failed check. A load balancer takes the
//!   instance out while it fails.
//! - `/metrics`: the Prometheus text format, rendered by `metrics-exporter-prometheus`
//!   from what the code records through the `metrics` facade (requests here, security
//!   events in `app::server::security`) plus gauges sampled at each scrape (pool, outbox).
//!   For an operator only: with `METRICS_TOKEN` set, to whoever sends it as a Bearer token;
//!   without it, only to a loopback peer that no proxy forwarded.
//! - [`serve`]: stops accepting at SIGTERM/SIGINT, lets the requests in flight finish, and
//!   gives up on them after `SHUTDOWN_GRACE_SECS`.

use app::server::{AppState, Db};
use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Extensions, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::borrow::Cow;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long `/readyz` and a scrape wait for each database query.
pub const DB_TIMEOUT: Duration = Duration::from_secs(2);

/// Default of `READY_MAX_BACKLOG`.
pub const READY_MAX_BACKLOG: i64 = 1000;

/// Default of `SHUTDOWN_GRACE_SECS`.
pub const SHUTDOWN_GRACE_SECS: u64 = 20;

/// The shortest `METRICS_TOKEN` accepted: a guessable token would open the metrics.
pub const METRICS_TOKEN_MIN_LEN: usize = 16;

/// The operator's settings (`Network::ops`, read by `Settings::from_env`).
#[derive(Clone, Debug)]
pub struct Ops {
    /// `METRICS_TOKEN`: the Bearer token `/metrics` asks for. `None`: served only to a
    /// loopback peer whose request carries no forwarding header.
    pub metrics_token: Option<String>,
    /// `READY_MAX_BACKLOG`: the most mails waiting in the outbox of a ready instance.
    pub ready_max_backlog: i64,
    /// `SHUTDOWN_GRACE_SECS`: how long requests in flight may take once a stop is asked.
    pub shutdown_grace: Duration,
}

impl Default for Ops {
    fn default() -> Self {
        Self { metrics_token: None, ready_max_backlog: READY_MAX_BACKLOG, shutdown_grace: Duration::from_secs(SHUTDOWN_GRACE_SECS) }
    }
}

impl Ops {
    /// Reads `METRICS_TOKEN`, `READY_MAX_BACKLOG` and `SHUTDOWN_GRACE_SECS` through `var`
    /// (unset or blank: `None`); a value that cannot be understood is an error.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut ops = Ops::default();
        if let Some(token) = var("METRICS_TOKEN") {
            let token = token.trim();
            if token.len() < METRICS_TOKEN_MIN_LEN || !token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(format!(
                    "METRICS_TOKEN: at least {METRICS_TOKEN_MIN_LEN} visible ASCII characters without spaces (e.g. `openssl rand -hex 32`)"
                ));
            }
            ops.metrics_token = Some(token.to_string());
        }
        if let Some(v) = var("READY_MAX_BACKLOG") {
            ops.ready_max_backlog = v.trim().parse::<i64>().ok().filter(|n| *n >= 0).ok_or("READY_MAX_BACKLOG: a number of mails, 0 or more")?;
        }
        if let Some(v) = var("SHUTDOWN_GRACE_SECS") {
            let secs = v.trim().parse::<u64>().ok().filter(|n| *n <= 3600).ok_or("SHUTDOWN_GRACE_SECS: a number of seconds, at most 3600")?;
            ops.shutdown_grace = Duration::from_secs(secs);
        }
        Ok(ops)
    }
}

// ---------------------------------------------------------------------------------------
// Readiness

/// What `/readyz` checks; each failed check as one short line (empty: ready). The
/// database is asked first: without it, the other checks cannot be made.
pub async fn readiness(db: &Db, max_backlog: i64) -> Vec<String> {
    match within(DB_TIMEOUT, sqlx::query("SELECT 1").execute(db)).await {
        Ok(_) => {}
        Err(e) => return vec![format!("database: {e}")],
    }
    let mut failed = Vec::new();
    match within(DB_TIMEOUT, sqlx::query_as::<_, (i64,)>("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(db)).await {
        Ok(rows) => {
            let applied: std::collections::HashSet<i64> = rows.into_iter().map(|(v,)| v).collect();
            let missing: Vec<String> = app::server::db::MIGRATOR
                .iter()
                .filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version))
                .map(|m| m.version.to_string())
                .collect();
            if !missing.is_empty() {
                failed.push(format!("migrations: {} not applied ({})", missing.len(), missing.join(", ")));
            }
        }
        Err(e) => failed.push(format!("migrations: {e}")),
    }
    match within(DB_TIMEOUT, app::server::mail::backlog(db)).await {
        Ok((due, _)) if due > max_backlog => failed.push(format!("outbox: {due} mails waiting, more than {max_backlog}")),
        Ok(_) => {}
        Err(e) => failed.push(format!("outbox: {e}")),
    }
    failed
}

/// A database query with a bound on its wait; its error as a short reason (the details
/// go to the log, not to whoever polls `/readyz`).
async fn within<T>(limit: Duration, query: impl Future<Output = Result<T, sqlx::Error>>) -> Result<T, String> {
    match tokio::time::timeout(limit, query).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            tracing::warn!("readiness query failed: {e}");
            Err(match e {
                sqlx::Error::PoolClosed => "pool closed".to_string(),
                sqlx::Error::PoolTimedOut => "no connection available".to_string(),
                sqlx::Error::Database(_) => "query refused".to_string(),
                _ => "unreachable".to_string(),
            })
        }
        Err(_) => Err(format!("no answer within {} s", limit.as_secs())),
    }
}

/// `/readyz`: 200 `ready`, or 503 with the failed checks, never cached.
pub async fn readyz(state: AppState, max_backlog: i64) -> Response {
    let failed = readiness(&state.db, max_backlog).await;
    let (status, body) = if failed.is_empty() {
        (StatusCode::OK, "ready\n".to_string())
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, format!("not ready\n{}\n", failed.join("\n")))
    };
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

// ---------------------------------------------------------------------------------------
// Metrics

/// Requests answered, by route and status class (`2xx`…).
pub const REQUESTS_METRIC: &str = "http_requests_total";
/// Time to the response's head, by route.
pub const LATENCY_METRIC: &str = "http_request_duration_seconds";
/// The route label of a request no route matched (site files, unknown paths): one value,
/// so that unknown paths cannot grow the number of series.
pub const FALLBACK_ROUTE: &str = "fallback";

/// Buckets of the latency histogram, in seconds.
const LATENCY_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process's Prometheus recorder, installed as the `metrics` global recorder the
/// first time a router is built. `None` when another recorder was installed first.
pub fn prometheus() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = match PrometheusBuilder::new().set_buckets_for_metric(Matcher::Full(LATENCY_METRIC.into()), LATENCY_BUCKETS) {
                Ok(b) => b,
                Err(e) => {
                    tracing::error!("metrics disabled: {e}");
                    return None;
                }
            };
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if let Err(e) = metrics::set_global_recorder(recorder) {
                tracing::error!("metrics disabled: {e}");
                return None;
            }
            describe();
            // Histogram samples pile up between scrapes until upkeep folds them in: do it
            // on a clock, in case nobody scrapes.
            let upkeep = handle.clone();
            let spawned = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || loop {
                std::thread::sleep(Duration::from_secs(5));
                upkeep.run_upkeep();
            });
            if let Err(e) = spawned {
                tracing::warn!("metrics upkeep thread not started: {e}");
            }
            Some(handle)
        })
        .as_ref()
}

/// The `# HELP` lines.
fn describe() {
    use app::server::security::{EVENTS_METRIC, LOGIN_FAILURES_METRIC};
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(REQUESTS_METRIC, "HTTP requests answered, by route template and status class");
    describe_histogram!(LATENCY_METRIC, Unit::Seconds, "Time from a request to its response's head, by route template");
    describe_gauge!("db_pool_connections", "Connections open in this instance's database pool");
    describe_gauge!("db_pool_connections_idle", "Open connections of the pool waiting for work");
    describe_gauge!("db_pool_connections_in_use", "Connections of the pool lent to a request or task");
    describe_gauge!("db_pool_connections_max", "The pool's maximum number of connections");
    describe_gauge!("database_up", "1 when the last scrape's database queries answered, 0 otherwise");
    describe_gauge!("outbox_backlog", "Mails in the outbox waiting to be sent (due now or at a later attempt)");
    describe_gauge!("outbox_failed", "Mails given up (refused for good, or not sent within 24 hours)");
    describe_counter!(LOGIN_FAILURES_METRIC, "Log-ins refused: wrong password or unknown address, locked address, wrong second-factor code");
    describe_counter!(EVENTS_METRIC, "Events of the security log, by event");
}

/// The route label of a request: the template of the route that matched
/// (`/entreprise/{id}`, `/api/account/login`, `/pkg/*`), never the path as sent; every
/// request no route matched shares [`FALLBACK_ROUTE`].
pub fn route_label(extensions: &Extensions) -> Cow<'static, str> {
    match extensions.get::<MatchedPath>() {
        // A nested service's template ends with its catch-all parameter.
        Some(m) => match m.as_str().find("{*") {
            Some(at) => Cow::Owned(format!("{}*", &m.as_str()[..at])),
            None => Cow::Owned(m.as_str().to_string()),
        },
        None => Cow::Borrowed(FALLBACK_ROUTE),
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// Counts and times each request (route label: [`route_label`]).
async fn track(req: Request, next: Next) -> Response {
    let route = route_label(req.extensions());
    let started = Instant::now();
    let res = next.run(req).await;
    metrics::histogram!(LATENCY_METRIC, "route" => route.clone()).record(started.elapsed().as_secs_f64());
    metrics::counter!(REQUESTS_METRIC, "route" => route, "status" => status_class(res.status())).increment(1);
    res
}

/// The router with every request counted and timed. Applied to each route (a
/// `Router::layer`), so that the matched route is known.
pub fn with_metrics(router: Router) -> Router {
    // Installs the recorder before the first request is counted.
    prometheus();
    router.layer(middleware::from_fn(track))
}

/// Samples what is read rather than counted: the pool, and the outbox (one query).
async fn sample(db: &Db) {
    let size = db.size();
    let idle = u32::try_from(db.num_idle()).unwrap_or(u32::MAX).min(size);
    metrics::gauge!("db_pool_connections").set(size);
    metrics::gauge!("db_pool_connections_idle").set(idle);
    metrics::gauge!("db_pool_connections_in_use").set(size - idle);
    metrics::gauge!("db_pool_connections_max").set(db.options().get_max_connections());
    match within(DB_TIMEOUT, app::server::mail::backlog(db)).await {
        Ok((due, failed)) => {
            metrics::gauge!("database_up").set(1.0);
            metrics::gauge!("outbox_backlog").set(due as f64);
            metrics::gauge!("outbox_failed").set(failed as f64);
        }
        Err(_) => metrics::gauge!("database_up").set(0.0),
    }
}

/// Whether this request may read `/metrics`: with a token configured, it must carry it
/// (`Authorization: Bearer …`, whatever its address); without one, its TCP peer must be
/// a loopback address and no proxy may have forwarded it (a reverse proxy on the same
/// machine would otherwise open the metrics to the internet). A refusal: its status and
/// its reason.
pub fn may_read_metrics(token: Option<&str>, peer: Option<SocketAddr>, headers: &HeaderMap) -> Result<(), (StatusCode, &'static str)> {
    match token {
        Some(expected) => {
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim);
            match given {
                Some(given) if same_secret(given.as_bytes(), expected.as_bytes()) => Ok(()),
                _ => Err((StatusCode::UNAUTHORIZED, "metrics: a valid Bearer token is required\n")),
            }
        }
        None => {
            let forwarded = ["x-forwarded-for", "forwarded", "x-real-ip"].iter().any(|h| headers.contains_key(*h));
            if peer.is_some_and(|p| p.ip().is_loopback()) && !forwarded {
                Ok(())
            } else {
                Err((StatusCode::FORBIDDEN, "metrics: only from this machine unless METRICS_TOKEN is set\n"))
            }
        }
    }
}

/// Compares two secrets in a time that does not depend on where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `/metrics`: the Prometheus text exposition format, to the operator only.
pub async fn metrics_endpoint(state: AppState, token: Option<&str>, peer: Option<SocketAddr>, headers: &HeaderMap) -> Response {
    if let Err((status, why)) = may_read_metrics(token, peer, headers) {
        let mut res = (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], why).into_response();
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        return res;
    }
    let Some(handle) = prometheus() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "metrics: no recorder\n").into_response();
    };
    sample(&state.db).await;
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        handle.render(),
    )
        .into_response()
}

/// The peer's address, as `axum::serve` with connect info gives it.
pub fn peer_of(extensions: &Extensions) -> Option<SocketAddr> {
    extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)
}

// ---------------------------------------------------------------------------------------
// Graceful stop

/// Serves `app` on `listener` (each request knowing its peer's address, for the limits
/// and the security log) until `stop` resolves; then accepts no more connections, lets
/// the requests in flight finish, and returns once they have — or once `grace` has
/// passed, when the caller exits and cuts what is left.
pub async fn serve<L>(listener: L, app: Router, stop: impl Future<Output = ()> + Send + 'static, grace: Duration) -> std::io::Result<()>
where
    L: Listener,
    L::Addr: std::fmt::Debug,
    for<'a> SocketAddr: axum::extract::connect_info::Connected<IncomingStream<'a, L>>,
{
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            let mut stopped = stopped;
            // Also ends when the sender is gone: nothing can ask for a stop any more.
            let _ = stopped.wait_for(|s| *s).await;
        })
        .into_future();
    let mut server = std::pin::pin!(server);
    let mut stop = std::pin::pin!(stop);
    tokio::select! {
        done = &mut server => return done,
        () = &mut stop => {}
    }
    tracing::info!("stopping: no new connection; requests in flight have {} s to finish", grace.as_secs());
    let _ = stopping.send(true);
    match tokio::time::timeout(grace, server).await {
        Ok(done) => {
            tracing::info!("stopped: every request finished");
            done
        }
        Err(_) => {
            tracing::warn!("stopped after {} s: requests still in flight are cut", grace.as_secs());
            Ok(())
        }
    }
}

/// Resolves with the signal's name at the first SIGTERM (what service managers and
/// container runtimes send) or SIGINT (Ctrl-C). The handlers are installed by this call,
/// before anything awaits it, so that a signal arriving early is not lost.
#[cfg(unix)]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = &'static str> + Send + 'static> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        }
    })
}

/// Resolves at Ctrl-C (systems without Unix signals).
#[cfg(not(unix))]
pub fn shutdown_signal() -> std::io::Result<impl Future<Output = &'static str> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn settings_from_the_environment() {
        let d = Ops::from_vars(vars(&[])).unwrap();
        assert_eq!((d.metrics_token, d.ready_max_backlog, d.shutdown_grace), (None, 1000, Duration::from_secs(20)));
        let o = Ops::from_vars(vars(&[("METRICS_TOKEN", " 0123456789abcdef0123 "), ("READY_MAX_BACKLOG", "50"), ("SHUTDOWN_GRACE_SECS", "5")])).unwrap();
        assert_eq!((o.metrics_token.as_deref(), o.ready_max_backlog, o.shutdown_grace), (Some("0123456789abcdef0123"), 50, Duration::from_secs(5)));
        for bad in [("METRICS_TOKEN", "court"), ("METRICS_TOKEN", "with a space inside it!"), ("READY_MAX_BACKLOG", "-1"), ("READY_MAX_BACKLOG", "x"), ("SHUTDOWN_GRACE_SECS", "1h")] {
            assert!(Ops::from_vars(vars(&[bad])).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn who_may_read_the_metrics() {
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let local6: SocketAddr = "[::1]:5000".parse().unwrap();
        let far: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        let none = HeaderMap::new();
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        let status = |r: Result<(), (StatusCode, &str)>| r.err().map(|(s, _)| s);
        // No token: this machine only, and not through a proxy.
        assert_eq!(status(may_read_metrics(None, Some(local), &none)), None);
        assert_eq!(status(may_read_metrics(None, Some(local6), &none)), None);
        assert_eq!(status(may_read_metrics(None, Some(far), &none)), Some(StatusCode::FORBIDDEN));
        assert_eq!(status(may_read_metrics(None, Some(local), &proxied)), Some(StatusCode::FORBIDDEN));
        assert_eq!(status(may_read_metrics(None, None, &none)), Some(StatusCode::FORBIDDEN));
        // A token: required from everywhere, loopback included.
        let token = Some("0123456789abcdef");
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer 0123456789abcdef"));
        let mut wrong = HeaderMap::new();
        wrong.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer 0123456789abcdeX"));
        assert_eq!(status(may_read_metrics(token, Some(far), &bearer)), None);
        assert_eq!(status(may_read_metrics(token, Some(far), &wrong)), Some(StatusCode::UNAUTHORIZED));
        assert_eq!(status(may_read_metrics(token, Some(local), &none)), Some(StatusCode::UNAUTHORIZED));
    }

    #[test]
    fn status_classes() {
        assert_eq!(status_class(StatusCode::OK), "2xx");
        assert_eq!(status_class(StatusCode::SEE_OTHER), "3xx");
        assert_eq!(status_class(StatusCode::TOO_MANY_REQUESTS), "4xx");
        assert_eq!(status_class(StatusCode::SERVICE_UNAVAILABLE), "5xx");
    }
}
