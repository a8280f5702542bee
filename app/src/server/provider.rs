//! Provider staff and what they see of their own provider's sessions.

use super::db::{today, Db};
use crate::domain::account::ProvenEmail;
use crate::domain::date::period_fr;
use crate::domain::page::{per_page, PageRequest, Paged};
use crate::domain::provider::ProviderSession;
use crate::domain::session::SessionStatus;
use crate::domain::survey::TrainingSurveys;
use crate::domain::Date;

/// The provider (id, name) the caller works for, if his proven address is on a staff.
pub async fn of_staff(db: &Db, email: ProvenEmail<'_>) -> Result<Option<(i64, String)>, sqlx::Error> {
    staff_seat(db, email.as_str()).await
}

/// The provider (id, name) whose staff lists this address.
async fn staff_seat(db: &Db, email: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT p.id, p.name FROM provider_staff s JOIN providers p ON p.id = s.provider_id WHERE s.email = $1")
        .bind(email)
        .fetch_optional(db)
        .await
}

fn period(start: &str, end: &str) -> String {
    match (Date::parse(start), Date::parse(end)) {
        (Some(s), Some(e)) => period_fr(s, e),
        _ => start.to_string(),
    }
}

/// One page of the provider's sessions (`per_page::PROVIDER_SESSIONS`): those to come,
/// the soonest first, then the past ones, the latest first.
pub async fn sessions(db: &Db, provider_id: i64, page: PageRequest) -> Result<Paged<ProviderSession>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        title: String,
        start_date: String,
        end_date: String,
        city: String,
        capacity: i64,
        seats_taken: i64,
        status: SessionStatus,
    }
    let (total,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE t.provider_id = $1")
            .bind(provider_id)
            .fetch_one(db)
            .await?;
    let window = page.window(total.max(0) as u64, per_page::PROVIDER_SESSIONS);
    let today = today().iso();
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, t.title, s.start_date, s.end_date, s.city, s.capacity, s.seats_taken, s.status \
         FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE t.provider_id = $1 \
         ORDER BY CASE WHEN s.start_date > $2 THEN 0 ELSE 1 END, CASE WHEN s.start_date > $2 THEN s.start_date ELSE '' END, \
         s.start_date DESC, t.title, s.id LIMIT $3 OFFSET $4",
    )
    .bind(provider_id)
    .bind(&today)
    .bind(window.limit())
    .bind(window.offset())
    .fetch_all(db)
    .await?;
    Ok(window.page_of(
        rows.into_iter()
            .map(|Row { id, title, start_date, end_date, city, capacity, seats_taken, status }| ProviderSession {
                id,
                training_title: title,
                period: period(&start_date, &end_date),
                upcoming: start_date > today,
                city,
                capacity,
                seats_taken,
                status,
            })
            .collect(),
    ))
}

/// The questionnaires answered on the provider's sessions, per session.
pub async fn surveys(db: &Db, provider_id: i64) -> Result<Vec<TrainingSurveys>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        title: String,
        start_date: String,
        end_date: String,
        city: String,
        #[sqlx(flatten)]
        answer: super::surveys::AnswerRow,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, t.title, s.start_date, s.end_date, s.city, r.participant_first_name, r.participant_last_name, \
         a.rating_content, a.rating_trainer, a.rating_organisation, a.rating_overall, a.comment FROM survey_answers a \
         JOIN registrations r ON r.id = a.registration_id JOIN training_sessions s ON s.id = r.session_id \
         JOIN trainings t ON t.id = s.training_id WHERE t.provider_id = $1 ORDER BY s.start_date, s.id, a.answered_at, r.participant_last_name",
    )
    .bind(provider_id)
    .fetch_all(db)
    .await?;
    let mut out: Vec<(i64, TrainingSurveys)> = Vec::new();
    for Row { id: session, title, start_date: start, end_date: end, city, answer } in rows {
        let entry = answer.entry();
        match out.iter_mut().find(|(id, _)| *id == session) {
            Some((_, t)) => t.answers.push(entry),
            None => out.push((
                session,
                TrainingSurveys { training_title: format!("{title} — {}, {city}", period(&start, &end)), answers: vec![entry] },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, t)| t).collect())
}

use crate::domain::provider::{CatalogueLine, NewSession, NewTraining, ProviderSettings};

pub async fn settings(db: &Db, provider_id: i64) -> Result<ProviderSettings, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        name: String,
        vat_exempt: i64,
        vat_number: Option<String>,
        activity_number: String,
        address_line: String,
        postal_code: String,
        city: String,
        payment_days: i64,
    }
    let r: Row = sqlx::query_as(
        "SELECT name, vat_exempt, vat_number, activity_number, address_line, postal_code, city, payment_days FROM providers WHERE id = $1",
    )
    .bind(provider_id)
    .fetch_one(db)
    .await?;
    Ok(ProviderSettings {
        name: r.name,
        vat_exempt: r.vat_exempt != 0,
        vat_number: r.vat_number.unwrap_or_default(),
        activity_number: r.activity_number,
        address_line: r.address_line,
        postal_code: r.postal_code,
        city: r.city,
        payment_days: r.payment_days,
    })
}

