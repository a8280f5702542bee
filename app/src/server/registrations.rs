//! Registrations of participants to sessions, bounded by the session's capacity.

use super::db::{now, today, Db};
use crate::domain::account::ProvenEmail;
use crate::domain::code::sql_in;
pub use crate::domain::registration::RegistrationLine;
use crate::domain::catalogue::{fold, Modality};
use crate::domain::date::period_fr;
use crate::domain::page::{per_page, PageRequest, Paged};
use crate::domain::registration::{Period, RegistrationFilter, RegistrationStatus};
use crate::domain::Date;
use crate::domain::session::SessionStatus;
use serde::{Deserialize, Serialize};

pub use super::seats::Participant;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegisterOutcome {
    Registered(i64),
    Full,
    AlreadyRegistered,
    SessionClosed,
}

/// Takes a seat and records the registration "en attente", atomically. The seat is
/// taken by a conditional UPDATE (no read-then-write), so concurrent requests on any
/// number of server instances never overfill a session.
pub async fn register(
    db: &Db,
    session_id: i64,
    company_id: Option<i64>,
    p: &Participant,
    by_user: i64,
) -> Result<RegisterOutcome, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let outcome = register_in(&mut tx, session_id, company_id, p, by_user).await?;
    if let RegisterOutcome::Registered(_) = outcome {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(outcome)
}

/// [`register`] in `tx`, just begun, where the participant's invitation is written
/// too; only `Registered` is to be committed (otherwise the seat may be taken in it).
pub async fn register_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    session_id: i64,
    company_id: Option<i64>,
    p: &Participant,
    by_user: i64,
) -> Result<RegisterOutcome, sqlx::Error> {
    // First statement writes: SQLite takes its write lock at once (and waits on
    // busy_timeout). Seats held by expired carts come back first.
    super::orders::release_in(tx, session_id).await?;
    // PostgreSQL locks the row and re-checks the condition: no overfilling.
    let taken = sqlx::query(
        "UPDATE training_sessions SET seats_taken = seats_taken + 1 WHERE id = $1 AND status = $2 AND seats_taken < capacity",
    )
    .bind(session_id)
    .bind(SessionStatus::Open)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if taken == 0 {
        let status: Option<(SessionStatus,)> =
            sqlx::query_as("SELECT status FROM training_sessions WHERE id = $1").bind(session_id).fetch_optional(&mut **tx).await?;
        return Ok(match status {
            Some((s,)) if s.is_open() => RegisterOutcome::Full,
            _ => RegisterOutcome::SessionClosed,
        });
    }
    // A new registration waits in its author's cart, holding its seat for a while.
    let res = super::seats::insert_cart_line(tx, session_id, company_id, p, by_user, now() + super::orders::HOLD_SECS).await;
    match res {
        Ok(id) => Ok(RegisterOutcome::Registered(id)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(RegisterOutcome::AlreadyRegistered),
        Err(e) => Err(e),
    }
}

/// The columns a [`LineRow`] reads, from [`LINE_TABLES`].
pub(super) const LINE_COLUMNS: &str = "r.id, s.id AS session_id, t.id AS training_id, t.title, s.start_date, s.end_date, s.schedule, s.city, s.place, r.status, \
     r.participant_first_name, r.participant_last_name, r.participant_email, c.legal_name, \
     CASE WHEN r.minutes_attended IS NULL THEN t.duration_hours * 60 ELSE r.minutes_attended END AS minutes, s.virtual_link";

/// A registration (`r`), its session (`s`), training (`t`) and company (`c`).
pub(super) const LINE_TABLES: &str = "FROM registrations r JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id \
     LEFT JOIN companies c ON c.id = r.company_id";

/// One registration as its lists show it: read with [`LINE_COLUMNS`], made a line by
/// [`line`].
#[derive(sqlx::FromRow)]
pub(super) struct LineRow {
    id: i64,
    session_id: i64,
    training_id: i64,
    title: String,
    start_date: String,
    end_date: String,
    schedule: String,
    city: String,
    place: String,
    status: RegistrationStatus,
    pub(super) participant_first_name: String,
    pub(super) participant_last_name: String,
    pub(super) participant_email: String,
    legal_name: Option<String>,
    minutes: i64,
    virtual_link: Option<String>,
}

pub(super) fn line(r: LineRow) -> RegistrationLine {
    let upcoming = r.start_date > today().iso();
    // The virtual class opens to confirmed participants only.
    let link = r.virtual_link.filter(|_| r.status.is_confirmed());
    RegistrationLine {
        id: r.id,
        session_id: r.session_id,
        training_id: r.training_id,
        training_title: r.title,
        start_date: r.start_date,
        end_date: r.end_date,
        schedule: r.schedule,
        city: r.city,
        place: r.place,
        status: r.status,
        participant_name: format!("{} {}", r.participant_first_name, r.participant_last_name),
        participant_email: r.participant_email,
        company_name: r.legal_name,
        minutes: r.minutes,
        link,
        upcoming,
    }
}

/// The registrations naming the caller's proven address.
pub async fn of_participant(db: &Db, email: ProvenEmail<'_>) -> Result<Vec<RegistrationLine>, sqlx::Error> {
    let sql = format!("SELECT {LINE_COLUMNS} {LINE_TABLES} WHERE r.participant_email = $1 AND r.status <> $2 ORDER BY s.start_date, t.title");
    let rows = sqlx::query_as::<_, LineRow>(&sql).bind(email.as_str()).bind(RegistrationStatus::Expired).fetch_all(db).await?;
    Ok(rows.into_iter().map(line).collect())
}

pub async fn of_company(db: &Db, company_id: i64) -> Result<Vec<RegistrationLine>, sqlx::Error> {
    let sql = format!("SELECT {LINE_COLUMNS} {LINE_TABLES} WHERE r.company_id = $1 AND r.status <> $2 ORDER BY s.start_date, r.participant_last_name");
    let rows = sqlx::query_as::<_, LineRow>(&sql).bind(company_id).bind(RegistrationStatus::Expired).fetch_all(db).await?;
    Ok(rows.into_iter().map(line).collect())
}

/// The order of a company's lists: the sessions to come, the soonest first, then the
/// past ones, the latest first; within a session by participant, then by row (`$1`:
/// today).
const UPCOMING_FIRST: &str = "CASE WHEN s.start_date > $1 THEN 0 ELSE 1 END, CASE WHEN s.start_date > $1 THEN s.start_date ELSE '' END, \
     s.start_date DESC";

/// The condition on a company's registrations of a list (`$1` today, `$2` the company):
/// those of `filter` (see [`RegistrationFilter`]), or those a kind of document is
/// issued for.
enum Rows<'a> {
    Filtered(&'a RegistrationFilter),
    /// Ordered and not cancelled (they get their individual agreement).
    Firm,
    /// Firm, on an e-learning training (they get their protocol).
    FirmElearning,
    /// Done (they get their completion certificate).
    Done,
}

impl Rows<'_> {
    /// The SQL condition, its values bound from `$3` on.
    fn condition(&self) -> (String, Vec<String>) {
        let firm = format!("r.status IN ({})", sql_in(&RegistrationStatus::FIRM));
        match self {
            Rows::Filtered(f) => {
                let mut sql = "r.status <> $3".to_string();
                let mut values = vec![RegistrationStatus::Expired.code().to_string()];
                if let Some(email) = f.participant() {
                    values.push(email.to_string());
                    sql.push_str(&format!(" AND r.participant_email = ${}", values.len() + 2));
                }
                if let Some(status) = f.status() {
                    values.push(status.code().to_string());
                    sql.push_str(&format!(" AND r.status = ${}", values.len() + 2));
                }
                match f.period() {
                    Some(Period::Upcoming) => sql.push_str(" AND s.start_date > $1"),
                    Some(Period::Past) => sql.push_str(" AND s.start_date <= $1"),
                    None => {}
                }
                (sql, values)
            }
            Rows::Firm => (firm, Vec::new()),
            Rows::FirmElearning => (format!("{firm} AND t.modality = $3"), vec![Modality::ELearning.code().to_string()]),
            Rows::Done => ("r.status = $3".to_string(), vec![RegistrationStatus::Done.code().to_string()]),
        }
    }
}

