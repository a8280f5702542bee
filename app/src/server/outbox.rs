//! The outbox: the queue of outgoing mail that every server instance works from.
//!
//! A mail is written by [`enqueue`] in the transaction of the change that causes it, so
//! that it exists exactly when the change does. The worker of each instance
//! (`mail::spawn_worker`) [`claim`]s due mails with a lease, sends them, and records the
//! outcome with the claim's token ([`sent`], [`failed_attempt`]): a worker whose lease
//! was taken over records nothing. PostgreSQL claims with `FOR UPDATE SKIP LOCKED`;
//! SQLite, whose writers take turns, with the same single conditional `UPDATE`. A
//! failed attempt is tried again after [`backoff_secs`], for 24 hours
//! ([`after_failure`]); then the mail is marked failed, and shown to the operator
//! ([`backlog`], the log) and to the staff of the provider it is about ([`undelivered`]).

use super::db::{new_id, now, Db};
use crate::domain::provider::UndeliveredMail;
use sqlx::{Any, AnyConnection, Executor};

/// One mail to write into the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The account whose action sends it, counted against its hourly allowance
    /// (`None`: the portal itself).
    pub sent_for: Option<i64>,
    /// The provider whose session or invoice it is about, whose staff see it if it
    /// cannot be delivered.
    pub provider_id: Option<i64>,
}

impl Mail {
    pub fn new(to: impl Into<String>, subject: impl Into<String>, body: impl Into<String>) -> Self {
        Self { to: to.into(), subject: subject.into(), body: body.into(), sent_for: None, provider_id: None }
    }

    /// Counted against this account's hourly allowance.
    pub fn sent_for(mut self, account: Option<i64>) -> Self {
        self.sent_for = account;
        self
    }

    /// About a session or an invoice of this provider.
    pub fn about_provider(mut self, provider: Option<i64>) -> Self {
        self.provider_id = provider;
        self
    }
}

/// Writes the mail, due at once, on `conn`: the transaction of the change that causes
/// it (or the pool, when the mail is the only write). Nothing is sent before that
/// transaction commits, and nothing ever if it rolls back.
pub async fn enqueue(conn: &mut AnyConnection, mail: &Mail) -> Result<(), sqlx::Error> {
    let t = now();
    sqlx::query(
        "INSERT INTO outbox (id, to_addr, subject, body, created_at, sent_for, provider_id, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(t)
    .bind(mail.sent_for)
    .bind(mail.provider_id)
    .bind(t)
    .execute(conn)
    .await?;
    Ok(())
}

/// How long after its creation a mail is still tried; then it is failed.
pub const GIVE_UP_AFTER_SECS: i64 = 24 * 3600;
/// The wait after the first failed attempt; it doubles after each other one…
pub const FIRST_RETRY_SECS: i64 = 30;
/// … up to this.
pub const LONGEST_WAIT_SECS: i64 = 2 * 3600;

/// The wait before the next attempt once `attempts` attempts have failed: 30 s, 1 min,
/// 2 min, 4 min… doubling up to 2 h.
pub fn backoff_secs(attempts: i64) -> i64 {
    let doublings = (attempts.max(1) - 1).min(20) as u32;
    (FIRST_RETRY_SECS << doublings).min(LONGEST_WAIT_SECS)
}

/// What follows a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Try again at this instant (unix seconds).
    RetryAt(i64),
    /// Mark the mail failed.
    GiveUp,
}

/// After attempt number `attempts` of a mail written at `created_at` failed at `at`:
/// a refusal the mail server calls permanent (an unknown address) is final; otherwise
/// the next attempt, unless it would come 24 hours or more after the mail was written.
pub fn after_failure(created_at: i64, attempts: i64, at: i64, permanent: bool) -> Next {
    let next = at + backoff_secs(attempts);
    if permanent || next >= created_at + GIVE_UP_AFTER_SECS {
        Next::GiveUp
    } else {
        Next::RetryAt(next)
    }
}

/// A mail claimed by this worker until `claimed_until`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    /// Attempts made, this one included.
    pub attempts: i64,
    pub created_at: i64,
    pub claim_token: i64,
    pub claimed_until: i64,
}

/// Claims up to `limit` mails due at `at` for `lease_secs`, and counts the attempt: no
/// other worker claims them before the lease ends, on any instance. A mail whose
/// claim was left by a crashed instance is due again once its lease has ended. Mails
/// more than 24 hours old (see [`expire`]) and mails whose body was erased are never
/// claimed.
pub async fn claim(db: &Db, at: i64, limit: i64, lease_secs: i64) -> Result<Vec<Claimed>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    // PostgreSQL: rows being claimed by another worker are skipped, not waited for, and
    // a row claimed meanwhile is checked again by its lock. SQLite runs one writer at a
    // time: the statement alone is the claim.
    let lock = if conn.backend_name() == "PostgreSQL" { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE outbox SET claimed_until = $1, claim_token = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3 \
                      AND (claimed_until IS NULL OR claimed_until <= $3) AND created_at > $4 AND body <> '' \
                      ORDER BY next_attempt_at, id LIMIT $5{lock}) \
         RETURNING id, to_addr, subject, body, attempts, created_at, claim_token, claimed_until"
    );
    sqlx::query_as(&sql)
        .bind(at + lease_secs)
        .bind(new_id())
        .bind(at)
        .bind(at - GIVE_UP_AFTER_SECS)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
}

