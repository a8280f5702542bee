//! Knowledge tests: the provider's tests of a training, the participants' attempts, and
//! the results as the provider (per session), the company (its collaborators) and the
//! completion certificate see them. Every function takes ids the caller's rights were
//! checked against (`api::knowledge`); the scoring itself is `domain::knowledge`.

use super::db::{begin, new_id, now, Db};
use crate::domain::account::ProvenEmail;
use crate::domain::code::sql_in;
use crate::domain::date::period_fr;
use crate::domain::knowledge::{
    certificate_line, questions_text, Attempt, KeyedQuestion, Moment, MyTest, QuestionKind, ResultLine, Score, TestResults, TestSettings,
    TestState, TestSummary, Ticked,
};
use crate::domain::registration::RegistrationStatus;
use crate::domain::Date;
use std::collections::BTreeMap;

/// One of the caller's own registrations (by his proven address), ordered and not
/// cancelled, with its session's dates.
pub struct OwnRegistration {
    pub id: i64,
    pub training_id: i64,
    pub training_title: String,
    pub start: Date,
    pub end: Date,
}

impl OwnRegistration {
    pub fn period(&self) -> String {
        period_fr(self.start, self.end)
    }
}

pub async fn own_registration(db: &Db, registration_id: i64, email: ProvenEmail<'_>) -> Result<Option<OwnRegistration>, sqlx::Error> {
    let row: Option<(i64, i64, String, String, String)> = sqlx::query_as(&format!(
        "SELECT r.id, t.id, t.title, s.start_date, s.end_date FROM registrations r \
         JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id \
         WHERE r.id = $1 AND r.participant_email = $2 AND r.status IN ({})",
        sql_in(&RegistrationStatus::FIRM)
    ))
    .bind(registration_id)
    .bind(email.as_str())
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(id, training_id, training_title, start, end)| {
        Some(OwnRegistration { id, training_id, training_title, start: Date::parse(&start)?, end: Date::parse(&end)? })
    }))
}

/// The title of a training, if it is one of the provider's.
pub async fn training_of_provider(db: &Db, provider_id: i64, training_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT title FROM trainings WHERE id = $1 AND provider_id = $2")
        .bind(training_id)
        .bind(provider_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(t,)| t))
}

/// The training of a session.
pub async fn training_of_session(db: &Db, session_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT training_id FROM training_sessions WHERE id = $1").bind(session_id).fetch_optional(db).await?;
    Ok(row.map(|(t,)| t))
}

/// A test's settings as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TestRow {
    pub id: i64,
    pub moment: Moment,
    pub title: String,
    pub pass_mark: i64,
    pub max_attempts: i64,
    pub on_certificate: i64,
}

const TEST_COLUMNS: &str = "id, moment, title, pass_mark, max_attempts, on_certificate";

/// The tests of a training, the one before the session first.
pub async fn tests_of_training(db: &Db, training_id: i64) -> Result<Vec<TestRow>, sqlx::Error> {
    let mut rows: Vec<TestRow> =
        sqlx::query_as(&format!("SELECT {TEST_COLUMNS} FROM knowledge_tests WHERE training_id = $1")).bind(training_id).fetch_all(db).await?;
    rows.sort_by_key(|t| t.moment);
    Ok(rows)
}

/// The questions of a test, in order, with their choices.
pub async fn questions<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(db: E, test_id: i64) -> Result<Vec<KeyedQuestion>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        question_id: i64,
        kind: QuestionKind,
        question: String,
        choice_id: i64,
        choice: String,
        correct: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT q.id AS question_id, q.kind, q.text AS question, c.id AS choice_id, c.text AS choice, c.correct \
         FROM knowledge_questions q JOIN knowledge_choices c ON c.question_id = q.id \
         WHERE q.test_id = $1 ORDER BY q.position, c.position",
    )
    .bind(test_id)
    .fetch_all(db)
    .await?;
    let mut out: Vec<KeyedQuestion> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|q| q.id != r.question_id) {
            out.push(KeyedQuestion { id: r.question_id, kind: r.kind, text: r.question, choices: Vec::new() });
        }
        if let Some(q) = out.last_mut() {
            q.choices.push((r.choice_id, r.choice, r.correct == 1));
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    registration_id: i64,
    test_id: i64,
    attempt_no: i64,
    correct: i64,
    total: i64,
    passed: i64,
}

