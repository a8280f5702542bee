//! Browser sessions stored in the database. The cookie carries a random token; the
//! table keeps only its SHA-256, so a leaked table cannot be replayed.
//!
//! A session ends after `IDLE_SECS` without use and `ABSOLUTE_SECS` after it began (the
//! log-in makes a new one), whichever comes first. Use renews it at most once a minute
//! (`RENEW_AFTER_SECS`), so that a page's several reads write once.

use super::db::{now, Db};
use rand::RngCore;
use sha2::{Digest, Sha256};

const INSERT_SESSION: &str = "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent) \
     VALUES ($1, $2, $3, $4, $5, $6)";
const DELETE_SESSION: &str = "DELETE FROM auth_sessions WHERE token_hash = $1";

/// The cookie's name over plain http.
pub const COOKIE: &str = "ee_session";
/// The cookie's name over https: the `__Host-` prefix makes the browser refuse it unless
/// it is `Secure`, set by this very host, without `Domain` and for `Path=/`.
pub const SECURE_COOKIE: &str = "__Host-ee_session";
/// A session unused for this long is over (1 hour).
pub const IDLE_SECS: i64 = crate::domain::retention::SESSION_IDLE_SECS;
/// A session is over this long after it began, used or not (12 hours).
pub const ABSOLUTE_SECS: i64 = crate::domain::retention::SESSION_MAX_SECS;
/// Use renews the session when its last renewal is at least this old.
pub const RENEW_AFTER_SECS: i64 = 60;
/// The browser's User-Agent is kept up to this many characters.
const USER_AGENT_MAX: usize = 300;

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub hash: String,
    pub user_id: Option<i64>,
    /// Whether the session held form drafts (a flash message, a form's answer) when it
    /// was read; `false` spares the pages that look for one a query each.
    pub drafts: bool,
}

/// A valid session found from its cookie.
#[derive(Clone, Debug)]
pub struct Found {
    pub session: SessionRow,
    /// The session's account, read by the same query.
    pub user: Option<crate::domain::account::CurrentUser>,
    /// When this request renewed the session: the Max-Age the cookie should now carry.
    pub refresh: Option<i64>,
}

/// An open session of an account, as "Mon compte" lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenSession {
    /// A public name of the session (derived from its stored hash; never the token).
    pub id: String,
    pub user_agent: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The name under which a session is shown and ended from "Mon compte": a hash of its
/// stored hash, so that the page never shows what identifies its drafts.
pub fn public_id(hash: &str) -> String {
    hash_token(&format!("session:{hash}"))[..32].to_string()
}

fn truncated(user_agent: &str) -> String {
    user_agent.chars().filter(|c| !c.is_control()).take(USER_AGENT_MAX).collect()
}

/// Creates a session and returns (token for the cookie, stored hash).
pub async fn create(db: &Db, user_id: Option<i64>, user_agent: &str) -> Result<(String, String), sqlx::Error> {
    let token = new_token();
    let hash = hash_token(&token);
    let t = now();
    sqlx::query(INSERT_SESSION)
        .bind(&hash)
        .bind(user_id)
        .bind(t)
        .bind(t + ABSOLUTE_SECS)
        .bind(t)
        .bind(truncated(user_agent))
        .execute(db)
        .await?;
    Ok((token, hash))
}