/// New invoices follow the new settings; those issued keep what they say.
pub async fn update_settings(db: &Db, provider_id: i64, s: &ProviderSettings) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE providers SET vat_exempt = $1, vat_number = $2, activity_number = $3, address_line = $4, postal_code = $5, \
         city = $6, payment_days = $7 WHERE id = $8",
    )
    .bind(i64::from(s.vat_exempt))
    .bind((!s.vat_number.is_empty()).then(|| s.vat_number.clone()))
    .bind(&s.activity_number)
    .bind(&s.address_line)
    .bind(&s.postal_code)
    .bind(&s.city)
    .bind(s.payment_days)
    .bind(provider_id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn catalogue(db: &Db, provider_id: i64) -> Result<Vec<CatalogueLine>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        code: String,
        title: String,
        modality: String,
        duration_hours: i64,
        price_cents: i64,
        sessions: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.code, t.title, t.modality, t.duration_hours, t.price_cents, \
         (SELECT COUNT(*) FROM training_sessions s WHERE s.training_id = t.id) AS sessions FROM trainings t WHERE t.provider_id = $1 ORDER BY t.title",
    )
    .bind(provider_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|Row { id, code, title, modality, duration_hours: hours, price_cents: price, sessions }| CatalogueLine {
            id,
            code,
            title,
            modality: crate::domain::catalogue::Modality::from_code(&modality).map(|m| m.label().to_string()).unwrap_or(modality),
            hours,
            price: crate::domain::Money(price),
            sessions,
        })
        .collect())
}

/// Adds a training to the provider's catalogue; `None` if its code is taken.
pub async fn add_training(db: &Db, provider_id: i64, t: &NewTraining) -> Result<Option<i64>, sqlx::Error> {
    let id = super::db::new_id();
    let (provider_name,): (String,) = sqlx::query_as("SELECT name FROM providers WHERE id = $1").bind(provider_id).fetch_one(db).await?;
    let search_text = crate::domain::catalogue::fold(&format!(
        "{} {} {} {} {} {provider_name}",
        t.code, t.title, t.summary, t.objectives, t.programme
    ));
    let res = sqlx::query(
        "INSERT INTO trainings (id, provider_id, code, title, summary, objectives, programme, prerequisites, audience, modality, \
         duration_hours, price_cents, search_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id)
    .bind(provider_id)
    .bind(&t.code)
    .bind(t.title.as_str())
    .bind(t.summary.as_str())
    .bind(t.objectives.as_str())
    .bind(t.programme.as_str())
    .bind(&t.prerequisites)
    .bind(t.audience.code())
    .bind(t.modality.code())
    .bind(t.hours)
    .bind(t.price.cents())
    .bind(search_text)
    .execute(db)
    .await;
    match res {
        Ok(_) => Ok(Some(id)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Adds a session to one of the provider's trainings; `None` if the training is not his.
pub async fn add_session(db: &Db, provider_id: i64, s: &NewSession) -> Result<Option<i64>, sqlx::Error> {
    let id = super::db::new_id();
    let added = sqlx::query(
        "INSERT INTO training_sessions (id, training_id, start_date, end_date, schedule, city, place, capacity, seats_taken, status, virtual_link) \
         SELECT $1, t.id, $2, $3, $4, $5, $6, $7, 0, $11, $8 FROM trainings t WHERE t.id = $9 AND t.provider_id = $10",
    )
    .bind(id)
    .bind(s.start.iso())
    .bind(s.end.iso())
    .bind(s.schedule.as_str())
    .bind(s.city.as_str())
    .bind(s.place.as_str())
    .bind(s.capacity)
    .bind(s.virtual_link.clone())
    .bind(s.training_id)
    .bind(provider_id)
    .bind(SessionStatus::Open)
    .execute(db)
    .await?
    .rows_affected();
    Ok((added > 0).then_some(id))
}

/// Changes a session's capacity, never below the seats already taken; seats added go to
/// the waiting list first.
pub async fn set_capacity(db: &Db, session_id: i64, capacity: i64) -> Result<bool, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let changed = sqlx::query("UPDATE training_sessions SET capacity = $1 WHERE id = $2 AND seats_taken <= $3 AND status = $4")
        .bind(capacity)
        .bind(session_id)
        .bind(capacity)
        .bind(SessionStatus::Open)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed > 0 {
        super::waitlist::seats_changed(&mut tx, session_id).await?;
    }
    tx.commit().await?;
    Ok(changed > 0)
}

/// The provider's staff, by email.
pub async fn staff(db: &Db, provider_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT email FROM provider_staff WHERE provider_id = $1 ORDER BY email")
        .bind(provider_id)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|(e,)| e).collect())
}

#[derive(Debug, PartialEq, Eq)]
pub enum StaffOutcome {
    Added,
    AlreadyHere,
    /// Staff of another provider: one provider each.
    Elsewhere,
}

/// Puts an email on the provider's staff (he logs in with an account of that email).
pub async fn add_staff(db: &Db, provider_id: i64, email: &str) -> Result<StaffOutcome, sqlx::Error> {
    if let Some((other, _)) = staff_seat(db, email).await? {
        return Ok(if other == provider_id { StaffOutcome::AlreadyHere } else { StaffOutcome::Elsewhere });
    }
    let res = sqlx::query("INSERT INTO provider_staff (email, provider_id, created_at) VALUES ($1, $2, $3)")
        .bind(email)
        .bind(provider_id)
        .bind(super::db::now())
        .execute(db)
        .await;
    match res {
        Ok(_) => Ok(StaffOutcome::Added),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(StaffOutcome::Elsewhere),
        Err(e) => Err(e),
    }
}
