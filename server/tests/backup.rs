//! `server backup <file>` (issue 12, "Run it for real"): a copy of the SQLite database
//! taken while a writer keeps writing is one consistent moment of it, passes its
//! integrity check, and serves again once put in place of the database file; an
//! existing file is never overwritten; PostgreSQL is refused with the `pg_dump` command.
//!
//! SQLite only (the PostgreSQL run skips the copy: its backup is `pg_dump`'s business).

mod common;

use common::TestApp;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

static FILES: AtomicU64 = AtomicU64::new(0);

/// A path in the tests' directory that does not exist yet.
fn new_path(stem: &str) -> PathBuf {
    let dir = std::env::temp_dir().join("espace-entreprise-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let n = FILES.fetch_add(1, Ordering::SeqCst);
    let path = dir.join(format!("{stem}_{}_{n}_{}.db", std::process::id(), app::server::db::now()));
    assert!(!path.exists());
    path
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The counter the writer increments, one gapless number per transaction, each also
/// written as a row of its own ("backup-test-<n>") in the same transaction.
const COUNTER: &str = "backup-test";

async fn counter(db: &app::server::Db) -> (i64, i64) {
    let (value,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(value), 0) FROM counters WHERE name = $1")
        .bind(COUNTER)
        .fetch_one(db)
        .await
        .unwrap();
    let (rows,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM counters WHERE name LIKE 'backup-test-%'").fetch_one(db).await.unwrap();
    (value, rows)
}

/// Writes until told to stop; `done` is the last number committed.
fn spawn_writer(db: app::server::Db, stop: Arc<AtomicBool>, done: Arc<AtomicI64>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while !stop.load(Ordering::SeqCst) {
            let mut tx = app::server::db::begin(&db).await.unwrap();
            let n = app::server::db::next_in_sequence(&mut tx, COUNTER).await.unwrap();
            sqlx::query("INSERT INTO counters (name, value) VALUES ($1, $2)")
                .bind(format!("{COUNTER}-{n}"))
                .bind(n)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            done.store(n, Ordering::SeqCst);
            tokio::task::yield_now().await;
        }
    })
}

async fn wait_for(done: &AtomicI64, at_least: i64) {
    while done.load(Ordering::SeqCst) < at_least {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_restores_a_consistent_database() {
    if common::is_postgres() {
        println!("skipped on PostgreSQL: backups there are pg_dump's");
        return;
    }
    let live = new_path("live");
    let url = sqlite_url(&live);
    let for_app = url.clone();
    let mut app = TestApp::spawn_configured(move |s, _| s.database_url = for_app).await;
    // Data written before the backup, through the router: an account.
    app.sign_up("Avant", "Sauvegarde", "avant.sauvegarde@exemple.fr").await;

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicI64::new(0));
    let writer = spawn_writer(app.db().clone(), stop.clone(), done.clone());
    wait_for(&done, 50).await;
    let before = done.load(Ordering::SeqCst);

    let copy = new_path("copy");
    let report = server::backup::backup(&url, &copy).await.expect("backup");

    // The writer goes on after the copy, then stops.
    let after_copy = done.load(Ordering::SeqCst);
    wait_for(&done, after_copy + 20).await;
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    let after = done.load(Ordering::SeqCst);

    assert_eq!(report.path, copy);
    assert_eq!(report.bytes, std::fs::metadata(&copy).unwrap().len());
    let embedded = app::server::db::MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration()).count() as i64;
    assert_eq!(report.migrations, embedded, "every migration recorded in the copy");
    let (tables,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(report.tables, tables, "as many tables as the live database");
    println!("{report}; writer at {before} before the copy, {after_copy} after it, {after} at the end");

    // Restored: the copy becomes the database file of a fresh server.
    let restored_file = new_path("restored");
    std::fs::copy(&copy, &restored_file).unwrap();
    let restored_url = sqlite_url(&restored_file);
    let mut restored = TestApp::spawn_configured(move |s, _| s.database_url = restored_url).await;
    let db = restored.db().clone();
    let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check").fetch_one(&db).await.unwrap();
    assert_eq!(integrity, "ok");
    assert_eq!(server::ops::readiness(&db, server::ops::READY_MAX_BACKLOG).await, Vec::<String>::new(), "migrations applied, database answers");
    // One moment of the database: the counter and the rows of the same transactions agree.
    let (value, rows) = counter(&db).await;
    assert!((before..=after_copy).contains(&value), "copy at {value}, taken between {before} and {after_copy}");
    assert_eq!(rows, value, "the counter and its rows come from one snapshot");
    let (missing,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM counters c WHERE c.name LIKE 'backup-test-%' AND c.value > $1",
    )
    .bind(value)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(missing, 0, "no number beyond the counter");
    // What was written before: the account logs in on the restored server.
    restored.log_in("avant.sauvegarde@exemple.fr").await;
    // The live database went on without it.
    assert_eq!(counter(app.db()).await, (after, after));

    // A file that exists is never overwritten, be it a backup or anything else.
    let size = std::fs::metadata(&copy).unwrap().len();
    let e = server::backup::backup(&url, &copy).await.unwrap_err();
    assert!(e.contains("exists already"), "{e}");
    assert_eq!(std::fs::metadata(&copy).unwrap().len(), size);
    assert_eq!(server::backup::check(&copy).await.unwrap(), report, "the earlier backup is untouched");
    let other = new_path("other");
    std::fs::write(&other, b"not a database").unwrap();
    let e = server::backup::backup(&url, &other).await.unwrap_err();
    assert!(e.contains("exists already"), "{e}");
    assert_eq!(std::fs::read(&other).unwrap(), b"not a database");

    for f in [&live, &copy, &restored_file, &other] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
        }
    }
}

