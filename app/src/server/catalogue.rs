//! Catalogue queries.

use super::db::{today, Db};
use crate::domain::catalogue::*;
use crate::domain::page::{per_page, PageRequest};
use crate::domain::session::SessionStatus;
use crate::domain::{Date, Money};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long an instance serves its copy of the public catalogue before reading it again.
/// The instance that changes a training or a session drops its copy at once
/// ([`CatalogueCache::invalidate`]); the other instances of a load-balanced deployment
/// follow within this time (and one reading, which the others do not wait for). Seats
/// left are never cached (read with the training page).
pub const CACHE_TTL: Duration = Duration::from_secs(1);

/// The public catalogue as searched and shown (trainings, their next sessions, the
/// filters), kept in memory by each instance: the catalogue and its searches cost no
/// query at all while the copy is fresh.
#[derive(Default)]
pub struct CatalogueCache {
    copy: RwLock<Option<Arc<Snapshot>>>,
    /// One reading at a time: the requests that find the copy stale wait for it
    /// rather than all reading the same rows.
    reading: tokio::sync::Mutex<()>,
    /// Counts the invalidations: a reading begun before one is not kept.
    generation: AtomicU64,
}

/// One reading of the catalogue, valid for the day it was read on.
struct Snapshot {
    read_at: Instant,
    today: String,
    /// Sorted by folded title (the catalogue's order).
    trainings: Vec<Entry>,
    facets: CatalogueFacets,
}

struct Entry {
    summary: TrainingSummary,
    search_text: String,
    objectives: Vec<String>,
    programme: Vec<String>,
    prerequisites: String,
    provider_city: String,
    /// Every open session's (city, start date), past ones included: the filters by
    /// city and by month look at them all.
    open: Vec<(String, String)>,
}

impl CatalogueCache {
    /// Drops this instance's copy: the next request reads the catalogue again.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut copy) = self.copy.write() {
            *copy = None;
        }
    }

    /// The copy of `today`, if any, with whether it is older than the TTL.
    fn current(&self, today: &str) -> Option<(Arc<Snapshot>, bool)> {
        let s = self.copy.read().ok().and_then(|c| c.clone()).filter(|s| s.today == today)?;
        let stale = s.read_at.elapsed() >= CACHE_TTL;
        Some((s, stale))
    }

    async fn snapshot(&self, db: &Db) -> Result<Arc<Snapshot>, sqlx::Error> {
        let today = today().iso();
        let reading = match self.current(&today) {
            Some((s, false)) => return Ok(s),
            // Stale (another instance may have changed the catalogue): one request
            // reads it again while the others keep the copy a little longer, rather than
            // all waiting for that reading.
            Some((s, true)) => match self.reading.try_lock() {
                Ok(guard) => guard,
                Err(_) if s.read_at.elapsed() < CACHE_TTL * 10 => return Ok(s),
                Err(_) => self.reading.lock().await,
            },
            // None (never read, or dropped by a change made here): everyone waits for
            // the one reading.
            None => self.reading.lock().await,
        };
        // Read meanwhile by the request this one waited for.
        if let Some((s, false)) = self.current(&today) {
            return Ok(s);
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let s = Arc::new(read_snapshot(db, today).await?);
        if let Ok(mut copy) = self.copy.write() {
            if self.generation.load(Ordering::SeqCst) == generation {
                *copy = Some(s.clone());
            }
        }
        drop(reading);
        Ok(s)
    }
}

type TrainingRow = (i64, String, String, String, String, String, i64, i64, String, String, String, String, String, String);

