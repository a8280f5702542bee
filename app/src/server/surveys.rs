//! Satisfaction questionnaires, stored once per registration.

use super::db::{now, today, Db};
use crate::domain::account::ProvenEmail;
use crate::domain::code::sql_in;
use crate::domain::date::period_fr;
use crate::domain::survey::{Ratings, SurveyView, TrainingSurveys};
use crate::domain::registration::RegistrationStatus;
use crate::domain::Date;

/// The participant's questionnaire for one of his registrations whose session is over.
pub async fn for_participant(db: &Db, registration_id: i64, email: ProvenEmail<'_>) -> Result<Option<SurveyView>, sqlx::Error> {
    let row: Option<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT t.title, s.start_date, s.end_date FROM registrations r JOIN training_sessions s ON s.id = r.session_id \
         JOIN trainings t ON t.id = s.training_id \
         WHERE r.id = $1 AND r.participant_email = $2 AND r.status IN ({}) AND s.end_date < $3",
        sql_in(&RegistrationStatus::FIRM)
    ))
    .bind(registration_id)
    .bind(email.as_str())
    .bind(today().iso())
    .fetch_optional(db)
    .await?;
    let Some((title, start, end)) = row else { return Ok(None) };
    let answer: Option<(i64, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT rating_content, rating_trainer, rating_organisation, rating_overall, comment FROM survey_answers WHERE registration_id = $1",
    )
    .bind(registration_id)
    .fetch_optional(db)
    .await?;
    let period = match (Date::parse(&start), Date::parse(&end)) {
        (Some(s), Some(e)) => period_fr(s, e),
        _ => start,
    };
    Ok(Some(SurveyView {
        registration_id,
        training_title: title,
        period,
        answer: answer.map(|a| (Ratings { content: a.0, trainer: a.1, organisation: a.2, overall: a.3 }, a.4)),
    }))
}

/// Records the answer; `false` if one was already given (an answer is final).
pub async fn answer(db: &Db, registration_id: i64, r: &Ratings, comment: &str) -> Result<bool, sqlx::Error> {
    let res = sqlx::query(
        "INSERT INTO survey_answers (registration_id, rating_content, rating_trainer, rating_organisation, rating_overall, comment, answered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(registration_id)
    .bind(r.content)
    .bind(r.trainer)
    .bind(r.organisation)
    .bind(r.overall)
    .bind(comment)
    .bind(now())
    .execute(db)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Registration ids of the participant with a questionnaire still to fill.
pub async fn pending_for(db: &Db, email: ProvenEmail<'_>) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT r.id FROM registrations r JOIN training_sessions s ON s.id = r.session_id \
         WHERE r.participant_email = $1 AND r.status IN ({}) AND s.end_date < $2 \
         AND NOT EXISTS (SELECT 1 FROM survey_answers a WHERE a.registration_id = r.id)",
        sql_in(&RegistrationStatus::FIRM)
    ))
    .bind(email.as_str())
    .bind(today().iso())
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// One answer to a questionnaire and who gave it, as the company and the provider list them.
#[derive(sqlx::FromRow)]
pub(crate) struct AnswerRow {
    participant_first_name: String,
    participant_last_name: String,
    rating_content: i64,
    rating_trainer: i64,
    rating_organisation: i64,
    rating_overall: i64,
    comment: String,
}

impl AnswerRow {
    /// Who, the ratings, the comment.
    pub(crate) fn entry(self) -> (String, Ratings, String) {
        let ratings =
            Ratings { content: self.rating_content, trainer: self.rating_trainer, organisation: self.rating_organisation, overall: self.rating_overall };
        (format!("{} {}", self.participant_first_name, self.participant_last_name), ratings, self.comment)
    }
}

/// The answers of a company's collaborators, per training.
pub async fn of_company(db: &Db, company_id: i64) -> Result<Vec<TrainingSurveys>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        #[sqlx(flatten)]
        answer: AnswerRow,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.title, r.participant_first_name, r.participant_last_name, a.rating_content, a.rating_trainer, \
         a.rating_organisation, a.rating_overall, a.comment FROM survey_answers a \
         JOIN registrations r ON r.id = a.registration_id JOIN training_sessions s ON s.id = r.session_id \
         JOIN trainings t ON t.id = s.training_id WHERE r.company_id = $1 ORDER BY t.title, a.answered_at, r.participant_last_name",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    let mut out: Vec<TrainingSurveys> = Vec::new();
    for Row { title, answer } in rows {
        let entry = answer.entry();
        match out.iter_mut().find(|t| t.training_title == title) {
            Some(t) => t.answers.push(entry),
            None => out.push(TrainingSurveys { training_title: title, answers: vec![entry] }),
        }
    }
    Ok(out)
}
