//! Provider staff and what they see of their own provider's sessions.

use super::db::{today, Db};
use crate::domain::date::period_fr;
use crate::domain::provider::ProviderSession;
use crate::domain::survey::{Ratings, TrainingSurveys};
use crate::domain::Date;

/// The provider (id, name) this email works for, if any.
pub async fn of_staff(db: &Db, email: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
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

/// The provider's sessions, most recent first among the past, then the upcoming.
pub async fn sessions(db: &Db, provider_id: i64) -> Result<Vec<ProviderSession>, sqlx::Error> {
    type Row = (i64, String, String, String, String, i64, i64, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, t.title, s.start_date, s.end_date, s.city, s.capacity, s.seats_taken, s.status \
         FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE t.provider_id = $1 \
         ORDER BY s.start_date, t.title",
    )
    .bind(provider_id)
    .fetch_all(db)
    .await?;
    let today = today().iso();
    Ok(rows
        .into_iter()
        .map(|(id, title, start, end, city, capacity, seats_taken, status)| ProviderSession {
            id,
            training_title: title,
            period: period(&start, &end),
            upcoming: start > today,
            city,
            capacity,
            seats_taken,
            status,
        })
        .collect())
}

/// The questionnaires answered on the provider's sessions, per session.
pub async fn surveys(db: &Db, provider_id: i64) -> Result<Vec<TrainingSurveys>, sqlx::Error> {
    type Row = (i64, String, String, String, String, String, String, i64, i64, i64, i64, String);
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
    for (session, title, start, end, city, first, last, c, tr, o, ov, comment) in rows {
        let entry = (format!("{first} {last}"), Ratings { content: c, trainer: tr, organisation: o, overall: ov }, comment);
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