/// A file name with a quote (VACUUM INTO's argument is bound, not spliced into the SQL),
/// and a damaged copy that the check rejects.
#[tokio::test]
async fn odd_file_names_and_damaged_copies() {
    if common::is_postgres() {
        println!("skipped on PostgreSQL: backups there are pg_dump's");
        return;
    }
    let live = new_path("live");
    let url = sqlite_url(&live);
    let for_app = url.clone();
    let _app = TestApp::spawn_configured(move |s, _| s.database_url = for_app).await;
    let dir = std::env::temp_dir().join("espace-entreprise-tests");
    let odd = dir.join(format!("l'archive du {}'; DROP TABLE users; --.db", FILES.fetch_add(1, Ordering::SeqCst)));
    let report = server::backup::backup(&url, &odd).await.expect("backup to a name with quotes");
    assert!(odd.is_file() && report.tables > 10, "{report}");

    // Bytes of the middle of the copy overwritten: the check refuses it.
    let mut bytes = std::fs::read(&odd).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 4096] {
        *b = 0x5a;
    }
    let damaged = new_path("damaged");
    std::fs::write(&damaged, &bytes).unwrap();
    let e = server::backup::check(&damaged).await.unwrap_err();
    assert!(e.contains("integrity") || e.contains("malformed"), "{e}");
    for f in [&live, &odd, &damaged] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
        }
    }
}

/// No database file: nothing is created, neither the database nor the copy.
#[tokio::test]
async fn a_missing_database_is_not_created() {
    let absent = new_path("absent");
    let copy = new_path("copy");
    let e = server::backup::backup(&sqlite_url(&absent), &copy).await.unwrap_err();
    assert!(e.contains("no database file"), "{e}");
    assert!(!absent.exists() && !copy.exists());
}

/// PostgreSQL: refused, with the commands that back up and restore it.
#[tokio::test]
async fn postgresql_is_refused_with_pg_dump() {
    let copy = new_path("copy");
    let e = server::backup::backup("postgres://portail@db.interne:5432/portail", &copy).await.unwrap_err();
    assert!(e.contains(&format!("pg_dump --format=custom --file={} \"$DATABASE_URL\"", copy.display())), "{e}");
    assert!(e.contains("pg_restore --clean --if-exists"), "{e}");
    assert!(!copy.exists());
}
