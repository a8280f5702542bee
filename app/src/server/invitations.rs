//! Invitations for participants without an account: single-use, expiring links.

use super::db::{new_id, now, Db};
use super::sessions::{hash_token, new_token};

pub const LIFETIME_SECS: i64 = crate::domain::retention::INVITATION_SECS;

/// Records an invitation and returns the token to put in the link.
pub async fn create<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    email: &str,
    first_name: &str,
    last_name: &str,
    company_id: Option<i64>,
    invited_by: i64,
) -> Result<String, sqlx::Error> {
    let token = new_token();
    let t = now();
    sqlx::query(
        "INSERT INTO invitations (token_hash, email, first_name, last_name, company_id, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(hash_token(&token))
    .bind(email)
    .bind(first_name)
    .bind(last_name)
    .bind(company_id)
    .bind(invited_by)
    .bind(t)
    .bind(t + LIFETIME_SECS)
    .execute(db)
    .await?;
    Ok(token)
}

/// Whether an invitation to this address is still usable (not used, not expired).
pub async fn usable_for<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, email: &str) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM invitations WHERE email = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(email)
        .bind(now())
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

#[derive(Clone, Debug)]
pub struct Invitation {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// A usable invitation (not used, not expired).
pub async fn find(db: &Db, token: &str) -> Result<Option<Invitation>, sqlx::Error> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT email, first_name, last_name FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(hash_token(token))
    .bind(now())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(email, first_name, last_name)| Invitation { email, first_name, last_name }))
}

/// What accepting an invitation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accepted {
    /// The account was created (or given its first password), its address proven: the
    /// invitee may be logged in.
    Proven(i64),
    /// The address already had an account with a password and a proven address: the
    /// invitation is used, the password untouched; the invitee logs in with it.
    Existing,
    /// The address has an account with a password but nobody proved it: whoever created
    /// it chose the password, maybe not the invitee. Nothing changes (the invitation stays
    /// usable): the owner confirms it or chooses a new password by mail.
    Unproven,
    /// No account, and no password given to create one: nothing changes.
    PasswordRequired,
}

/// Uses the invitation. It never replaces an existing password: `password_hash` is used
/// only to create the account (or give one without a password its first). `None` when
/// the link was already used or has expired.
pub async fn accept(db: &Db, token: &str, password_hash: Option<String>) -> Result<Option<Accepted>, sqlx::Error> {
    let t = now();
    // Conditional update first: two clicks on the same link cannot both succeed.
    let use_it = sqlx::query("UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3")
        .bind(t)
        .bind(hash_token(token))
        .bind(t);
    let Some(mut tx) = super::db::begin_if_changed(db, use_it).await? else { return Ok(None) };
    let (email, first_name, last_name): (String, String, String) =
        sqlx::query_as("SELECT email, first_name, last_name FROM invitations WHERE token_hash = $1")
            .bind(hash_token(token))
            .fetch_one(&mut *tx)
            .await?;
    let existing: Option<(i64, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT id, password_hash, email_confirmed_at FROM users WHERE email = $1").bind(&email).fetch_optional(&mut *tx).await?;
    let outcome = match (existing, password_hash) {
        (Some((_, Some(_), Some(_))), _) => Accepted::Existing,
        (Some((_, Some(_), None)), _) => {
            tx.rollback().await?;
            return Ok(Some(Accepted::Unproven));
        }
        (_, None) => {
            tx.rollback().await?;
            return Ok(Some(Accepted::PasswordRequired));
        }
        (Some((id, None, _)), Some(hash)) => {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash IS NULL")
                .bind(&hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            super::accounts::mark_confirmed(&mut tx, id, &email).await?;
            Accepted::Proven(id)
        }
        (None, Some(hash)) => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO users (id, email, password_hash, civility, first_name, last_name, phone, profession, \
                 professional_number, address_line, postal_code, city, created_at, email_confirmed_at) \
                 VALUES ($1, $2, $3, '', $4, $5, '', 'collaborateur', '', '', '', '', $6, $6)",
            )
            .bind(id)
            .bind(&email)
            .bind(&hash)
            .bind(&first_name)
            .bind(&last_name)
            .bind(t)
            .execute(&mut *tx)
            .await?;
            Accepted::Proven(id)
        }
    };
    tx.commit().await?;
    Ok(Some(outcome))
}
