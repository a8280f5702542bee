//! Per client address limits on the endpoints worth abusing: log-in, the account
//! endpoints that create accounts or send mail (sign-up, recovery, confirmation), and
//! every other endpoint that sends mail. One token bucket per (rule, address), kept in
//! memory by `governor` (each server instance limits on its own; the per-account
//! counters that must hold across instances live in the database). Over the limit: 429,
//! a French message and `Retry-After`.
//!
//! The client address is the TCP peer's (axum's `ConnectInfo`), or, only when the peer
//! is one of the proxies named in `TRUSTED_PROXY`, the last address of
//! `X-Forwarded-For` that is not one of them. IPv6 clients are limited per /64, the
//! block one subscriber gets.

use app::error::AppError;
use app::server::security::{self, Event};
use app::server::throttle::ClientAddr;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A limit: at most `count` requests in a burst, one more every `per_secs / count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub count: u32,
    pub per_secs: u64,
}

impl Limit {
    /// "10/60": 10 requests per 60 seconds.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (count, per) = s.trim().split_once('/').ok_or_else(|| format!("{s:?}: expected COUNT/SECONDS, e.g. 10/60"))?;
        let count: u32 = count.trim().parse().map_err(|_| format!("{s:?}: COUNT is not a number"))?;
        let per_secs: u64 = per.trim().parse().map_err(|_| format!("{s:?}: SECONDS is not a number"))?;
        if count == 0 || per_secs == 0 {
            return Err(format!("{s:?}: COUNT and SECONDS must be at least 1"));
        }
        Ok(Self { count, per_secs })
    }

    fn quota(self) -> Quota {
        let burst = NonZeroU32::new(self.count).unwrap_or(NonZeroU32::MIN);
        let replenish = Duration::from_secs(self.per_secs).checked_div(self.count).unwrap_or(Duration::from_secs(1));
        Quota::with_period(replenish.max(Duration::from_millis(1))).unwrap_or_else(|| Quota::per_second(burst)).allow_burst(burst)
    }
}

/// Which endpoints a rule covers: the path prefixes of their server functions
/// (`/api/<endpoint>`), and its default limit and environment variable.
pub struct Rule {
    pub name: &'static str,
    pub env: &'static str,
    pub default: Limit,
    pub prefixes: &'static [&'static str],
}

/// The one table of limited endpoints. A new endpoint that sends mail goes here.
pub const RULES: &[Rule] = &[
    Rule {
        name: "connexion",
        env: "RATE_LIMIT_LOGIN",
        default: Limit { count: 10, per_secs: 60 },
        // The password and, for an account with a second factor, its code; the password
        // that confirms the erasure of an account.
        prefixes: &["/api/account/login", "/api/account/delete"],
    },
    Rule {
        name: "compte",
        env: "RATE_LIMIT_ACCOUNT",
        default: Limit { count: 10, per_secs: 900 },
        // Sign-up, password recovery and reset, address confirmation and its resend,
        // change of address: they create accounts or mail someone.
        prefixes: &[
            "/api/account/signup",
            "/api/account/forgot",
            "/api/account/recover",
            "/api/account/reset",
            "/api/account/confirm",
            "/api/account/resend",
            "/api/account/email",
            "/api/account/profile/email",
            "/api/account/request-rights",
            "/api/company/request-rights",
        ],
    },
    Rule {
        name: "envois",
        env: "RATE_LIMIT_MAIL",
        default: Limit { count: 60, per_secs: 600 },
        // The other endpoints that send mail: invitations, orders (participants are
        // told), the provider's session operations (confirmation, cancellation,
        // invoices mailed to the company).
        prefixes: &["/api/company/people/invite", "/api/orders/validate", "/api/provider/session/op", "/api/company/grant-request"],
    },
];

/// The rule covering a path, if any.
pub fn rule_for(path: &str) -> Option<usize> {
    RULES.iter().position(|r| r.prefixes.iter().any(|p| path.starts_with(p)))
}

/// The limiters and the proxies trusted to name the client.
pub struct Limiter {
    limits: Vec<(Limit, DefaultKeyedRateLimiter<IpAddr>)>,
    trusted_proxies: Vec<IpAddr>,
    seen: AtomicU64,
}

impl Limiter {
    /// `limits`: one per rule of [`RULES`], in order.
    pub fn new(limits: &[Limit], trusted_proxies: Vec<IpAddr>) -> Self {
        Self {
            limits: limits.iter().map(|l| (*l, RateLimiter::keyed(l.quota()))).collect(),
            trusted_proxies,
            seen: AtomicU64::new(0),
        }
    }

    /// The client's address: the peer, or what a trusted proxy says it forwards for.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer.map(canonical)?;
        if !self.trusted_proxies.contains(&peer) {
            return Some(peer);
        }
        // The proxy appends the address it got the request from: read from the right,
        // skipping our own proxies; what the client wrote on the left is not trusted.
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|a| a.trim().parse::<IpAddr>().map(canonical))
            .collect::<Result<_, _>>()
            .unwrap_or_default();
        Some(forwarded.into_iter().rev().find(|a| !self.trusted_proxies.contains(a)).unwrap_or(peer))
    }

    /// `Err(wait)` when the address is over the rule's limit.
    pub fn check(&self, rule: usize, client: IpAddr) -> Result<(), Duration> {
        if self.seen.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            for (_, l) in &self.limits {
                l.retain_recent();
                l.shrink_to_fit();
            }
        }
        let Some((_, limiter)) = self.limits.get(rule) else { return Ok(()) };
        limiter.check_key(&bucket(client)).map_err(|not_until| not_until.wait_time_from(limiter.clock().now()))
    }
}

/// IPv4-mapped IPv6 addresses as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The key an address is limited under: itself for IPv4, its /64 for IPv6.
fn bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// The message of a 429.
pub fn too_many_message(wait: Duration) -> String {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let when = if secs <= 60 {
        format!("{} seconde{}", secs.max(1), if secs > 1 { "s" } else { "" })
    } else {
        let minutes = secs.div_ceil(60);
        format!("{minutes} minutes")
    };
    format!("Trop de demandes depuis votre adresse : réessayez dans {when}.")
}

/// Finds the client's address (kept in the request for the security log), then applies
/// the limit of the path's rule, if any.
pub async fn limit(State(limiter): State<Arc<Limiter>>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let client = limiter.client(peer, req.headers());
    if let Some(ip) = client {
        req.extensions_mut().insert(ClientAddr(ip));
    }
    let Some(rule) = rule_for(req.uri().path()) else { return next.run(req).await };
    // Without a known address (no peer: never behind axum::serve), all share one bucket.
    let key = client.unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    match limiter.check(rule, key) {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            let detail = format!("{} {}", RULES[rule].name, req.uri().path());
            security::log(Event::RateLimited, None, client.map(|c| c.to_string()).as_deref(), &detail);
            too_many(req.headers(), wait)
        }
    }
}

/// 429 with `Retry-After`: the message as the error JavaScript's server function client
/// decodes (JSON `AppError`), or as text for a browser without JavaScript.
fn too_many(headers: &HeaderMap, wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let message = too_many_message(wait);
    let html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    let (content_type, body) = if html {
        ("text/plain; charset=utf-8", message)
    } else {
        ("application/json", serde_json::to_string(&AppError::TooManyRequests(message.clone())).unwrap_or(message))
    };
    let mut res = (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse() {
        assert_eq!(Limit::parse("10/60"), Ok(Limit { count: 10, per_secs: 60 }));
        assert_eq!(Limit::parse(" 5 / 900 "), Ok(Limit { count: 5, per_secs: 900 }));
        for bad in ["", "10", "0/60", "10/0", "a/b", "-1/60"] {
            assert!(Limit::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn the_table_covers_the_abused_endpoints() {
        assert_eq!(rule_for("/api/account/login").map(|r| RULES[r].name), Some("connexion"));
        assert_eq!(rule_for("/api/account/signup").map(|r| RULES[r].name), Some("compte"));
        assert_eq!(rule_for("/api/account/forgot-password").map(|r| RULES[r].name), Some("compte"));
        assert_eq!(rule_for("/api/orders/validate").map(|r| RULES[r].name), Some("envois"));
        assert_eq!(rule_for("/api/catalogue/search"), None);
        assert_eq!(rule_for("/connexion"), None);
    }

    #[test]
    fn the_burst_then_a_wait() {
        let l = Limiter::new(&[Limit { count: 3, per_secs: 60 }], vec![]);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check(0, a).is_ok());
        }
        let wait = l.check(0, a).unwrap_err();
        assert!(wait > Duration::from_secs(15) && wait <= Duration::from_secs(20), "{wait:?}");
        assert!(l.check(0, "192.0.2.2".parse().unwrap()).is_ok(), "another address is served");
    }

    #[test]
    fn ipv6_is_limited_per_64() {
        let l = Limiter::new(&[Limit { count: 1, per_secs: 60 }], vec![]);
        assert!(l.check(0, "2001:db8:1:2::1".parse().unwrap()).is_ok());
        assert!(l.check(0, "2001:db8:1:2:ffff::9".parse().unwrap()).is_err());
        assert!(l.check(0, "2001:db8:1:3::1".parse().unwrap()).is_ok());
    }

    #[test]
    fn forwarded_for_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7"));
        let untrusting = Limiter::new(&[], vec![]);
        assert_eq!(untrusting.client(Some(proxy), &h), Some(proxy), "no TRUSTED_PROXY: the header is ignored");
        let trusting = Limiter::new(&[], vec![proxy]);
        assert_eq!(trusting.client(Some(proxy), &h), "203.0.113.7".parse().ok(), "the address the proxy appended");
        let other: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(trusting.client(Some(other), &h), Some(other), "a client that is not the proxy cannot forge it");
        h.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(trusting.client(Some(proxy), &h), Some(proxy));
        assert_eq!(untrusting.client("::ffff:192.0.2.9".parse().ok(), &HeaderMap::new()), "192.0.2.9".parse().ok());
    }

    #[test]
    fn messages_in_french() {
        assert_eq!(too_many_message(Duration::from_millis(500)), "Trop de demandes depuis votre adresse : réessayez dans 1 seconde.");
        assert_eq!(too_many_message(Duration::from_secs(42)), "Trop de demandes depuis votre adresse : réessayez dans 42 secondes.");
        assert_eq!(too_many_message(Duration::from_secs(61)), "Trop de demandes depuis votre adresse : réessayez dans 2 minutes.");
    }
}
