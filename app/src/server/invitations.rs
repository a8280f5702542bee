//! Invitations for participants without an account: single-use, expiring links.

use super::accounts::{ID_BY_EMAIL, SET_PASSWORD};
use super::db::{new_id, now, Db};
use super::sessions::{hash_token, new_token};

pub const LIFETIME_SECS: i64 = 7 * 24 * 3600;

/// Records an invitation and returns the token to put in the link.
pub async fn create(
    db: &Db,
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

/// Consumes the invitation and creates (or completes) the account; returns the user id,
/// or `None` when the link was already used or has expired.
pub async fn accept(db: &Db, token: &str, password_hash: String) -> Result<Option<i64>, sqlx::Error> {
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
    let existing: Option<(i64,)> =
        sqlx::query_as(ID_BY_EMAIL).bind(&email).fetch_optional(&mut *tx).await?;
    let id = match existing {
        Some((id,)) => {
            sqlx::query(SET_PASSWORD).bind(&password_hash).bind(id).execute(&mut *tx).await?;
            id
        }
        None => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO users (id, email, password_hash, civility, first_name, last_name, phone, profession, \
                 professional_number, address_line, postal_code, city, created_at) \
                 VALUES ($1, $2, $3, '', $4, $5, '', 'collaborateur', '', '', '', '', $6)",
            )
            .bind(id)
            .bind(&email)
            .bind(&password_hash)
            .bind(&first_name)
            .bind(&last_name)
            .bind(t)
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    tx.commit().await?;
    Ok(Some(id))
}
