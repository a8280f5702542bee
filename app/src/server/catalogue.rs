//! Catalogue queries.

use super::db::{today, Db};
use crate::domain::catalogue::*;
use crate::domain::code::sql_code;
use crate::domain::session::SessionStatus;
use crate::domain::{Date, Money};

type SummaryRow = (i64, String, String, String, String, String, i64, i64, String, Option<String>, i64);

/// The trainings with their next open session and how many are open.
fn summary_select() -> String {
    let open = sql_code(SessionStatus::Open);
    format!(
        "SELECT t.id, t.code, t.title, t.summary, t.audience, t.modality, t.duration_hours, \
         t.price_cents, p.name, \
         (SELECT MIN(s.start_date) FROM training_sessions s WHERE s.training_id = t.id AND s.status = {open} AND s.start_date >= $1), \
         (SELECT COUNT(*) FROM training_sessions s WHERE s.training_id = t.id AND s.status = {open} AND s.start_date >= $2) \
         FROM trainings t JOIN providers p ON p.id = t.provider_id"
    )
}

fn summary(r: SummaryRow) -> TrainingSummary {
    TrainingSummary {
        id: r.0,
        code: r.1,
        title: r.2,
        summary: r.3,
        audience: Audience::from_code(&r.4).unwrap_or(Audience::Ec),
        modality: Modality::from_code(&r.5).unwrap_or(Modality::InPerson),
        duration_hours: r.6,
        price: Money(r.7),
        provider: r.8,
        next_session: r.9.as_deref().and_then(Date::parse),
        open_sessions: r.10,
    }
}

/// Trainings matching every word of the query and each chosen filter.
pub async fn search(db: &Db, q: &CatalogueQuery) -> Result<Vec<TrainingSummary>, sqlx::Error> {
    let today = today().iso();
    let mut sql = format!("{} WHERE 1 = 1", summary_select());
    let mut binds: Vec<String> = vec![today.clone(), today.clone()];
    let mut push = |sql: &mut String, clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    for word in fold(&q.q).split_whitespace().take(8) {
        push(&mut sql, " AND t.search_text LIKE ?", format!("%{word}%"));
    }
    if Audience::from_code(&q.audience).is_some() {
        push(&mut sql, " AND t.audience = ?", q.audience.clone());
    }
    if Modality::from_code(&q.modality).is_some() {
        push(&mut sql, " AND t.modality = ?", q.modality.clone());
    }
    let city = q.city.trim();
    if !city.is_empty() {
        push(
            &mut sql,
            &format!(" AND EXISTS (SELECT 1 FROM training_sessions s WHERE s.training_id = t.id AND s.city = ? AND s.status = {})", sql_code(SessionStatus::Open)),
            city.to_string(),
        );
    }
    let month = q.month.trim();
    if month.len() == 7 && Date::parse(&format!("{month}-01")).is_some() {
        push(
            &mut sql,
            &format!(
                " AND EXISTS (SELECT 1 FROM training_sessions s WHERE s.training_id = t.id AND s.start_date LIKE ? AND s.status = {})",
                sql_code(SessionStatus::Open)
            ),
            format!("{month}-%"),
        );
    }
    let mut query = sqlx::query_as::<_, SummaryRow>(&sql);
    for b in binds {
        query = query.bind(b);
    }
    let mut found: Vec<TrainingSummary> = query.fetch_all(db).await?.into_iter().map(summary).collect();
    // Sorted here, not in SQL: the same order on every database, accents folded.
    found.sort_by_cached_key(|t| fold(&t.title));
    Ok(found)
}

pub async fn facets(db: &Db) -> Result<CatalogueFacets, sqlx::Error> {
    let today = today().iso();
    let cities: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT city FROM training_sessions WHERE status = $2 AND start_date >= $1 ORDER BY city",
    )
    .bind(&today)
    .bind(SessionStatus::Open)
    .fetch_all(db)
    .await?;
    let starts: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT start_date FROM training_sessions WHERE status = $2 AND start_date >= $1 ORDER BY start_date")
            .bind(&today)
            .bind(SessionStatus::Open)
            .fetch_all(db)
            .await?;
    let mut months: Vec<String> = starts.into_iter().map(|(d,)| d.chars().take(7).collect()).collect();
    months.dedup();
    Ok(CatalogueFacets { cities: cities.into_iter().map(|(c,)| c).collect(), months })
}

pub async fn detail(db: &Db, id: i64) -> Result<Option<TrainingDetail>, sqlx::Error> {
    let today = today().iso();
    let sql = format!("{} WHERE t.id = $3", summary_select());
    let Some(row) = sqlx::query_as::<_, SummaryRow>(&sql).bind(&today).bind(&today).bind(id).fetch_optional(db).await? else {
        return Ok(None);
    };
    let (objectives, programme, prerequisites, provider_city): (String, String, String, String) = sqlx::query_as(
        "SELECT t.objectives, t.programme, t.prerequisites, p.city FROM trainings t JOIN providers p ON p.id = t.provider_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    let sessions = sessions_of(db, id).await?;
    let lines = |s: String| s.lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect();
    Ok(Some(TrainingDetail {
        summary: summary(row),
        objectives: lines(objectives),
        programme: lines(programme),
        prerequisites,
        provider_city,
        sessions,
    }))
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    start_date: String,
    end_date: String,
    schedule: String,
    city: String,
    place: String,
    capacity: i64,
    seats_taken: i64,
}

fn session_view(r: SessionRow) -> SessionView {
    SessionView {
        id: r.id,
        start: Date::parse(&r.start_date).unwrap_or(Date { year: 1970, month: 1, day: 1 }),
        end: Date::parse(&r.end_date).unwrap_or(Date { year: 1970, month: 1, day: 1 }),
        schedule: r.schedule,
        city: r.city,
        place: r.place,
        capacity: r.capacity,
        seats_left: (r.capacity - r.seats_taken).max(0),
    }
}

pub async fn sessions_of(db: &Db, training_id: i64) -> Result<Vec<SessionView>, sqlx::Error> {
    let rows: Vec<SessionRow> = sqlx::query_as(
        "SELECT id, start_date, end_date, schedule, city, place, capacity, seats_taken FROM training_sessions \
         WHERE training_id = $1 AND status = $3 AND start_date >= $2 ORDER BY start_date, city",
    )
    .bind(training_id)
    .bind(today().iso())
    .bind(SessionStatus::Open)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(session_view).collect())
}

/// A session with its training's title (for the wizard header).
pub async fn session(db: &Db, session_id: i64) -> Result<Option<(SessionView, i64, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        session: SessionRow,
        training_id: i64,
        title: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.id, s.start_date, s.end_date, s.schedule, s.city, s.place, s.capacity, s.seats_taken, t.id AS training_id, t.title \
         FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE s.id = $1",
    )
    .bind(session_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (session_view(r.session), r.training_id, r.title)))
}
