//! `server backup <file>`: a consistent copy of the SQLite database, taken while the
//! server may be running, then checked.
//!
//! SQLite's `VACUUM INTO` reads the database in one read transaction (a snapshot: in WAL
//! mode the server's writers go on meanwhile) and writes a compact copy into a new file.
//! The copy is then opened read-only and must pass `PRAGMA integrity_check`. To restore,
//! stop the server and put the copy in the database file's place (removing the old
//! `-wal` and `-shm` files beside it); the server applies any newer migration at start.
//!
//! On PostgreSQL the command refuses and names the tool to use instead, `pg_dump`.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// What the checked copy holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub path: PathBuf,
    /// Size of the copy in bytes.
    pub bytes: u64,
    /// Tables in the copy (SQLite's own excepted).
    pub tables: i64,
    /// Migrations recorded as applied in the copy.
    pub migrations: i64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "backup written to {}: {} bytes, {} tables, {} migrations applied, integrity_check ok",
            self.path.display(),
            self.bytes,
            self.tables,
            self.migrations
        )
    }
}

/// The refusal on PostgreSQL: what to run instead, to back up and to restore.
pub fn postgres_refusal(target: &Path) -> String {
    let file = shell_quote(&target.display().to_string());
    format!(
        "DATABASE_URL is a PostgreSQL database: back it up with PostgreSQL's own tool, while the servers run:\n  \
         pg_dump --format=custom --file={file} \"$DATABASE_URL\"\n\
         and restore it, servers stopped, into the existing database (what the dump holds is dropped first) with:\n  \
         pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" {file}"
    )
}

/// A word for a POSIX shell: left as is when it is plain, single-quoted otherwise.
fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+:@%,=".contains(&b)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Copies the database of `database_url` (as the server reads it, see
/// `Settings::from_env`) into `target`, a file that must not exist yet, and checks the
/// copy. The database is only read (its WAL may be checkpointed when this connection is
/// the last to close, as any SQLite connection does), never created.
pub async fn backup(database_url: &str, target: &Path) -> Result<Report, String> {
    let url = database_url.trim();
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        return Err(postgres_refusal(target));
    }
    if !url.starts_with("sqlite:") {
        return Err("DATABASE_URL is neither sqlite: nor postgres: — nothing to back up".into());
    }
    // Checked first for a clear message; VACUUM INTO refuses a non-empty file too, so a
    // file that appears meanwhile is not overwritten either.
    if target.symlink_metadata().is_ok() {
        return Err(format!("{} exists already: choose a new file name (an existing backup is never overwritten)", target.display()));
    }
    let target_text = target.to_str().ok_or_else(|| format!("{}: the file name is not valid UTF-8", target.display()))?;
    // The URL's `?mode=rwc` would create an empty database where there is none: never here.
    let source = SqliteConnectOptions::from_str(url)
        .map_err(|e| format!("DATABASE_URL: {e}"))?
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(30));
    let file = source.get_filename().to_path_buf();
    if !file.is_file() {
        return Err(format!("no database file at {} (DATABASE_URL {url})", file.display()));
    }
    let mut conn = source.connect().await.map_err(|e| format!("opening {}: {e}", file.display()))?;
    // The file name is bound as a parameter (VACUUM INTO takes an expression): no quoting.
    sqlx::query("VACUUM INTO $1").bind(target_text).execute(&mut conn).await.map_err(|e| format!("VACUUM INTO {}: {e}", target.display()))?;
    conn.close().await.map_err(|e| format!("closing {}: {e}", file.display()))?;
    check(target).await
}

/// Opens a copy read-only and checks it: `PRAGMA integrity_check` must answer `ok`.
pub async fn check(copy: &Path) -> Result<Report, String> {
    let bytes = std::fs::metadata(copy).map_err(|e| format!("{}: {e}", copy.display()))?.len();
    let mut conn = SqliteConnectOptions::new()
        .filename(copy)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| format!("opening the copy {}: {e}", copy.display()))?;
    let problems: Vec<(String,)> =
        sqlx::query_as("PRAGMA integrity_check").fetch_all(&mut conn).await.map_err(|e| format!("integrity_check of {}: {e}", copy.display()))?;
    if problems.len() != 1 || problems[0].0 != "ok" {
        let listed: Vec<String> = problems.into_iter().take(10).map(|(p,)| p).collect();
        return Err(format!("the copy {} failed its integrity check, do not rely on it:\n{}", copy.display(), listed.join("\n")));
    }
    let (tables,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| format!("{}: {e}", copy.display()))?;
    let migrations: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut conn)
        .await
        .unwrap_or((0,));
    conn.close().await.map_err(|e| format!("closing the copy {}: {e}", copy.display()))?;
    Ok(Report { path: copy.to_path_buf(), bytes, tables, migrations: migrations.0 })
}

/// `server backup <file>`: runs the backup and returns the process's exit code.
pub async fn run(args: &[String]) -> i32 {
    let [file] = args else {
        eprintln!("usage: server backup <file>\n  copies the SQLite database of DATABASE_URL into <file> (a new file), while the server may run");
        return 2;
    };
    let settings = match crate::Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("backup: {e}");
            return 1;
        }
    };
    match backup(&settings.database_url, Path::new(file)).await {
        Ok(report) => {
            println!("{report}");
            0
        }
        Err(e) => {
            eprintln!("backup refused or failed: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_is_refused_with_the_commands_to_use() {
        let e = postgres_refusal(Path::new("/var/backups/portail.dump"));
        assert!(e.contains("pg_dump --format=custom --file=/var/backups/portail.dump \"$DATABASE_URL\""), "{e}");
        assert!(e.contains("pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" /var/backups/portail.dump"), "{e}");
        let e = postgres_refusal(Path::new("mon dump'1.bak"));
        assert!(e.contains(r"--file='mon dump'\''1.bak'"), "{e}");
    }
}
