//! Browser sessions stored in the database. The cookie carries a random token; the
//! table keeps only its SHA-256, so a leaked table cannot be replayed.

use super::db::{now, Db};

const INSERT_SESSION: &str = "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
const DELETE_SESSION: &str = "DELETE FROM auth_sessions WHERE token_hash = $1";
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "ee_session";
pub const LIFETIME_SECS: i64 = 14 * 24 * 3600;

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub hash: String,
    pub user_id: Option<i64>,
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

/// Creates a session and returns (token for the cookie, stored hash).
pub async fn create(db: &Db, user_id: Option<i64>) -> Result<(String, String), sqlx::Error> {
    let token = new_token();
    let hash = hash_token(&token);
    let t = now();
    sqlx::query(INSERT_SESSION)
        .bind(&hash)
        .bind(user_id)
        .bind(t)
        .bind(t + LIFETIME_SECS)
        .execute(db)
        .await?;
    Ok((token, hash))
}

pub async fn lookup(db: &Db, token: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    if token.len() != 64 {
        return Ok(None);
    }
    let hash = hash_token(token);
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT user_id FROM auth_sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(&hash)
            .bind(now())
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(user_id,)| SessionRow { hash, user_id }))
}

/// Log-in: a new session id for `user_id`; the drafts of the old one follow it, and the
/// old one is gone (no session fixation).
pub async fn rotate(db: &Db, old_hash: Option<&str>, user_id: i64) -> Result<(String, String), sqlx::Error> {
    let token = new_token();
    let hash = hash_token(&token);
    let t = now();
    let mut tx = db.begin().await?;
    sqlx::query(INSERT_SESSION)
        .bind(&hash)
        .bind(user_id)
        .bind(t)
        .bind(t + LIFETIME_SECS)
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

pub fn cookie_header(token: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Reads our token from a Cookie header.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header.split(';').map(str::trim).find_map(|kv| kv.strip_prefix(COOKIE).and_then(|r| r.strip_prefix('=')))
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
    }

    #[test]
    fn reads_cookie() {
        assert_eq!(token_from_cookie_header("a=1; ee_session=abc; b=2"), Some("abc"));
        assert_eq!(token_from_cookie_header("ee_sessionx=abc"), None);
        assert!(cookie_header("t", 10, false).contains("HttpOnly; SameSite=Lax"));
        assert!(cookie_header("t", 10, true).ends_with("; Secure"));
    }
}
