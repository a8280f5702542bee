//! The provider's back-office: confirm or cancel sessions and registrations, record
//! attendance per half day, close a session (registrations "réalisée" with the time
//! attended). Every function takes the provider id and touches only its sessions.

use super::db::{now, today, Db};
use crate::domain::attendance::{half_days, hours_fr, minutes_attended, HalfDay};
use crate::domain::code::sql_in;
use crate::domain::provider::RosterLine;
use crate::domain::registration::RegistrationStatus;
use crate::domain::session::SessionStatus;
use crate::domain::Date;

/// A session of the provider, with what the back-office needs.
#[derive(Clone, Debug)]
pub struct SessionRow {
    pub id: i64,
    pub title: String,
    pub start: Date,
    pub end: Date,
    pub hours: i64,
    pub city: String,
    pub place: String,
    pub status: SessionStatus,
    pub confirmed: bool,
    pub capacity: i64,
    pub seats_taken: i64,
}

impl SessionRow {
    pub fn half_days(&self) -> Vec<HalfDay> {
        half_days(self.start, self.end, self.hours)
    }
    /// A session is closed once it has ended (its last day is today or before).
    pub fn may_close(&self) -> bool {
        self.status.is_open() && self.end.to_days() <= today().to_days()
    }
}

#[derive(sqlx::FromRow)]
struct SessionFields {
    id: i64,
    title: String,
    start_date: String,
    end_date: String,
    duration_hours: i64,
    city: String,
    place: String,
    status: SessionStatus,
    confirmed_at: Option<i64>,
    capacity: i64,
    seats_taken: i64,
}

/// The session if it belongs to the provider.
pub async fn session(db: &Db, provider_id: i64, session_id: i64) -> Result<Option<SessionRow>, sqlx::Error> {
    let row: Option<SessionFields> = sqlx::query_as(
        "SELECT s.id, t.title, s.start_date, s.end_date, t.duration_hours, s.city, s.place, s.status, s.confirmed_at, \
         s.capacity, s.seats_taken FROM training_sessions s JOIN trainings t ON t.id = s.training_id \
         WHERE s.id = $1 AND t.provider_id = $2",
    )
    .bind(session_id)
    .bind(provider_id)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|r| {
        Some(SessionRow {
            id: r.id,
            title: r.title,
            start: Date::parse(&r.start_date)?,
            end: Date::parse(&r.end_date)?,
            hours: r.duration_hours,
            city: r.city,
            place: r.place,
            status: r.status,
            confirmed: r.confirmed_at.is_some(),
            capacity: r.capacity,
            seats_taken: r.seats_taken,
        })
    }))
}

/// The participants of the session, with their presence per half day.
pub async fn roster(db: &Db, session: &SessionRow) -> Result<Vec<RosterLine>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        participant_first_name: String,
        participant_last_name: String,
        participant_email: String,
        legal_name: Option<String>,
        status: RegistrationStatus,
        minutes_attended: Option<i64>,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT r.id, r.participant_first_name, r.participant_last_name, r.participant_email, c.legal_name, r.status, \
         r.minutes_attended FROM registrations r LEFT JOIN companies c ON c.id = r.company_id \
         WHERE r.session_id = $1 AND r.status IN ({}) \
         ORDER BY r.participant_last_name, r.participant_first_name",
        sql_in(&RegistrationStatus::VISIBLE)
    ))
    .bind(session.id)
    .fetch_all(db)
    .await?;
    let marks: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT a.registration_id, a.half_day, a.present FROM attendance a JOIN registrations r ON r.id = a.registration_id \
         WHERE r.session_id = $1",
    )
    .bind(session.id)
    .fetch_all(db)
    .await?;
    let n = session.half_days().len();
    Ok(rows
        .into_iter()
        .map(|r| {
            let Row { id, participant_email: email, legal_name: company, status, minutes_attended, .. } = r;
            let (first, last) = (r.participant_first_name, r.participant_last_name);
            let mut present = vec![false; n];
            for (_, half, p) in marks.iter().filter(|m| m.0 == id) {
                if let Some(slot) = usize::try_from(*half).ok().and_then(|h| present.get_mut(h)) {
                    *slot = *p != 0;
                }
            }
            RosterLine {
                registration_id: id,
                name: format!("{first} {last}"),
                email,
                company,
                status,
                present,
                attended: minutes_attended.map(hours_fr),
            }
        })
        .collect())
}