impl AttemptRow {
    fn attempt(&self) -> Attempt {
        Attempt { no: self.attempt_no, score: Score { correct: self.correct, total: self.total }, passed: self.passed == 1 }
    }
}

const ATTEMPT_COLUMNS: &str = "a.registration_id, a.test_id, a.attempt_no, a.correct, a.total, a.passed";

/// The attempts of one registration at one test, in order.
pub async fn attempts(db: &Db, registration_id: i64, test_id: i64) -> Result<Vec<Attempt>, sqlx::Error> {
    let rows: Vec<AttemptRow> = sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM knowledge_attempts a WHERE a.registration_id = $1 AND a.test_id = $2 ORDER BY a.attempt_no"
    ))
    .bind(registration_id)
    .bind(test_id)
    .fetch_all(db)
    .await?;
    Ok(rows.iter().map(AttemptRow::attempt).collect())
}

/// The choices ticked in one attempt.
pub async fn ticked(db: &Db, registration_id: i64, test_id: i64, attempt_no: i64) -> Result<Ticked, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT c.question_id, c.id FROM knowledge_answers x JOIN knowledge_attempts a ON a.id = x.attempt_id \
         JOIN knowledge_choices c ON c.id = x.choice_id WHERE a.registration_id = $1 AND a.test_id = $2 AND a.attempt_no = $3",
    )
    .bind(registration_id)
    .bind(test_id)
    .bind(attempt_no)
    .fetch_all(db)
    .await?;
    let mut out = Ticked::new();
    for (question, choice) in rows {
        out.entry(question).or_default().insert(choice);
    }
    Ok(out)
}

/// The tests of a training as its provider lists and edits them.
pub async fn summaries(db: &Db, training_id: i64) -> Result<Vec<TestSummary>, sqlx::Error> {
    let mut out = Vec::new();
    for t in tests_of_training(db, training_id).await? {
        let questions: Vec<_> = questions(db, t.id).await?.iter().map(KeyedQuestion::unkeyed).collect();
        let (attempts,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM knowledge_attempts WHERE test_id = $1").bind(t.id).fetch_one(db).await?;
        out.push(TestSummary {
            id: t.id,
            moment: t.moment,
            title: t.title,
            pass_mark: t.pass_mark,
            max_attempts: t.max_attempts,
            on_certificate: t.on_certificate == 1,
            question_count: questions.len(),
            attempts,
            questions_text: questions_text(&questions),
        })
    }
    Ok(out)
}

/// What became of a test saved by its provider.
#[derive(Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    Created,
    Updated,
    /// Participants have taken it: its questions, pass mark and number of attempts no
    /// longer change (their scores would lose their meaning).
    Locked,
}