const FROM: &str = "FROM registrations r JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id";

/// One page of a company's registrations (`size` a page), in the order of
/// [`UPCOMING_FIRST`], and how many there are.
async fn lines_page(db: &Db, company_id: i64, rows: Rows<'_>, page: PageRequest, size: u32) -> Result<Paged<RegistrationLine>, sqlx::Error> {
    let today = today().iso();
    let (condition, values) = rows.condition();
    // `$1 = $1` keeps today's place (the numbering is the same in both queries).
    let count_sql = format!("SELECT COUNT(*) {FROM} WHERE $1 = $1 AND r.company_id = $2 AND {condition}");
    let mut count = sqlx::query_as::<_, (i64,)>(&count_sql).bind(today.clone()).bind(company_id);
    for v in &values {
        count = count.bind(v.as_str());
    }
    let (total,) = count.fetch_one(db).await?;
    let window = page.window(total.max(0) as u64, size);
    let n = values.len() + 2;
    let sql = format!(
        "SELECT {LINE_COLUMNS} {LINE_TABLES} WHERE r.company_id = $2 AND {condition} ORDER BY {UPCOMING_FIRST}, r.participant_last_name, r.id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query_as::<_, LineRow>(&sql).bind(today).bind(company_id);
    for v in &values {
        q = q.bind(v.as_str());
    }
    let rows = q.bind(window.limit()).bind(window.offset()).fetch_all(db).await?;
    Ok(window.page_of(rows.into_iter().map(line).collect()))
}

/// One page of a company's registrations that `filter` keeps (`per_page::REGISTRATIONS`
/// a page), the upcoming first.
pub async fn page_of_company(db: &Db, company_id: i64, filter: &RegistrationFilter, page: PageRequest) -> Result<Paged<RegistrationLine>, sqlx::Error> {
    lines_page(db, company_id, Rows::Filtered(filter), page, per_page::REGISTRATIONS).await
}

/// Everyone registered for a company (e-mail, name), by name, and how many
/// registrations it has (those its list shows).
pub async fn participants_of_company(db: &Db, company_id: i64) -> Result<(Vec<(String, String)>, u64), sqlx::Error> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT participant_email, MIN(participant_first_name), MIN(participant_last_name), COUNT(*) FROM registrations \
         WHERE company_id = $1 AND status <> $2 GROUP BY participant_email",
    )
    .bind(company_id)
    .bind(RegistrationStatus::Expired)
    .fetch_all(db)
    .await?;
    let total = rows.iter().map(|r| r.3.max(0) as u64).sum();
    let mut people: Vec<(String, String)> = rows.into_iter().map(|(email, first, last, _)| (email, format!("{first} {last}"))).collect();
    people.sort_by_cached_key(|(email, name)| (fold(name), email.clone()));
    Ok((people, total))
}