/// A registration the provider changed: who to tell about it (the participant, whoever
/// registered him, the company's managers) and what to tell them.
#[derive(Clone, Debug)]
pub struct Notified {
    pub registration_id: i64,
    pub participant_email: String,
    pub participant_first_name: String,
    pub participant_last_name: String,
    pub registrant_email: String,
    pub company_id: Option<i64>,
    pub company_name: Option<String>,
}

async fn notified(tx: &mut sqlx::Transaction<'_, sqlx::Any>, session_id: i64, registration: Option<i64>, statuses: &[RegistrationStatus]) -> Result<Vec<Notified>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        participant_email: String,
        participant_first_name: String,
        participant_last_name: String,
        registrant_email: String,
        company_id: Option<i64>,
        legal_name: Option<String>,
    }
    let sql = format!(
        "SELECT r.id, r.participant_email, r.participant_first_name, r.participant_last_name, u.email AS registrant_email, r.company_id, c.legal_name \
         FROM registrations r JOIN users u ON u.id = r.registered_by LEFT JOIN companies c ON c.id = r.company_id \
         WHERE r.session_id = $1 AND ($2 = 0 OR r.id = $3) AND r.status IN ({}) ORDER BY r.participant_last_name, r.participant_first_name, r.id",
        sql_in(statuses)
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(session_id)
        .bind(i64::from(registration.is_some()))
        .bind(registration.unwrap_or(0))
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Notified {
            registration_id: r.id,
            participant_email: r.participant_email,
            participant_first_name: r.participant_first_name,
            participant_last_name: r.participant_last_name,
            registrant_email: r.registrant_email,
            company_id: r.company_id,
            company_name: r.legal_name,
        })
        .collect())
}

/// Confirms the session ("maintenue") and its pending registrations, or one of them,
/// in `tx`, where the mails telling of it are written too (the caller commits).
pub async fn confirm(tx: &mut sqlx::Transaction<'static, sqlx::Any>, session: &SessionRow, registration: Option<i64>) -> Result<Vec<Notified>, sqlx::Error> {
    if registration.is_none() {
        sqlx::query("UPDATE training_sessions SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL")
            .bind(now())
            .bind(session.id)
            .execute(&mut **tx)
            .await?;
    }
    let told = notified(tx, session.id, registration, &[RegistrationStatus::Pending]).await?;
    sqlx::query("UPDATE registrations SET status = $4 WHERE session_id = $1 AND ($2 = 0 OR id = $3) AND status = $5")
        .bind(session.id)
        .bind(i64::from(registration.is_some()))
        .bind(registration.unwrap_or(0))
        .bind(RegistrationStatus::Confirmed)
        .bind(RegistrationStatus::Pending)
        .execute(&mut **tx)
        .await?;
    Ok(told)
}

/// Cancels the session (every registration, seats freed) or one registration, in
/// `tx`, where the mails telling of it are written too (the caller commits).
pub async fn cancel(tx: &mut sqlx::Transaction<'static, sqlx::Any>, session: &SessionRow, registration: Option<i64>) -> Result<Vec<Notified>, sqlx::Error> {
    let told = notified(tx, session.id, registration, &RegistrationStatus::HOLDING_SEAT).await?;
    let active = sql_in(&RegistrationStatus::HOLDING_SEAT);
    let cancelled: Vec<(i64,)> =
        sqlx::query_as(&format!("SELECT id FROM registrations WHERE session_id = $1 AND ($2 = 0 OR id = $3) AND status IN ({active})"))
            .bind(session.id)
            .bind(i64::from(registration.is_some()))
            .bind(registration.unwrap_or(0))
            .fetch_all(&mut **tx)
            .await?;
    let freed = sqlx::query(&format!(
        "UPDATE registrations SET status = $4 WHERE session_id = $1 AND ($2 = 0 OR id = $3) AND status IN ({active})"
    ))
    .bind(session.id)
    .bind(i64::from(registration.is_some()))
    .bind(registration.unwrap_or(0))
    .bind(RegistrationStatus::Cancelled)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    super::seats::free_seats(tx, session.id, freed).await?;
    if registration.is_none() {
        sqlx::query("UPDATE training_sessions SET status = $1 WHERE id = $2")
            .bind(SessionStatus::Cancelled)
            .bind(session.id)
            .execute(&mut **tx)
            .await?;
    }
    // What was already invoiced gets its credit note.
    super::invoicing::credit_cancelled(tx, &cancelled.into_iter().map(|(id,)| id).collect::<Vec<_>>()).await?;
    // A freed seat goes to the waiting list; a cancelled session closes it.
    super::waitlist::seats_changed(tx, session.id).await?;
    Ok(told)
}