/// Creates or replaces the training's test of that moment. Once taken, only its title
/// and its mention on the certificate change. In one transaction, so that a test being
/// replaced is never seen half-written.
pub async fn save(db: &Db, training_id: i64, t: &TestSettings) -> Result<SaveOutcome, sqlx::Error> {
    let mut tx = begin(db).await?;
    let existing: Option<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, pass_mark, max_attempts FROM knowledge_tests WHERE training_id = $1 AND moment = $2")
            .bind(training_id)
            .bind(t.moment)
            .fetch_optional(&mut *tx)
            .await?;
    let on_certificate = i64::from(t.on_certificate);
    let (test_id, outcome) = match existing {
        None => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO knowledge_tests (id, training_id, moment, title, pass_mark, max_attempts, on_certificate, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(training_id)
            .bind(t.moment)
            .bind(&t.title)
            .bind(t.pass_mark)
            .bind(t.max_attempts)
            .bind(on_certificate)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            (id, SaveOutcome::Created)
        }
        Some((id, pass_mark, max_attempts)) => {
            let (taken,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM knowledge_attempts WHERE test_id = $1").bind(id).fetch_one(&mut *tx).await?;
            if taken > 0 {
                let same = pass_mark == t.pass_mark
                    && max_attempts == t.max_attempts
                    && questions(&mut *tx, id).await?.iter().map(KeyedQuestion::unkeyed).collect::<Vec<_>>() == t.questions;
                if !same {
                    return Ok(SaveOutcome::Locked);
                }
                sqlx::query("UPDATE knowledge_tests SET title = $1, on_certificate = $2, updated_at = $3 WHERE id = $4")
                    .bind(&t.title)
                    .bind(on_certificate)
                    .bind(now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                return Ok(SaveOutcome::Updated);
            }
            sqlx::query("UPDATE knowledge_tests SET title = $1, pass_mark = $2, max_attempts = $3, on_certificate = $4, updated_at = $5 WHERE id = $6")
                .bind(&t.title)
                .bind(t.pass_mark)
                .bind(t.max_attempts)
                .bind(on_certificate)
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM knowledge_choices WHERE question_id IN (SELECT id FROM knowledge_questions WHERE test_id = $1)")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM knowledge_questions WHERE test_id = $1").bind(id).execute(&mut *tx).await?;
            (id, SaveOutcome::Updated)
        }
    };
    for (qi, q) in t.questions.iter().enumerate() {
        let qid = new_id();
        sqlx::query("INSERT INTO knowledge_questions (id, test_id, position, kind, text) VALUES ($1, $2, $3, $4, $5)")
            .bind(qid)
            .bind(test_id)
            .bind(qi as i64)
            .bind(q.kind)
            .bind(&q.text)
            .execute(&mut *tx)
            .await?;
        for (ci, c) in q.choices.iter().enumerate() {
            sqlx::query("INSERT INTO knowledge_choices (id, question_id, position, text, correct) VALUES ($1, $2, $3, $4, $5)")
                .bind(new_id())
                .bind(qid)
                .bind(ci as i64)
                .bind(&c.text)
                .bind(i64::from(c.correct))
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Deletes a test of the training that nobody took: `None` if there is no such test,
/// `Some(false)` if it was taken.
pub async fn delete(db: &Db, training_id: i64, test_id: i64) -> Result<Option<bool>, sqlx::Error> {
    let mut tx = begin(db).await?;
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM knowledge_tests WHERE id = $1 AND training_id = $2").bind(test_id).bind(training_id).fetch_optional(&mut *tx).await?;
    if found.is_none() {
        return Ok(None);
    }
    let (taken,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM knowledge_attempts WHERE test_id = $1").bind(test_id).fetch_one(&mut *tx).await?;
    if taken > 0 {
        return Ok(Some(false));
    }
    sqlx::query("DELETE FROM knowledge_choices WHERE question_id IN (SELECT id FROM knowledge_questions WHERE test_id = $1)")
        .bind(test_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM knowledge_questions WHERE test_id = $1").bind(test_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM knowledge_tests WHERE id = $1").bind(test_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Some(true))
}

/// Whether an attempt was stored.
#[derive(Debug, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// Stored under this number.
    Recorded(i64),
    /// The test is passed or its attempts used (perhaps by a concurrent submission).
    Refused,
}

/// Stores an attempt if another one is allowed. The number of the attempt is the count
/// of those before it plus one, and (registration, test, number) is unique: of two
/// submissions racing for the same number, on any number of server instances, the
/// database stores one and refuses the other, so the limit holds.
pub async fn record_attempt(
    db: &Db,
    registration_id: i64,
    test: &TestRow,
    score: Score,
    passed: bool,
    ticked: &Ticked,
) -> Result<AttemptOutcome, sqlx::Error> {
    let mut tx = begin(db).await?;
    let (count, passed_before): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MAX(passed) FROM knowledge_attempts WHERE registration_id = $1 AND test_id = $2")
            .bind(registration_id)
            .bind(test.id)
            .fetch_one(&mut *tx)
            .await?;
    if passed_before == Some(1) || count >= test.max_attempts {
        return Ok(AttemptOutcome::Refused);
    }
    let id = new_id();
    let inserted = sqlx::query(
        "INSERT INTO knowledge_attempts (id, registration_id, test_id, attempt_no, correct, total, passed, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(registration_id)
    .bind(test.id)
    .bind(count + 1)
    .bind(score.correct)
    .bind(score.total)
    .bind(i64::from(passed))
    .bind(now())
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(AttemptOutcome::Refused),
        Err(e) => return Err(e),
    }
    for choice in ticked.values().flatten() {
        sqlx::query("INSERT INTO knowledge_answers (attempt_id, choice_id) VALUES ($1, $2)").bind(id).bind(*choice).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(AttemptOutcome::Recorded(count + 1))
}

/// Attempts grouped per (registration, test), in order.
fn grouped<'a>(rows: impl IntoIterator<Item = &'a AttemptRow>) -> BTreeMap<(i64, i64), Vec<Attempt>> {
    let mut out: BTreeMap<(i64, i64), Vec<Attempt>> = BTreeMap::new();
    for r in rows {
        out.entry((r.registration_id, r.test_id)).or_default().push(r.attempt());
    }
    for v in out.values_mut() {
        v.sort_by_key(|a| a.no);
    }
    out
}

/// The provider's view of a session: for each test of its training, every participant
/// (ordered, not cancelled) with his attempts.
pub async fn session_results(db: &Db, session_id: i64) -> Result<Vec<TestResults>, sqlx::Error> {
    let Some(training_id) = training_of_session(db, session_id).await? else { return Ok(Vec::new()) };
    let (training,): (String,) = sqlx::query_as("SELECT title FROM trainings WHERE id = $1").bind(training_id).fetch_one(db).await?;
    let people: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT id, participant_first_name, participant_last_name FROM registrations WHERE session_id = $1 AND status IN ({}) \
         ORDER BY participant_last_name, participant_first_name, id",
        sql_in(&RegistrationStatus::FIRM)
    ))
    .bind(session_id)
    .fetch_all(db)
    .await?;
    let rows: Vec<AttemptRow> = sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM knowledge_attempts a JOIN registrations r ON r.id = a.registration_id WHERE r.session_id = $1"
    ))
    .bind(session_id)
    .fetch_all(db)
    .await?;
    let attempts = grouped(&rows);
    Ok(tests_of_training(db, training_id)
        .await?
        .into_iter()
        .map(|t| TestResults {
            training: training.clone(),
            lines: people
                .iter()
                .map(|(reg, first, last)| ResultLine::of(format!("{first} {last}"), attempts.get(&(*reg, t.id)).map_or(&[][..], Vec::as_slice)))
                .collect(),
            title: t.title,
            moment: t.moment,
            pass_mark: t.pass_mark,
        })
        .collect())
}

