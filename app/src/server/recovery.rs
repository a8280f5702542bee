//! "Mot de passe oublié": the link mailed to an account's address, and the new password
//! chosen through it. Using the link proves the mailbox, ends every session of the
//! account and forgets its failed log-ins, so that its owner recovers from a lock-out.

use super::db::{now, Db};
use super::sessions;
use super::tokens::{self, Purpose};

/// The account of an address, if any (addresses are stored normalised).
pub async fn account_of(db: &Db, email: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, first_name FROM users WHERE email = $1").bind(email).fetch_optional(db).await
}

/// Sets the new password through a reset link: `Some(account id)` when the link was
/// usable (one use, within the hour, still the account's address); every reset link of
/// the account is then used up and every one of its sessions ended.
pub async fn reset_password(db: &Db, token: &str, password_hash: &str) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let Some(used) = tokens::consume(&mut tx, token, Purpose::Reset).await? else {
        tx.rollback().await?;
        return Ok(None);
    };
    let t = now();
    // The link went to this address: if the account has changed its address since, the
    // old mailbox no longer speaks for it.
    let changed = sqlx::query(
        "UPDATE users SET password_hash = $1, email_confirmed_at = COALESCE(email_confirmed_at, $2) WHERE id = $3 AND email = $4",
    )
    .bind(password_hash)
    .bind(t)
    .bind(used.user_id)
    .bind(&used.email)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(t)
        .bind(used.user_id)
        .bind(Purpose::Reset.code())
        .execute(&mut *tx)
        .await?;
    sessions::end_all_in(&mut tx, used.user_id, None).await?;
    sqlx::query("DELETE FROM login_failures WHERE email = $1").bind(&used.email).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Some(used.user_id))
}
