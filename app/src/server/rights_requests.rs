//! "Demander les droits": a person refused a right on a company asks its administrators
//! by mail; an administrator grants the role in one click from the mail's link.

use super::db::{new_id, now, Db};
use crate::domain::directory::CollaboratorInput;
use crate::domain::{Email, Role};
use sqlx::{Any, Transaction};

/// Requests one person may make in 24 hours (each mails every administrator).
pub const PER_DAY: i64 = 5;
const DAY: i64 = 24 * 3600;

#[derive(Debug, PartialEq, Eq)]
pub enum AskOutcome {
    /// Recorded: mail the administrators about request `id`.
    Recorded(i64),
    /// The same person already asked this company in the last 24 hours.
    AlreadyPending,
    /// Over `PER_DAY`.
    TooMany,
}

/// Records the request in `tx`, just begun, where the mails to the administrators are
/// written too; only `Recorded` is to be committed. The request is written first (the
/// write lock taken at once on SQLite), then checked against the person's others.
pub async fn ask(tx: &mut Transaction<'static, Any>, company_id: i64, user_id: i64, role: Role) -> Result<AskOutcome, sqlx::Error> {
    let (id, t) = (new_id(), now());
    sqlx::query("INSERT INTO rights_requests (id, company_id, user_id, role, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(company_id)
        .bind(user_id)
        .bind(role.code())
        .bind(t)
        .execute(&mut **tx)
        .await?;
    let since = t - DAY;
    let (pending,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM rights_requests WHERE company_id = $1 AND user_id = $2 AND granted_at IS NULL AND created_at > $3 AND id <> $4",
    )
    .bind(company_id)
    .bind(user_id)
    .bind(since)
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    if pending > 0 {
        return Ok(AskOutcome::AlreadyPending);
    }
    let (asked,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM rights_requests WHERE user_id = $1 AND created_at > $2 AND id <> $3")
        .bind(user_id)
        .bind(since)
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    if asked >= PER_DAY {
        return Ok(AskOutcome::TooMany);
    }
    Ok(AskOutcome::Recorded(id))
}

/// A request, as its administrators see it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub company_id: i64,
    pub role: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub granted_at: Option<i64>,
}

/// Request `id` of the company (`None` for another company's).
pub async fn find(db: &Db, company_id: i64, id: i64) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.company_id, r.role, u.email, u.first_name, u.last_name, r.granted_at \
         FROM rights_requests r JOIN users u ON u.id = r.user_id WHERE r.id = $1 AND r.company_id = $2",
    )
    .bind(id)
    .bind(company_id)
    .fetch_optional(db)
    .await
}

/// Grants the role asked to the person's address (a grant like any other: directory
/// and audit log), and marks the request granted, in a change of the request's company
/// (`audit::begin_change`) where the mail telling him is written too. `false` when it
/// already was.
pub async fn grant(tx: &mut Transaction<'static, Any>, actor: i64, request: &RequestRow) -> Result<bool, sqlx::Error> {
    let (Some(role), Ok(email)) = (Role::from_code(&request.role), Email::parse(&request.email)) else {
        return Ok(false);
    };
    let person = CollaboratorInput { first_name: request.first_name.clone(), last_name: request.last_name.clone(), email };
    super::admin::add_grant(tx, actor, request.company_id, &person, role).await?;
    let marked = sqlx::query("UPDATE rights_requests SET granted_at = $1, granted_by = $2 WHERE id = $3 AND granted_at IS NULL")
        .bind(now())
        .bind(actor)
        .bind(request.id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(marked > 0)
}
