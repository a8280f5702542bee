//! Accounts: creation and password checks (argon2id, off the async threads).

use super::db::{new_id, now, Db};
use crate::domain::account::CurrentUser;

pub(crate) const SET_PASSWORD: &str = "UPDATE users SET password_hash = $1 WHERE id = $2";
pub(crate) const ID_BY_EMAIL: &str = "SELECT id FROM users WHERE email = $1";
use crate::domain::account::ValidSignup;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

fn argon2() -> Argon2<'static> {
    // OWASP's first recommendation: 19 MiB, 2 iterations, 1 lane.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid params"))
}

/// Hashing and verifying take 19 MiB and tens of milliseconds each: at most one per
/// CPU runs at a time, the others wait their turn, so a flood of log-ins queues
/// instead of exhausting memory and the blocking pool.
fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(hashing_slots()))
}

/// How many hashes may run at once: the number of CPUs.
pub fn hashing_slots() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

/// Runs one argon2 job off the async threads, once a CPU slot is free.
async fn with_hashing_slot<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    // The semaphore is never closed: acquiring only waits.
    let _permit = hashing_permits().acquire().await.ok()?;
    tokio::task::spawn_blocking(job).await.ok()
}

pub async fn hash_password(password: String) -> String {
    with_hashing_slot(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).expect("argon2 hashes any input").to_string()
    })
    .await
    .expect("hashing task")
}

/// A hash of nothing in particular, verified when the email is unknown so that both
/// failures cost the same time.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(b"no such user, no such password", &salt).expect("hash").to_string()
    })
}

async fn verify(password: String, hash: Option<String>) -> bool {
    with_hashing_slot(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
        let ok = PasswordHash::new(&hash)
            .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false);
        ok && known
    })
    .await
    .unwrap_or(false)
}

pub enum CreateOutcome {
    Created(i64),
    EmailTaken,
}

/// Creates the account. `db`: the pool, or the transaction that also mails the
/// confirmation link (on PostgreSQL a taken address aborts that transaction: roll it
/// back).
pub async fn create<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, s: &ValidSignup, password: String) -> Result<CreateOutcome, sqlx::Error> {
    let hash = hash_password(password).await;
    let id = new_id();
    let res = sqlx::query(
        "INSERT INTO users (id, email, password_hash, civility, first_name, last_name, phone, profession, \
         professional_number, address_line, postal_code, city, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id)
    .bind(s.email.as_str())
    .bind(hash)
    .bind(&s.civility)
    .bind(s.first_name.as_str())
    .bind(s.last_name.as_str())
    .bind(s.phone.as_str())
    .bind(&s.profession)
    .bind(&s.professional_number)
    .bind(s.address_line.as_str())
    .bind(s.postal_code.as_str())
    .bind(s.city.as_str())
    .bind(now())
    .execute(db)
    .await;
    match res {
        Ok(_) => Ok(CreateOutcome::Created(id)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(CreateOutcome::EmailTaken),
        Err(e) => Err(e),
    }
}

/// The user id when email and password match; `None` for an unknown email or a wrong
/// password alike, after the same amount of work.
pub async fn check_credentials(db: &Db, email: &str, password: String) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(db)
            .await?;
    let (id, hash) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    Ok(if verify(password, hash).await { id } else { None })
}

/// What a log-in attempt comes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    Succeeded(i64),
    /// Unknown address or wrong password (the caller cannot tell which).
    Failed,
    /// Too many failures for this address: refused whatever the password, until then
    /// (Unix seconds).
    Locked { until: i64 },
}

/// A log-in with the per-address lock-out of `throttle`: a failure is counted, a
/// success clears the count, and a locked address is refused after the same work (the
/// hash is verified all the same), so that neither the time nor the answer tells
/// whether the address has an account or the password was right.
pub async fn attempt_log_in(db: &Db, email: &str, password: String) -> Result<Attempt, sqlx::Error> {
    let locked = super::throttle::locked_until(db, email, now()).await?;
    let user = check_credentials(db, email, password).await?;
    Ok(match (locked, user) {
        (Some(until), _) => Attempt::Locked { until },
        (None, Some(id)) => {
            super::throttle::clear(db, email).await?;
            Attempt::Succeeded(id)
        }
        (None, None) => {
            super::throttle::record_failure(db, email).await?;
            // The failure that starts a lock-out already answers "too many".
            match super::throttle::locked_until(db, email, now()).await? {
                Some(until) => Attempt::Locked { until },
                None => Attempt::Failed,
            }
        }
    })
}

pub async fn set_password(db: &Db, user_id: i64, password: String) -> Result<(), sqlx::Error> {
    let hash = hash_password(password).await;
    sqlx::query(SET_PASSWORD).bind(hash).bind(user_id).execute(db).await?;
    Ok(())
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<CurrentUser>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        email: String,
        first_name: String,
        last_name: String,
        email_confirmed_at: Option<i64>,
        totp_secret: Option<String>,
    }
    let row: Option<Row> =
        sqlx::query_as("SELECT id, email, first_name, last_name, email_confirmed_at, totp_secret FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|r| current_user(r.id, r.email, r.first_name, r.last_name, r.email_confirmed_at, r.totp_secret.is_some())))
}

/// The account as its owner sees it, from its `users` columns (here and in the session
/// lookup, which reads them with the session).
pub fn current_user(
    id: i64,
    email: String,
    first_name: String,
    last_name: String,
    email_confirmed_at: Option<i64>,
    second_factor: bool,
) -> CurrentUser {
    let mut user = CurrentUser::new(id, email, first_name, last_name, email_confirmed_at.is_some());
    user.second_factor = second_factor;
    user
}

/// Marks the account's address proven (a confirmation link or an accepted invitation
/// reached its owner), if it is still `email`; the first proof's time is kept. Whether
/// a row changed.
pub async fn mark_confirmed(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user_id: i64, email: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, $1) WHERE id = $2 AND email = $3")
        .bind(now())
        .bind(user_id)
        .bind(email)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        > 0)
}

/// Whether the account has a password and whether its address is proven.
pub async fn standing(db: &Db, email: &str) -> Result<Option<Standing>, sqlx::Error> {
    let row: Option<(i64, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT id, password_hash, email_confirmed_at FROM users WHERE email = $1").bind(email).fetch_optional(db).await?;
    Ok(row.map(|(id, hash, confirmed)| Standing { id, has_password: hash.is_some(), confirmed: confirmed.is_some() }))
}

/// What an invitation or a sign-up needs to know of an existing account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub id: i64,
    pub has_password: bool,
    pub confirmed: bool,
}

/// Whether an account has this address (on the pool or in a transaction).
pub async fn exists<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, email: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(ID_BY_EMAIL).bind(email).fetch_optional(db).await?;
    Ok(row.is_some())
}

pub async fn by_email(db: &Db, email: &str) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(ID_BY_EMAIL).bind(email).fetch_optional(db).await?;
    match row {
        Some((id,)) => by_id(db, id).await,
        None => Ok(None),
    }
}
