//! Log lines, as text or as JSON objects (`LOG_FORMAT=json`), and the request id: each
//! request gets one (`x-request-id`, returned in the response), and every line logged
//! while it is served carries it in its `request` span, with the method and the route
//! template (never the path as sent: paths carry single-use tokens).

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing_subscriber::fmt::format::{Format, Json, JsonFields};
use tracing_subscriber::fmt::{MakeWriter, SubscriberBuilder};
use tracing_subscriber::EnvFilter;

/// The header of the request id, in the request and in its response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id kept from a client or a proxy.
pub const MAX_REQUEST_ID_LEN: usize = 64;

/// `LOG_FORMAT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

impl LogFormat {
    /// `LOG_FORMAT` as set (`None` or blank: text).
    pub fn parse(value: Option<&str>) -> Result<Self, String> {
        match value.map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            None | Some("") | Some("text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(format!("LOG_FORMAT: {other:?}, expected json or text")),
        }
    }
}

/// What is logged: `RUST_LOG` when set, else `info` (sqlx only from `warn`).
pub fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"))
}

/// The JSON lines: the event's fields at the top level (`timestamp`, `level`, `target`,
/// `message`, …) and the innermost span's under `span` — for a request, its `request`
/// span with `request_id`, `method` and `route`.
pub fn json_subscriber<W>(writer: W) -> SubscriberBuilder<JsonFields, Format<Json>, EnvFilter, W>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(writer)
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
}

/// Installs the process's logger, on standard output.
pub fn init(format: LogFormat) -> Result<(), String> {
    match format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter()).try_init(),
        LogFormat::Json => json_subscriber(std::io::stdout).try_init(),
    }
    .map_err(|e| e.to_string())
}

/// Whether a request id sent by a client or a proxy is kept: 1 to
/// [`MAX_REQUEST_ID_LEN`] letters, digits, `-`, `_`, `.` or `:` (what uuids, nginx's
/// `$request_id` and tracing ids are made of). Anything else could forge log lines or
/// flood them, and is replaced.
pub fn acceptable_request_id(v: &HeaderValue) -> bool {
    let b = v.as_bytes();
    !b.is_empty() && b.len() <= MAX_REQUEST_ID_LEN && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':'))
}

/// Drops a request id that is not [`acceptable_request_id`], or that is sent twice, so
/// that a new one is made.
async fn drop_unsafe_request_id(mut req: Request, next: Next) -> Response {
    let mut sent = req.headers().get_all(&REQUEST_ID).iter();
    let keep = match (sent.next(), sent.next()) {
        (None, _) => true,
        (Some(one), None) => acceptable_request_id(one),
        (Some(_), Some(_)) => false,
    };
    if !keep {
        req.headers_mut().remove(&REQUEST_ID);
    }
    next.run(req).await
}

/// The span every line logged while serving the request carries.
fn request_span(req: &Request<Body>) -> tracing::Span {
    let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
    let route = crate::ops::route_label(req.extensions());
    tracing::info_span!("request", request_id = %id, method = %req.method(), route = %route)
}

/// The router with request ids and their spans. Outermost first: a forged id is
/// dropped, a missing one made (a random uuid), copied to the response, and the request
/// served inside its span (`tower_http::trace` logs each response at `debug` and each
/// server error at `error`).
pub fn with_request_ids(router: Router) -> Router {
    router
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(middleware::from_fn(drop_unsafe_request_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_kept_or_replaced() {
        for good in ["0b5a3c1e-6f7d-4a3b-9c2d-1e2f3a4b5c6d", "abc", "req_42.a:b", &"x".repeat(MAX_REQUEST_ID_LEN)] {
            assert!(acceptable_request_id(&HeaderValue::from_str(good).unwrap()), "{good}");
        }
        for bad in ["", "a b", "id\"}{\"level\":\"ERROR", "<script>", "é", &"x".repeat(MAX_REQUEST_ID_LEN + 1)] {
            let v = HeaderValue::from_bytes(bad.as_bytes()).unwrap();
            assert!(!acceptable_request_id(&v), "{bad}");
        }
    }

    #[test]
    fn log_formats() {
        assert_eq!(LogFormat::parse(None), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some(" JSON ")), Ok(LogFormat::Json));
        assert_eq!(LogFormat::parse(Some("text")), Ok(LogFormat::Text));
        assert!(LogFormat::parse(Some("xml")).is_err());
    }
}