/// The claimed mail was accepted by the mail server at `at`. `false` when the claim was
/// no longer this worker's (its lease ended and another took it).
pub async fn sent(db: &Db, mail: &Claimed, at: i64) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("UPDATE outbox SET sent_at = $1, claimed_until = NULL, error = NULL WHERE id = $2 AND claim_token = $3")
        .bind(at)
        .bind(mail.id)
        .bind(mail.claim_token)
        .execute(db)
        .await?
        .rows_affected();
    Ok(n > 0)
}

/// The longest error text kept.
const ERROR_MAX: usize = 500;

/// The claimed mail's attempt failed with `error`: it is tried again later, or marked
/// failed at `at` (`next`, from [`after_failure`]). `false` when the claim was no longer
/// this worker's.
pub async fn failed_attempt(db: &Db, mail: &Claimed, error: &str, next: Next, at: i64) -> Result<bool, sqlx::Error> {
    let error: String = error.chars().take(ERROR_MAX).collect();
    let query = match next {
        Next::RetryAt(when) => {
            sqlx::query("UPDATE outbox SET claimed_until = NULL, error = $1, next_attempt_at = $2 WHERE id = $3 AND claim_token = $4")
                .bind(error)
                .bind(when)
        }
        Next::GiveUp => sqlx::query("UPDATE outbox SET claimed_until = NULL, error = $1, failed_at = $2 WHERE id = $3 AND claim_token = $4")
            .bind(error)
            .bind(at),
    };
    Ok(query.bind(mail.id).bind(mail.claim_token).execute(db).await?.rows_affected() > 0)
}

/// Why a mail was failed without being sent.
pub const NOT_SENT_IN_TIME: &str = "non envoyé dans les 24 heures";
pub const ERASED: &str = "adresse effacée avant l'envoi";

/// Marks failed, at `at`, the mails nobody holds that can no longer be sent: written
/// more than 24 hours ago (no instance could send them in time), or whose address was
/// erased (`privacy`). Returns how many.
pub async fn expire(db: &Db, at: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE outbox SET failed_at = $1, claimed_until = NULL, error = CASE WHEN body = '' THEN $2 ELSE COALESCE(error, $3) END \
         WHERE sent_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $1) \
         AND (created_at <= $4 OR body = '')",
    )
    .bind(at)
    .bind(ERASED)
    .bind(NOT_SENT_IN_TIME)
    .bind(at - GIVE_UP_AFTER_SECS)
    .execute(db)
    .await?
    .rows_affected())
}

/// The outbox as the operator watches it: mails waiting to be sent (due now or at a
/// later attempt), and mails given up.
pub async fn backlog(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL), \
         (SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL)",
    )
    .fetch_one(db)
    .await
}

/// How many undelivered mails a provider's page lists.
pub const UNDELIVERED_SHOWN: i64 = 50;

/// The mails about the provider's sessions and invoices that were given up, newest
/// first.
pub async fn undelivered(db: &Db, provider_id: i64) -> Result<Vec<UndeliveredMail>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT to_addr, subject, error, attempts, failed_at FROM outbox WHERE provider_id = $1 AND failed_at IS NOT NULL \
         ORDER BY failed_at DESC, id DESC LIMIT $2",
    )
    .bind(provider_id)
    .bind(UNDELIVERED_SHOWN)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(to, subject, error, attempts, failed_at)| UndeliveredMail {
            to,
            subject,
            error: error.unwrap_or_default(),
            attempts,
            given_up: crate::domain::date::paris_datetime(failed_at),
        })
        .collect())
}

/// How many mails the account's actions made the portal send since `since` (Unix s).
pub async fn sent_for_since<'e>(db: impl Executor<'e, Database = Any>, account: i64, since: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE sent_for = $1 AND created_at > $2")
        .bind(account)
        .bind(since)
        .fetch_one(db)
        .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_thirty_seconds_up_to_two_hours() {
        let waits: Vec<i64> = (1..=10).map(backoff_secs).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3840, 7200, 7200]);
        assert_eq!(backoff_secs(0), 30, "no attempt yet counts as the first");
        assert_eq!(backoff_secs(i64::MAX), LONGEST_WAIT_SECS, "no overflow");
    }

    #[test]
    fn a_mail_is_tried_for_24_hours_then_given_up() {
        let created = 1_000_000;
        // Each attempt fails: follow the schedule as the worker would.
        let (mut at, mut attempts, mut times) = (created, 1, vec![created]);
        while let Next::RetryAt(next) = after_failure(created, attempts, at, false) {
            assert!(next > at && next < created + GIVE_UP_AFTER_SECS);
            assert_eq!(next - at, backoff_secs(attempts));
            at = next;
            attempts += 1;
            times.push(at);
        }
        assert_eq!(&times[..4], &[created, created + 30, created + 90, created + 210]);
        // Past two hours, every two hours until the day is over.
        assert_eq!(times.len(), 19, "{times:?}");
        assert!(*times.last().unwrap() + LONGEST_WAIT_SECS >= created + GIVE_UP_AFTER_SECS);
        assert!(*times.last().unwrap() > created + GIVE_UP_AFTER_SECS - LONGEST_WAIT_SECS);
    }

    #[test]
    fn a_permanent_refusal_is_final_at_once() {
        assert_eq!(after_failure(0, 1, 10, true), Next::GiveUp);
        assert_eq!(after_failure(0, 1, 10, false), Next::RetryAt(40));
        // A mail written long ago is not retried, whatever its attempts.
        assert_eq!(after_failure(0, 1, GIVE_UP_AFTER_SECS - 10, false), Next::GiveUp);
    }
}