/// The session of a cookie's token, if it is neither idle for too long nor too old;
/// renews it when its last renewal is a minute old or more.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<Found>, sqlx::Error> {
    if token.len() != 64 {
        return Ok(None);
    }
    let hash = hash_token(token);
    let t = now();
    #[derive(sqlx::FromRow)]
    struct Row {
        user_id: Option<i64>,
        expires_at: i64,
        last_seen_at: i64,
        email: Option<String>,
        first_name: Option<String>,
        last_name: Option<String>,
        email_confirmed_at: Option<i64>,
        totp_secret: Option<String>,
        drafts: i64,
    }
    // One query for the session, its account and whether it holds drafts: every page asks
    // for the first two, and most would then look for a flash message or a form's answer.
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.user_id, s.expires_at, s.last_seen_at, u.email, u.first_name, u.last_name, u.email_confirmed_at, u.totp_secret, \
         (SELECT COUNT(*) FROM form_drafts d WHERE d.session_hash = s.token_hash) AS drafts \
         FROM auth_sessions s LEFT JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3",
    )
    .bind(&hash)
    .bind(t)
    .bind(t - IDLE_SECS)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let (user_id, expires_at, last_seen_at, drafts) = (row.user_id, row.expires_at, row.last_seen_at, row.drafts > 0);
    let user = match (user_id, row.email, row.first_name, row.last_name) {
        (Some(id), Some(email), Some(first), Some(last)) => {
            Some(super::accounts::current_user(id, email, first, last, row.email_confirmed_at, row.totp_secret.is_some()))
        }
        _ => None,
    };
    let mut refresh = None;
    if t - last_seen_at >= RENEW_AFTER_SECS {
        // Conditional on the value read: of several requests renewing at once, one writes.
        let renewed = sqlx::query("UPDATE auth_sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at = $3")
            .bind(t)
            .bind(&hash)
            .bind(last_seen_at)
            .execute(db)
            .await?
            .rows_affected();
        if renewed == 1 {
            refresh = Some(cookie_max_age(t, expires_at));
        }
    }
    Ok(Some(Found { session: SessionRow { hash, user_id, drafts }, user, refresh }))
}

/// The cookie's lifetime at `t` for a session ending at `expires_at` at the latest.
pub fn cookie_max_age(t: i64, expires_at: i64) -> i64 {
    IDLE_SECS.min(expires_at - t).max(0)
}

/// Log-in: a new session id for `user_id`; the drafts of the old one follow it, and the
/// old one is gone (no session fixation).
pub async fn rotate(db: &Db, old_hash: Option<&str>, user_id: i64, user_agent: &str) -> Result<(String, String), sqlx::Error> {
    let token = new_token();
    let hash = hash_token(&token);
    let t = now();
    let mut tx = super::db::begin(db).await?;
    sqlx::query(INSERT_SESSION)
        .bind(&hash)
        .bind(user_id)
        .bind(t)
        .bind(t + ABSOLUTE_SECS)
        .bind(t)
        .bind(truncated(user_agent))
        .execute(&mut *tx)
        .await?;
    if let Some(old) = old_hash {
        sqlx::query("UPDATE form_drafts SET session_hash = $1 WHERE session_hash = $2")
            .bind(&hash)
            .bind(old)
            .execute(&mut *tx)
            .await?;
        sqlx::query(DELETE_SESSION).bind(old).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok((token, hash))
}

pub async fn delete(db: &Db, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM form_drafts WHERE session_hash = $1").bind(hash).execute(db).await?;
    sqlx::query(DELETE_SESSION).bind(hash).execute(db).await?;
    Ok(())
}

/// Ends every session of the account but `keep` (with their drafts), inside `tx`.
pub async fn end_all_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: i64,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let keep = keep.unwrap_or("");
    sqlx::query(
        "DELETE FROM form_drafts WHERE session_hash IN (SELECT token_hash FROM auth_sessions WHERE user_id = $1 AND token_hash <> $2)",
    )
    .bind(user_id)
    .bind(keep)
    .execute(&mut **tx)
    .await?;
    Ok(sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Ends every session of the account but `keep`.
pub async fn end_all(db: &Db, user_id: i64, keep: Option<&str>) -> Result<u64, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let n = end_all_in(&mut tx, user_id, keep).await?;
    tx.commit().await?;
    Ok(n)
}

/// The account's open sessions, the most recently used first; `current` is the
/// caller's own session hash.
pub async fn of_user(db: &Db, user_id: i64, current: Option<&str>) -> Result<Vec<OpenSession>, sqlx::Error> {
    let t = now();
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT token_hash, user_agent, created_at, last_seen_at FROM auth_sessions \
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(t)
    .bind(t - IDLE_SECS)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(hash, user_agent, created_at, last_seen_at)| OpenSession {
            id: public_id(&hash),
            user_agent,
            created_at,
            last_seen_at,
            current: current == Some(hash.as_str()),
        })
        .collect())
}

