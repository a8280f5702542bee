//! "Mon compte": the account's own details, its password and its address. A new
//! address replaces the old one only through a link mailed to it (24 h).

use super::db::{now, Db};
use super::sessions;
use super::tokens::{self, Purpose};
use crate::domain::account::{SignupForm, ValidSignup};

#[derive(sqlx::FromRow)]
struct DetailsRow {
    civility: String,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    profession: String,
    professional_number: String,
    address_line: String,
    postal_code: String,
    city: String,
}

/// The account's details as the form shows them.
pub async fn details(db: &Db, user_id: i64) -> Result<Option<SignupForm>, sqlx::Error> {
    let row: Option<DetailsRow> = sqlx::query_as(
        "SELECT civility, first_name, last_name, email, phone, profession, professional_number, address_line, postal_code, city \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| SignupForm {
        civility: r.civility,
        first_name: r.first_name,
        last_name: r.last_name,
        email: r.email,
        phone: r.phone,
        profession: r.profession,
        professional_number: r.professional_number,
        address_line: r.address_line,
        postal_code: r.postal_code,
        city: r.city,
    }))
}

/// Saves the personal, professional and contact details (never the address: it
/// changes only through `change_email`).
pub async fn update_details(db: &Db, user_id: i64, d: &ValidSignup) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET civility = $1, first_name = $2, last_name = $3, phone = $4, profession = $5, professional_number = $6, \
         address_line = $7, postal_code = $8, city = $9 WHERE id = $10",
    )
    .bind(&d.civility)
    .bind(d.first_name.as_str())
    .bind(d.last_name.as_str())
    .bind(d.phone.as_str())
    .bind(&d.profession)
    .bind(&d.professional_number)
    .bind(d.address_line.as_str())
    .bind(d.postal_code.as_str())
    .bind(d.city.as_str())
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(())
}

/// A new password, chosen by the account's owner (who typed the current one): every
/// other session of the account ends, and unused reset links are used up. Returns how
/// many sessions were ended.
pub async fn change_password(db: &Db, user_id: i64, password_hash: &str, keep_session: &str) -> Result<u64, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    sqlx::query(super::accounts::SET_PASSWORD).bind(password_hash).bind(user_id).execute(&mut *tx).await?;
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now())
        .bind(user_id)
        .bind(Purpose::Reset.code())
        .execute(&mut *tx)
        .await?;
    let ended = sessions::end_all_in(&mut tx, user_id, Some(keep_session)).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Whether an account other than `user_id` holds the address.
pub async fn email_taken(db: &Db, email: &str, user_id: i64) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE email = $1 AND id <> $2").bind(email).bind(user_id).fetch_optional(db).await?;
    Ok(row.is_some())
}

/// What became of a confirmed change of address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmailChange {
    /// The address changed from `old` to `new`.
    Changed { old: String, new: String },
    /// Another account took the address since the link was sent.
    Taken,
    /// The link is unknown, used, expired, or not this account's.
    Invalid,
}

/// Replaces the account's address by the one the link was sent to (proven by the link),
/// if no other account holds it now. Only the account that asked may use the link. The
/// old address is told, by the mail `tell_old(old, new)`, written with the change.
pub async fn change_email(
    db: &Db,
    mailer: &super::mail::Mailer,
    token: &str,
    user_id: i64,
    tell_old: impl FnOnce(&str, &str) -> super::outbox::Mail,
) -> Result<EmailChange, sqlx::Error> {
    match tokens::peek(db, token, Purpose::ChangeEmail).await? {
        Some(used) if used.user_id == user_id => {
            if email_taken(db, &used.email, user_id).await? {
                return Ok(EmailChange::Taken);
            }
        }
        _ => return Ok(EmailChange::Invalid),
    }
    let mut tx = super::db::begin(db).await?;
    let Some(used) = tokens::consume(&mut tx, token, Purpose::ChangeEmail).await? else {
        tx.rollback().await?;
        return Ok(EmailChange::Invalid);
    };
    let (old,): (String,) = sqlx::query_as("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
    let t = now();
    let res = sqlx::query("UPDATE users SET email = $1, email_confirmed_at = $2 WHERE id = $3")
        .bind(&used.email)
        .bind(t)
        .bind(user_id)
        .execute(&mut *tx)
        .await;
    match res {
        Ok(_) => {}
        // Taken between the check and the change, by another instance.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            tx.rollback().await?;
            return Ok(EmailChange::Taken);
        }
        Err(e) => return Err(e),
    }
    // Older links (to this or another new address, or confirming or resetting through
    // the old address) are worth nothing now.
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL AND purpose IN ($3, $4, $5)")
        .bind(t)
        .bind(user_id)
        .bind(Purpose::ChangeEmail.code())
        .bind(Purpose::Reset.code())
        .bind(Purpose::Confirm.code())
        .execute(&mut *tx)
        .await?;
    super::outbox::enqueue(&mut tx, &tell_old(&old, &used.email)).await?;
    mailer.commit(tx).await?;
    Ok(EmailChange::Changed { old, new: used.email })
}
