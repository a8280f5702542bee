//! Failed log-ins per address, in the database so that every server instance on it
//! counts the same ones. The address is the one typed, normalised; an address without
//! an account is counted like any other, so a lock-out tells nothing of who has one.
//!
//! The rule (pure, in [`lock_until`]): failures are kept 24 hours; once 5 of them fall
//! within 15 minutes the address is locked for 15 minutes after the last failure, and
//! each failure after that (made once the lock has run out) doubles the lock, up to
//! [`MAX_LOCK_SECS`]. An attempt made while locked is refused whatever the password and
//! is not counted: the answer is the same for the right and the wrong password. A
//! successful log-in and a password reset clear the address's failures.

use super::db::{now, Db};

/// The client's address, put in the request's extensions by the server's outer layer
/// (the peer's address, or what a trusted proxy says in X-Forwarded-For).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

/// Failures that start a lock-out...
pub const THRESHOLD: usize = 5;
/// ...when they fall within this many seconds.
pub const WINDOW_SECS: i64 = 15 * 60;
/// The first lock; it doubles with each further failure.
pub const BASE_LOCK_SECS: i64 = 15 * 60;
/// The longest lock.
pub const MAX_LOCK_SECS: i64 = 3600;
/// How long a failure is remembered (the retention table's).
pub const MEMORY_SECS: i64 = crate::domain::retention::keep_secs(crate::domain::retention::Kind::FailedLogin);
/// An address longer than any real one is cut before it is stored.
const MAX_KEY_CHARS: usize = 320;

/// The key under which an address's failures are counted: trimmed, lower-case, bounded.
pub fn key(email: &str) -> String {
    email.trim().to_lowercase().chars().take(MAX_KEY_CHARS).collect()
}

/// Until when (Unix seconds) the address is locked, given its failures (any order), or
/// `None` if no lock-out has started. Pure.
pub fn lock_until(failures: &[i64]) -> Option<i64> {
    let mut sorted = failures.to_vec();
    sorted.sort_unstable();
    // The first run of THRESHOLD failures within the window starts the lock-out.
    let start = (THRESHOLD - 1..sorted.len()).find(|&i| sorted[i] - sorted[i + 1 - THRESHOLD] <= WINDOW_SECS)?;
    let first = start + 1 - THRESHOLD;
    let further = (sorted.len() - first - THRESHOLD) as u32;
    let lock = BASE_LOCK_SECS.saturating_mul(1i64 << further.min(20)).min(MAX_LOCK_SECS);
    sorted.last().map(|last| last + lock)
}

/// The lock in force on the address at `at`, as the Unix second it ends.
pub async fn locked_until(db: &Db, email: &str, at: i64) -> Result<Option<i64>, sqlx::Error> {
    // The rule needs the recent failures only; an address cannot pile up more than a
    // few dozen a day, since attempts during a lock are not counted.
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT failed_at FROM login_failures WHERE email = $1 AND failed_at > $2 ORDER BY failed_at DESC LIMIT 200")
            .bind(key(email))
            .bind(at - MEMORY_SECS)
            .fetch_all(db)
            .await?;
    let times: Vec<i64> = rows.into_iter().map(|(t,)| t).collect();
    Ok(lock_until(&times).filter(|until| *until > at))
}

/// Counts one failed log-in for the address.
pub async fn record_failure(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_failures (email, failed_at) VALUES ($1, $2)").bind(key(email)).bind(now()).execute(db).await?;
    Ok(())
}

/// Forgets the address's failures (a successful log-in, a password reset).
pub async fn clear(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE email = $1").bind(key(email)).execute(db).await?;
    Ok(())
}

/// Drops the failures nobody needs any more at `now` (periodic job).
pub async fn purge(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let res = sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1").bind(now - MEMORY_SECS).execute(db).await?;
    Ok(res.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_failures_do_not_lock() {
        assert_eq!(lock_until(&[0, 10, 20, 30]), None);
    }

    #[test]
    fn five_within_fifteen_minutes_lock_for_fifteen_minutes_after_the_last() {
        assert_eq!(lock_until(&[40, 0, 10, 20, 30]), Some(40 + BASE_LOCK_SECS));
        assert_eq!(lock_until(&[0, 200, 400, 600, WINDOW_SECS]), Some(WINDOW_SECS + BASE_LOCK_SECS));
    }

    #[test]
    fn five_spread_over_more_than_fifteen_minutes_do_not_lock() {
        assert_eq!(lock_until(&[0, 300, 600, 800, WINDOW_SECS + 1]), None);
    }

    #[test]
    fn each_further_failure_doubles_the_lock_up_to_the_cap() {
        let mut f = vec![0, 1, 2, 3, 4];
        assert_eq!(lock_until(&f), Some(4 + BASE_LOCK_SECS));
        f.push(5000);
        assert_eq!(lock_until(&f), Some(5000 + 2 * BASE_LOCK_SECS));
        f.push(9000);
        assert_eq!(lock_until(&f), Some(9000 + MAX_LOCK_SECS.min(4 * BASE_LOCK_SECS)));
        f.extend(10_000..10_100);
        assert_eq!(lock_until(&f), Some(10_099 + MAX_LOCK_SECS), "capped, no overflow");
    }

    #[test]
    fn the_key_is_the_normalised_address() {
        assert_eq!(key("  Marie.Durand@Cabinet.FR "), "marie.durand@cabinet.fr");
        assert_eq!(key(&"a".repeat(10_000)).len(), MAX_KEY_CHARS);
    }
}
