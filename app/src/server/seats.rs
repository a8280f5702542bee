//! A session's seats, below the modules that take and free them (`registrations`,
//! `orders`, `waitlist`, `backoffice`), so that none of them imports another for it:
//! giving seats back and putting a registration in a cart, inside the caller's
//! transaction.

use super::db::{new_id, now};
use crate::domain::registration::RegistrationStatus;

/// A person registered, or put on a waiting list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

/// Inside a transaction: gives `n` seats of a session back.
pub async fn free_seats(tx: &mut sqlx::Transaction<'_, sqlx::Any>, session_id: i64, n: u64) -> Result<(), sqlx::Error> {
    if n == 0 {
        return Ok(());
    }
    sqlx::query("UPDATE training_sessions SET seats_taken = seats_taken - $1 WHERE id = $2")
        .bind(n as i64)
        .bind(session_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Inside a transaction: puts a registration of `p` for the company in `by_user`'s cart,
/// holding its seat (already taken) until `held_until`. Returns its id; a unique
/// violation means `p` is already registered for the session.
pub async fn insert_cart_line(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    session_id: i64,
    company_id: Option<i64>,
    p: &Participant,
    by_user: i64,
    held_until: i64,
) -> Result<i64, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO registrations (id, session_id, company_id, participant_email, participant_first_name, \
         participant_last_name, status, registered_by, created_at, held_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(session_id)
    .bind(company_id)
    .bind(&p.email)
    .bind(&p.first_name)
    .bind(&p.last_name)
    .bind(RegistrationStatus::Cart)
    .bind(by_user)
    .bind(now())
    .bind(held_until)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}