/// A company's view: for each session and test, those of its collaborators who took it.
pub async fn company_results(db: &Db, company_id: i64) -> Result<Vec<TestResults>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        attempt: AttemptRow,
        session_id: i64,
        training: String,
        start_date: String,
        end_date: String,
        first_name: String,
        last_name: String,
        title: String,
        moment: Moment,
        pass_mark: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS}, s.id AS session_id, t.title AS training, s.start_date, s.end_date, \
         r.participant_first_name AS first_name, r.participant_last_name AS last_name, k.title, k.moment, k.pass_mark \
         FROM knowledge_attempts a JOIN registrations r ON r.id = a.registration_id \
         JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id \
         JOIN knowledge_tests k ON k.id = a.test_id \
         WHERE r.company_id = $1 \
         ORDER BY s.start_date DESC, s.id, k.moment, r.participant_last_name, r.participant_first_name, r.id, a.attempt_no"
    ))
    .bind(company_id)
    .fetch_all(db)
    .await?;
    let attempts = grouped(rows.iter().map(|r| &r.attempt));
    let mut out: Vec<(i64, i64, TestResults)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for r in &rows {
        let key = (r.attempt.registration_id, r.attempt.test_id);
        if !seen.insert(key) {
            continue;
        }
        let line = ResultLine::of(format!("{} {}", r.first_name, r.last_name), attempts.get(&key).map_or(&[][..], Vec::as_slice));
        match out.iter_mut().find(|(s, t, _)| *s == r.session_id && *t == r.attempt.test_id) {
            Some((_, _, results)) => results.lines.push(line),
            None => {
                let period = match (Date::parse(&r.start_date), Date::parse(&r.end_date)) {
                    (Some(s), Some(e)) => period_fr(s, e),
                    _ => r.start_date.clone(),
                };
                out.push((
                    r.session_id,
                    r.attempt.test_id,
                    TestResults { training: format!("{} — {period}", r.training), title: r.title.clone(), moment: r.moment, pass_mark: r.pass_mark, lines: vec![line] },
                ));
            }
        }
    }
    Ok(out.into_iter().map(|(_, _, r)| r).collect())
}