/// Two queries: every training with its provider, every open session.
async fn read_snapshot(db: &Db, today: String) -> Result<Snapshot, sqlx::Error> {
    let read_at = Instant::now();
    let rows: Vec<TrainingRow> = sqlx::query_as(
        "SELECT t.id, t.code, t.title, t.summary, t.audience, t.modality, t.duration_hours, t.price_cents, p.name, \
         t.search_text, t.objectives, t.programme, t.prerequisites, p.city \
         FROM trainings t JOIN providers p ON p.id = t.provider_id",
    )
    .fetch_all(db)
    .await?;
    let sessions: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT training_id, city, start_date FROM training_sessions WHERE status = $1")
            .bind(SessionStatus::Open)
            .fetch_all(db)
            .await?;
    let mut open: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (training, city, start) in sessions {
        open.entry(training).or_default().push((city, start));
    }
    let lines = |s: String| s.lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect();
    let mut trainings: Vec<Entry> = rows
        .into_iter()
        .map(|r| {
            let open = open.remove(&r.0).unwrap_or_default();
            let upcoming = || open.iter().filter(|(_, start)| start.as_str() >= today.as_str());
            let summary = TrainingSummary {
                id: r.0,
                code: r.1,
                title: r.2,
                summary: r.3,
                audience: Audience::from_code(&r.4).unwrap_or(Audience::Ec),
                modality: Modality::from_code(&r.5).unwrap_or(Modality::InPerson),
                duration_hours: r.6,
                price: Money(r.7),
                provider: r.8,
                next_session: upcoming().map(|(_, start)| start.as_str()).min().and_then(Date::parse),
                open_sessions: upcoming().count() as i64,
            };
            Entry {
                summary,
                search_text: r.9,
                objectives: lines(r.10),
                programme: lines(r.11),
                prerequisites: r.12,
                provider_city: r.13,
                open,
            }
        })
        .collect();
    // Sorted here, not in SQL: the same order on every database, accents folded; equal
    // titles by id, so that the pages of a search never overlap.
    trainings.sort_by_cached_key(|e| (fold(&e.summary.title), e.summary.id));
    let upcoming: Vec<&(String, String)> = trainings.iter().flat_map(|e| &e.open).filter(|(_, start)| *start >= today).collect();
    let cities: BTreeSet<String> = upcoming.iter().map(|(city, _)| city.clone()).collect();
    let months: BTreeSet<String> = upcoming.iter().map(|(_, start)| start.chars().take(7).collect()).collect();
    let facets = CatalogueFacets { cities: cities.into_iter().collect(), months: months.into_iter().collect() };
    Ok(Snapshot { read_at, today, trainings, facets })
}

/// Trainings matching every word of the query (in the folded text of title, summary,
/// objectives…) and each chosen filter: the page asked for (`per_page::CATALOGUE` a
/// page) and their number, with the filters' values. Cut from the cached catalogue, so
/// a page costs no query.
pub async fn search(db: &Db, cache: &CatalogueCache, q: &CatalogueQuery, page: PageRequest) -> Result<CataloguePage, sqlx::Error> {
    let snapshot = cache.snapshot(db).await?;
    let words: Vec<String> = fold(&q.q).split_whitespace().take(8).map(str::to_string).collect();
    let audience = Audience::from_code(&q.audience);
    let modality = Modality::from_code(&q.modality);
    let city = q.city.trim();
    let month = q.month.trim();
    let month = (month.len() == 7 && Date::parse(&format!("{month}-01")).is_some()).then(|| format!("{month}-"));
    let found: Vec<&Entry> = snapshot
        .trainings
        .iter()
        .filter(|e| words.iter().all(|w| e.search_text.contains(w.as_str())))
        .filter(|e| audience.is_none_or(|a| e.summary.audience == a))
        .filter(|e| modality.is_none_or(|m| e.summary.modality == m))
        .filter(|e| city.is_empty() || e.open.iter().any(|(c, _)| c == city))
        .filter(|e| month.as_deref().is_none_or(|m| e.open.iter().any(|(_, start)| start.starts_with(m))))
        .collect();
    let trainings = page.window(found.len() as u64, per_page::CATALOGUE).slice(found).map(|e| e.summary.clone());
    Ok(CataloguePage { trainings, facets: snapshot.facets.clone() })
}

/// A training's page: its text from the cached catalogue, its upcoming sessions and
/// their seats read now (one query).
pub async fn detail(db: &Db, cache: &CatalogueCache, id: i64) -> Result<Option<TrainingDetail>, sqlx::Error> {
    let snapshot = cache.snapshot(db).await?;
    let Some(e) = snapshot.trainings.iter().find(|e| e.summary.id == id) else { return Ok(None) };
    let sessions = sessions_of(db, id).await?;
    Ok(Some(TrainingDetail {
        summary: e.summary.clone(),
        objectives: e.objectives.clone(),
        programme: e.programme.clone(),
        prerequisites: e.prerequisites.clone(),
        provider_city: e.provider_city.clone(),
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

/// The provider of a training (whose staff see the undelivered mails about it).
pub async fn provider_of_training(db: &Db, training_id: i64) -> Result<i64, sqlx::Error> {
    let (provider,): (i64,) = sqlx::query_as("SELECT provider_id FROM trainings WHERE id = $1").bind(training_id).fetch_one(db).await?;
    Ok(provider)
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
