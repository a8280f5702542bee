//! The pool (SQLite by default, PostgreSQL through DATABASE_URL) and small helpers.

use rand::Rng;
use sqlx::any::{AnyPoolOptions, AnyConnectOptions};
use sqlx::AnyPool;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub type Db = AnyPool;

/// The migrations this binary embeds: run at start by [`connect`], compared with the
/// database by the readiness check.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Opens the pool and applies the migrations.
pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    let options = AnyConnectOptions::from_str(url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if sqlite {
                    use sqlx::Executor;
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// A random positive id that stays exact in JavaScript numbers (< 2^53).
pub fn new_id() -> i64 {
    rand::thread_rng().gen_range(1_000_000..(1i64 << 53))
}

pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

pub fn today() -> crate::domain::Date {
    crate::domain::Date::from_unix_seconds(now())
}

/// The next number of a gapless sequence, taken inside the transaction that uses it:
/// the counter's row stays locked until that transaction ends, so concurrent
/// transactions (on any number of server instances) take numbers one after the other,
/// and a transaction that rolls back gives its number back.
pub async fn next_in_sequence(tx: &mut sqlx::Transaction<'_, sqlx::Any>, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("INSERT INTO counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING").bind(name).execute(&mut **tx).await?;
    sqlx::query("UPDATE counters SET value = value + 1 WHERE name = $1").bind(name).execute(&mut **tx).await?;
    let (seq,): (i64,) = sqlx::query_as("SELECT value FROM counters WHERE name = $1").bind(name).fetch_one(&mut **tx).await?;
    Ok(seq)
}

/// Opens a transaction that may write (every transaction of the services goes through
/// here), for instance a change made of several services' steps and the mails it causes
/// (`outbox::enqueue`), committed together by `Mailer::commit`.
///
/// On SQLite with `BEGIN IMMEDIATE`: the write lock is taken at once, waiting for it up
/// to `busy_timeout`. A deferred transaction that reads first is refused its upgrade to
/// a writer, without waiting ("database is locked"), whenever another connection
/// committed after its read: the crash test saw 30 % of concurrent payments fail so.
/// PostgreSQL: a plain `BEGIN`.
pub async fn begin(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if db.connect_options().database_url.scheme() == "sqlite" {
        db.begin_with("BEGIN IMMEDIATE").await
    } else {
        db.begin().await
    }
}

/// Opens a transaction with a conditional change (`UPDATE … WHERE <the state it
/// expects>`): the database decides, so two requests racing for the same row cannot both
/// pass. `None` when no row matched (the transaction is rolled back and the caller answers
/// "nothing to do"); otherwise the transaction, for the rest of the change.
pub async fn begin_if_changed<'q>(
    db: &Db,
    change: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
) -> Result<Option<sqlx::Transaction<'static, sqlx::Any>>, sqlx::Error> {
    let mut tx = begin(db).await?;
    if change.execute(&mut *tx).await?.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    Ok(Some(tx))
}