/// The documents of a company's trainings, one kind a list, `per_page::DOCUMENTS` a page,
/// the upcoming sessions first.
pub mod documents {
    use super::*;

    /// Sessions with a firm registration of the company (their collective agreement):
    /// (session id, "title — period").
    pub async fn collective(db: &Db, company_id: i64, page: PageRequest) -> Result<Paged<(i64, String)>, sqlx::Error> {
        let firm = sql_in(&RegistrationStatus::FIRM);
        let sessions = format!("SELECT r.session_id FROM registrations r WHERE r.company_id = $2 AND r.status IN ({firm})");
        let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM training_sessions s WHERE $1 = $1 AND s.id IN ({sessions})"))
            .bind(today().iso())
            .bind(company_id)
            .fetch_one(db)
            .await?;
        let window = page.window(total.max(0) as u64, per_page::DOCUMENTS);
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(&format!(
            "SELECT s.id, t.title, s.start_date, s.end_date FROM training_sessions s JOIN trainings t ON t.id = s.training_id \
             WHERE s.id IN ({sessions}) ORDER BY {UPCOMING_FIRST}, s.id LIMIT $3 OFFSET $4"
        ))
        .bind(today().iso())
        .bind(company_id)
        .bind(window.limit())
        .bind(window.offset())
        .fetch_all(db)
        .await?;
        Ok(window.page_of(
            rows.into_iter()
                .map(|(id, title, start, end)| {
                    let period = match (Date::parse(&start), Date::parse(&end)) {
                        (Some(s), Some(e)) => period_fr(s, e),
                        _ => start,
                    };
                    (id, format!("{title} — {period}"))
                })
                .collect(),
        ))
    }

    /// Firm registrations (their individual agreement).
    pub async fn individual(db: &Db, company_id: i64, page: PageRequest) -> Result<Paged<RegistrationLine>, sqlx::Error> {
        lines_page(db, company_id, Rows::Firm, page, per_page::DOCUMENTS).await
    }

    /// Firm registrations to an e-learning training (their protocol).
    pub async fn protocols(db: &Db, company_id: i64, page: PageRequest) -> Result<Paged<RegistrationLine>, sqlx::Error> {
        lines_page(db, company_id, Rows::FirmElearning, page, per_page::DOCUMENTS).await
    }

    /// Registrations whose training took place (their completion certificate).
    pub async fn certificates(db: &Db, company_id: i64, page: PageRequest) -> Result<Paged<RegistrationLine>, sqlx::Error> {
        lines_page(db, company_id, Rows::Done, page, per_page::DOCUMENTS).await
    }
}

/// Cancels a company's registration before its session and frees the seat. `false`
/// when there is nothing to cancel (another company's, already cancelled, past).
/// `only_by`: restrict to registrations made by that user.
pub async fn cancel(db: &Db, company_id: i64, registration_id: i64, only_by: Option<i64>) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE registrations SET status = $6 WHERE id = $1 AND company_id = $2 \
         AND status IN ({}) \
         AND session_id IN (SELECT id FROM training_sessions WHERE start_date > $3) \
         AND ($4 = 0 OR registered_by = $5)",
        sql_in(&RegistrationStatus::HOLDING_SEAT)
    );
    let cancel = sqlx::query(&sql)
        .bind(registration_id)
        .bind(company_id)
        .bind(today().iso())
        .bind(only_by.unwrap_or(0))
        .bind(only_by.unwrap_or(0))
        .bind(RegistrationStatus::Cancelled);
    let Some(mut tx) = super::db::begin_if_changed(db, cancel).await? else { return Ok(false) };
    sqlx::query(
        "UPDATE training_sessions SET seats_taken = seats_taken - 1 \
         WHERE id = (SELECT session_id FROM registrations WHERE id = $1) AND seats_taken > 0",
    )
    .bind(registration_id)
    .execute(&mut *tx)
    .await?;
    // The freed seat goes to the session's waiting list first, if anyone waits.
    super::waitlist::seat_freed_by(&mut tx, registration_id).await?;
    // Already invoiced: a credit note cancels its line.
    super::invoicing::credit_cancelled(&mut tx, &[registration_id]).await?;
    tx.commit().await?;
    Ok(true)
}
