//! Security headers on every response, and the Origin check of state-changing requests.
//!
//! Pages get a Content-Security-Policy that allows the scripts carrying the nonce Leptos
//! generates for the response (its hydration script and the data scripts), the site's
//! own module and wasm (`'wasm-unsafe-eval'` to compile it), and nothing inline
//! without the nonce; every other response (server functions, files, documents, errors,
//! 429) gets the same policy without a nonce. Then `nosniff`, `same-origin` referrers,
//! no framing, and HSTS when the public URL is https.

use app::server::security::{self, Event};
use app::server::throttle::ClientAddr;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy; `nonce`: the one Leptos put on the page's scripts.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Puts the nonce's policy on the page being rendered (called from the shell, where
/// Leptos has provided the nonce and the response options).
pub fn page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else { return };
    if let Ok(v) = HeaderValue::from_str(&content_security_policy(Some(&*nonce))) {
        res.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
}

/// The layers that add the headers to every response of the router.
pub fn with_headers(router: Router, https: bool) -> Router {
    let fixed = |name: HeaderName, value: &'static str| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    let default_csp = HeaderValue::from_str(&content_security_policy(None)).unwrap_or(HeaderValue::from_static("default-src 'none'"));
    let router = router
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, default_csp))
        .layer(fixed(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(fixed(header::REFERRER_POLICY, "same-origin"))
        .layer(fixed(header::X_FRAME_OPTIONS, "DENY"));
    if https {
        router.layer(fixed(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"))
    } else {
        router
    }
}

/// An origin: scheme, host, port (the default port of the scheme made explicit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an absolute URL ("https://a.fr:8443/x" → https, a.fr, 8443).
    pub fn of(url: &str) -> Option<Self> {
        let (scheme, rest) = url.trim().split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        if authority.is_empty() || authority.contains('@') {
            return None;
        }
        let (host, port) = match authority.rsplit_once(':') {
            // "[::1]:3000" or "host:3000"; not the colons inside "[::1]".
            Some((h, p)) if !p.contains(']') => (h, p.parse::<u16>().ok()?),
            _ => (authority, default_port),
        };
        if host.is_empty() {
            return None;
        }
        Some(Self { scheme, host: host.to_ascii_lowercase(), port })
    }
}

/// Refuses state-changing requests that come from another site: their Origin (or,
/// failing that, Referer) must be the configured public URL's origin — scheme, host
/// and port — whatever the Host header says. Cookies are SameSite=Lax as well.
pub async fn check_origin(State(expected): State<Arc<Origin>>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let source = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|v| v.to_str().ok());
    if source.and_then(Origin::of).as_ref() == Some(&*expected) {
        return next.run(req).await;
    }
    let client = req.extensions().get::<ClientAddr>().map(|c| c.0.to_string());
    let detail: String = format!("{} {} from {}", req.method(), req.uri().path(), source.unwrap_or("(none)"))
        .chars()
        .filter(|c| !c.is_control())
        .take(300)
        .collect();
    security::log(Event::OriginRefused, None, client.as_deref(), &detail);
    (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Requête refusée : elle ne provient pas de ce site.")
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let o = |s: &str| Origin::of(s);
        assert_eq!(o("http://127.0.0.1:3000"), o("http://127.0.0.1:3000/x?y"));
        assert_eq!(o("https://a.fr"), o("HTTPS://A.FR:443/"));
        assert_eq!(o("http://a.fr"), o("http://a.fr:80"));
        assert_ne!(o("http://a.fr"), o("https://a.fr"), "the scheme counts");
        assert_ne!(o("http://a.fr:3000"), o("http://a.fr:3001"), "the port counts");
        assert_ne!(o("http://a.fr"), o("http://a.fr.evil.example"));
        assert_eq!(o("http://[::1]:3000").map(|x| x.port), Some(3000));
        assert_eq!(o("http://[::1]").map(|x| x.port), Some(80));
        for bad in ["null", "", "a.fr", "ftp://a.fr", "http://", "http://a.fr:x", "http://user@evil.example"] {
            assert_eq!(o(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_policy_locks_down_what_matters() {
        let p = content_security_policy(Some("abc"));
        for part in ["script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"] {
            assert!(p.contains(part), "{p}");
        }
        assert!(!p.contains("unsafe-inline") && !p.contains("'unsafe-eval'"), "{p}");
        assert!(!content_security_policy(None).contains("nonce"));
    }
}