/// Records the presence of every confirmed participant for every half day (`present`:
/// the (registration, half day) pairs ticked; the others are absent).
pub async fn record_attendance(db: &Db, session: &SessionRow, actor: i64, present: &[(i64, usize)]) -> Result<usize, sqlx::Error> {
    let n = session.half_days().len();
    let mut tx = super::db::begin(db).await?;
    let regs: Vec<(i64,)> = sqlx::query_as("SELECT id FROM registrations WHERE session_id = $1 AND status = $2")
        .bind(session.id)
        .bind(RegistrationStatus::Confirmed)
        .fetch_all(&mut *tx)
        .await?;
    for (reg,) in &regs {
        for half in 0..n {
            let p = i64::from(present.contains(&(*reg, half)));
            sqlx::query(
                "INSERT INTO attendance (registration_id, half_day, present, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (registration_id, half_day) DO UPDATE SET present = $3, recorded_by = $4, recorded_at = $5",
            )
            .bind(reg)
            .bind(half as i64)
            .bind(p)
            .bind(actor)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(regs.len())
}

/// Closes an ended session: confirmed registrations become "réalisée" with the time
/// attended. `false` if it cannot be closed (not ended, cancelled, already closed).
pub async fn close(db: &Db, session: &SessionRow) -> Result<bool, sqlx::Error> {
    if !session.may_close() {
        return Ok(false);
    }
    let n = session.half_days().len();
    let close = sqlx::query("UPDATE training_sessions SET status = $2 WHERE id = $1 AND status = $3")
        .bind(session.id)
        .bind(SessionStatus::Closed)
        .bind(SessionStatus::Open);
    let Some(mut tx) = super::db::begin_if_changed(db, close).await? else { return Ok(false) };
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.id, (SELECT COUNT(*) FROM attendance a WHERE a.registration_id = r.id AND a.present = 1) \
         FROM registrations r WHERE r.session_id = $1 AND r.status = $2",
    )
    .bind(session.id)
    .bind(RegistrationStatus::Confirmed)
    .fetch_all(&mut *tx)
    .await?;
    for (reg, present) in rows {
        sqlx::query("UPDATE registrations SET status = $3, minutes_attended = $1 WHERE id = $2")
            .bind(minutes_attended(session.hours, n, present as usize))
            .bind(reg)
            .bind(RegistrationStatus::Done)
            .execute(&mut *tx)
            .await?;
    }
    // Registrations never confirmed did not take place.
    sqlx::query(&format!(
        "UPDATE registrations SET status = $2 WHERE session_id = $1 AND status IN ({})",
        sql_in(&RegistrationStatus::UNCONFIRMED)
    ))
    .bind(session.id)
    .bind(RegistrationStatus::Cancelled)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Orders with live registrations on the session: (id, number, ordering company).
pub async fn orders(db: &Db, session_id: i64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT o.id, o.number, c.legal_name FROM registrations r JOIN orders o ON o.id = r.order_id \
         JOIN companies c ON c.id = o.company_id WHERE r.session_id = $1 ORDER BY o.number",
    )
    .bind(session_id)
    .fetch_all(db)
    .await
}