/// The participant's tests, over his registrations (ordered, not cancelled), with where
/// he stands on each.
pub async fn mine(db: &Db, email: ProvenEmail<'_>, today: Date) -> Result<Vec<MyTest>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        registration_id: i64,
        training: String,
        start_date: String,
        end_date: String,
        test_id: i64,
        title: String,
        moment: Moment,
        max_attempts: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT r.id AS registration_id, t.title AS training, s.start_date, s.end_date, k.id AS test_id, k.title, k.moment, k.max_attempts \
         FROM registrations r JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id \
         JOIN knowledge_tests k ON k.training_id = t.id \
         WHERE r.participant_email = $1 AND r.status IN ({}) ORDER BY s.start_date DESC, r.id, k.moment",
        sql_in(&RegistrationStatus::FIRM)
    ))
    .bind(email.as_str())
    .fetch_all(db)
    .await?;
    let done: Vec<AttemptRow> = sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM knowledge_attempts a JOIN registrations r ON r.id = a.registration_id WHERE r.participant_email = $1"
    ))
    .bind(email.as_str())
    .fetch_all(db)
    .await?;
    let attempts = grouped(&done);
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let (start, end) = (Date::parse(&r.start_date)?, Date::parse(&r.end_date)?);
            let made = attempts.get(&(r.registration_id, r.test_id)).map_or(&[][..], Vec::as_slice);
            Some(MyTest {
                registration_id: r.registration_id,
                training: format!("{} ({})", r.training, period_fr(start, end)),
                title: r.title,
                moment: r.moment,
                state: TestState::of(r.moment.window(today, start, end), made, r.max_attempts),
            })
        })
        .collect())
}

/// The sentences of the completion certificate: the results of the tests whose provider
/// chose to mention them, when the participant took them.
pub async fn certificate_lines(db: &Db, registration_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let mut tests: Vec<TestRow> = sqlx::query_as(
        "SELECT k.id, k.moment, k.title, k.pass_mark, k.max_attempts, k.on_certificate FROM knowledge_tests k \
         JOIN training_sessions s ON s.training_id = k.training_id JOIN registrations r ON r.session_id = s.id \
         WHERE r.id = $1 AND k.on_certificate = 1",
    )
    .bind(registration_id)
    .fetch_all(db)
    .await?;
    tests.sort_by_key(|t| t.moment);
    let mut out = Vec::new();
    for t in tests {
        let made = attempts(db, registration_id, t.id).await?;
        if let Some(line) = certificate_line(t.moment, t.pass_mark, &ResultLine::of(String::new(), &made)) {
            out.push(line);
        }
    }
    Ok(out)
}
