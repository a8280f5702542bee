//! Single-use links sent by mail (address confirmation, password reset, change of
//! address): a random token in the link, only its SHA-256 in `account_tokens`, an
//! expiry per purpose, consumed by one conditional update so that two clicks cannot
//! both succeed.

use super::db::{now, Db};
use super::sessions::{hash_token, new_token};

/// What a link is for; each has its own lifetime, and a token of one purpose is worth
/// nothing for another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Proves the account's address (24 h).
    Confirm,
    /// Chooses a new password (1 h).
    Reset,
    /// Proves a new address before it replaces the account's (24 h).
    ChangeEmail,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Reset => "reset",
            Purpose::ChangeEmail => "email",
        }
    }

    pub fn lifetime_secs(self) -> i64 {
        match self {
            Purpose::Confirm | Purpose::ChangeEmail => 24 * 3600,
            Purpose::Reset => 3600,
        }
    }
}

/// A consumed link: whose, and the address it was sent to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Used {
    pub user_id: i64,
    pub email: String,
}

/// Records a link for the account and `email` (the address the mail goes to) and
/// returns the token to put in it. `db`: the pool, or the transaction that mails the
/// link.
pub async fn issue<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: i64,
    purpose: Purpose,
    email: &str,
) -> Result<String, sqlx::Error> {
    let token = new_token();
    let t = now();
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(purpose.code())
    .bind(email)
    .bind(t)
    .bind(t + purpose.lifetime_secs())
    .execute(db)
    .await?;
    Ok(token)
}

/// The link's account and address if it is usable (right purpose, not used, not
/// expired), without using it: for the page that asks to confirm the action.
pub async fn peek(db: &Db, token: &str, purpose: Purpose) -> Result<Option<Used>, sqlx::Error> {
    if token.len() != 64 {
        return Ok(None);
    }
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT user_id, email FROM account_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(hash_token(token))
    .bind(purpose.code())
    .bind(now())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(user_id, email)| Used { user_id, email }))
}

/// Uses the link inside `tx`: `None` when it is unknown, of another purpose, already
/// used or expired. The caller's change commits with the use, or neither happens.
pub async fn consume(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    token: &str,
    purpose: Purpose,
) -> Result<Option<Used>, sqlx::Error> {
    if token.len() != 64 {
        return Ok(None);
    }
    let t = now();
    let hash = hash_token(token);
    let changed = sqlx::query(
        "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4",
    )
    .bind(t)
    .bind(&hash)
    .bind(purpose.code())
    .bind(t)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    let (user_id, email): (i64, String) =
        sqlx::query_as("SELECT user_id, email FROM account_tokens WHERE token_hash = $1").bind(&hash).fetch_one(&mut **tx).await?;
    Ok(Some(Used { user_id, email }))
}

/// How many links of this purpose the account was sent since `since` (unix seconds):
/// what the resend limits count.
pub async fn issued_since(db: &Db, user_id: i64, purpose: Purpose, since: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM account_tokens WHERE user_id = $1 AND purpose = $2 AND created_at > $3")
            .bind(user_id)
            .bind(purpose.code())
            .bind(since)
            .fetch_one(db)
            .await?;
    Ok(n)
}

/// Forgets the account's unused links of this purpose (a new password makes older
/// reset links worthless; a confirmed address, older confirmation links).
pub async fn revoke(db: &Db, user_id: i64, purpose: Purpose) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now())
        .bind(user_id)
        .bind(purpose.code())
        .execute(db)
        .await?;
    Ok(())
}

/// Links expired or used for longer than the retention table keeps them, at `now`:
/// for the periodic purge.
pub async fn purge(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let t = now - crate::domain::retention::keep_secs(crate::domain::retention::Kind::AccountLink);
    Ok(sqlx::query("DELETE FROM account_tokens WHERE expires_at < $1 OR (used_at IS NOT NULL AND used_at < $2)")
        .bind(t)
        .bind(t)
        .execute(db)
        .await?
        .rows_affected())
}