/// Ends the account's session shown as `id`: its stored hash, or `None` when the
/// account has no such session (another account's session is never reached).
pub async fn end_one(db: &Db, user_id: i64, id: &str) -> Result<Option<String>, sqlx::Error> {
    let hashes: Vec<(String,)> =
        sqlx::query_as("SELECT token_hash FROM auth_sessions WHERE user_id = $1").bind(user_id).fetch_all(db).await?;
    let Some((hash,)) = hashes.into_iter().find(|(h,)| public_id(h) == id) else { return Ok(None) };
    sqlx::query("DELETE FROM form_drafts WHERE session_hash = $1").bind(&hash).execute(db).await?;
    sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1 AND user_id = $2").bind(&hash).bind(user_id).execute(db).await?;
    Ok(Some(hash))
}

/// Deletes the sessions over at `now` (idle or too old) for longer than the retention
/// table keeps them, with their drafts: for the periodic purge.
pub async fn purge(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let t = now - crate::domain::retention::keep_secs(crate::domain::retention::Kind::EndedSession);
    let over = "SELECT token_hash FROM auth_sessions WHERE expires_at <= $1 OR last_seen_at <= $2";
    sqlx::query(&format!("DELETE FROM form_drafts WHERE session_hash IN ({over})"))
        .bind(t)
        .bind(t - IDLE_SECS)
        .execute(db)
        .await?;
    Ok(sqlx::query("DELETE FROM auth_sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(t)
        .bind(t - IDLE_SECS)
        .execute(db)
        .await?
        .rows_affected())
}

pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

/// The Set-Cookie value: over https `Secure` with the `__Host-` prefix (hence `Path=/`
/// and no `Domain`).
pub fn cookie_header(token: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// Reads our token from a Cookie header (over https, only the `__Host-` cookie counts:
/// a plain one may have been planted by a neighbouring host).
pub fn token_from_cookie_header(header: &str, secure: bool) -> Option<&str> {
    let name = cookie_name(secure);
    header.split(';').map(str::trim).find_map(|kv| kv.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert_ne!(hash_token(&a), a);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(public_id(&hash_token(&a)), hash_token(&a)[..32]);
    }

    #[test]
    fn reads_cookie() {
        assert_eq!(token_from_cookie_header("a=1; ee_session=abc; b=2", false), Some("abc"));
        assert_eq!(token_from_cookie_header("ee_sessionx=abc", false), None);
        assert_eq!(token_from_cookie_header("ee_session=abc", true), None, "over https only the __Host- cookie");
        assert_eq!(token_from_cookie_header("a=1; __Host-ee_session=abc", true), Some("abc"));
        assert!(cookie_header("t", 10, false).starts_with("ee_session=t; Path=/; HttpOnly; SameSite=Lax"));
        assert!(!cookie_header("t", 10, false).contains("Secure"));
        let secure = cookie_header("t", 10, true);
        assert!(secure.starts_with("__Host-ee_session=t; Path=/;") && secure.ends_with("; Secure"), "{secure}");
        assert!(!secure.contains("Domain"));
    }

    #[test]
    fn cookie_lifetime_follows_both_limits() {
        assert_eq!(cookie_max_age(0, ABSOLUTE_SECS), IDLE_SECS);
        assert_eq!(cookie_max_age(ABSOLUTE_SECS - 600, ABSOLUTE_SECS), 600);
        assert_eq!(cookie_max_age(ABSOLUTE_SECS + 5, ABSOLUTE_SECS), 0);
    }

    #[test]
    fn user_agents_are_cut_and_cleaned() {
        assert_eq!(truncated("a\nb\u{0}c"), "abc");
        assert_eq!(truncated(&"é".repeat(1000)).chars().count(), USER_AGENT_MAX);
    }
}
