//! The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of skew,
//! any authenticator app) through `totp-rs`, and ten single-use recovery codes stored
//! hashed. Who must use it: provider staff, and the administrators and billing managers
//! of a company that requires it.

use super::db::{now, Db};
use super::sessions::hash_token;
use crate::domain::account::ProvenEmail;
use crate::domain::Role;
use rand::Rng;
use totp_rs::{Builder, Secret, Totp};

pub const ISSUER: &str = "Espace Entreprise";
pub const RECOVERY_CODES: usize = 10;
/// Recovery codes: 16 characters of this alphabet (80 bits), shown as XXXX-XXXX-XXXX-XXXX.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn totp(secret_base32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_base32).ok()?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// What the person types into his authenticator app (or scans as a link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    pub secret: String,
    pub url: String,
}

/// Starts (or starts again) the enrolment: a new secret, kept aside until a code from
/// the app proves it holds it.
pub async fn begin(db: &Db, user_id: i64, email: &str) -> Result<Enrolment, sqlx::Error> {
    let bytes: [u8; 20] = rand::thread_rng().gen();
    let secret = Secret::from(bytes).to_base32();
    sqlx::query("UPDATE users SET totp_pending_secret = $1 WHERE id = $2").bind(&secret).bind(user_id).execute(db).await?;
    let url = totp(&secret, email).and_then(|t| t.to_url().ok()).unwrap_or_default();
    Ok(Enrolment { secret, url })
}

/// The enrolment under way, if any.
pub async fn pending(db: &Db, user_id: i64, email: &str) -> Result<Option<Enrolment>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT totp_pending_secret FROM users WHERE id = $1").bind(user_id).fetch_optional(db).await?;
    Ok(row.and_then(|(s,)| s).map(|secret| {
        let url = totp(&secret, email).and_then(|t| t.to_url().ok()).unwrap_or_default();
        Enrolment { secret, url }
    }))
}

/// A code that matches `secret` now: its time step.
fn matching_step(secret: &str, code: &str) -> Option<u64> {
    let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    if code.len() != 6 {
        return None;
    }
    totp(secret, "")?.check(&code, now().max(0) as u64)
}

/// Ends the enrolment if `code` matches the pending secret: the second factor is on,
/// and the ten recovery codes (shown once) are returned. `None`: wrong code.
pub async fn confirm(db: &Db, user_id: i64, code: &str) -> Result<Option<Vec<String>>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT totp_pending_secret FROM users WHERE id = $1").bind(user_id).fetch_optional(db).await?;
    let Some(secret) = row.and_then(|(s,)| s) else { return Ok(None) };
    let Some(step) = matching_step(&secret, code) else { return Ok(None) };
    let mut tx = super::db::begin(db).await?;
    sqlx::query("UPDATE users SET totp_secret = $1, totp_pending_secret = NULL, totp_last_step = $2 WHERE id = $3")
        .bind(&secret)
        .bind(step as i64)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let codes = new_recovery_codes(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(Some(codes))
}

async fn new_recovery_codes(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    while codes.len() < RECOVERY_CODES {
        let raw: String = {
            let mut rng = rand::thread_rng();
            (0..16).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
        };
        let shown = format!("{}-{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12], &raw[12..16]);
        if codes.contains(&shown) {
            continue;
        }
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash_token(&raw))
            .execute(&mut **tx)
            .await?;
        codes.push(shown);
    }
    Ok(codes)
}

/// New recovery codes (the old ones are worthless), when the second factor is on.
pub async fn renew_recovery_codes(db: &Db, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let codes = new_recovery_codes(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(codes)
}

/// "XXXX-xxxx xxxx-XXXX" → "XXXXXXXXXXXXXXXX" when it has the shape of a recovery code.
fn recovery_code(typed: &str) -> Option<String> {
    let raw: String = typed.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_ascii_uppercase()).collect();
    (raw.len() == 16 && raw.bytes().all(|b| ALPHABET.contains(&b))).then_some(raw)
}

/// Checks a code typed at log-in: a TOTP code not used before (each time step is
/// accepted once, by a conditional update that every instance shares), or an unused
/// recovery code, which is then used up.
pub async fn verify(db: &Db, user_id: i64, typed: &str) -> Result<bool, sqlx::Error> {
    if let Some(raw) = recovery_code(typed) {
        let used = sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
            .bind(now())
            .bind(user_id)
            .bind(hash_token(&raw))
            .execute(db)
            .await?
            .rows_affected();
        return Ok(used == 1);
    }
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1").bind(user_id).fetch_optional(db).await?;
    let Some(secret) = row.and_then(|(s,)| s) else { return Ok(false) };
    let Some(step) = matching_step(&secret, typed) else { return Ok(false) };
    let taken = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
        .bind(step as i64)
        .bind(user_id)
        .execute(db)
        .await?
        .rows_affected();
    Ok(taken == 1)
}

/// Whether the account has a second factor.
pub async fn enabled(db: &Db, user_id: i64) -> Result<bool, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1").bind(user_id).fetch_optional(db).await?;
    Ok(row.is_some_and(|(s,)| s.is_some()))
}

/// Recovery codes not used yet.
pub async fn recovery_codes_left(db: &Db, user_id: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(db)
        .await?;
    Ok(n)
}

pub async fn disable(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    sqlx::query("UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL WHERE id = $1").bind(user_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether this address must use a second factor: provider staff, or administrator or
/// billing manager of a company that requires it.
pub async fn required_for(db: &Db, email: Option<ProvenEmail<'_>>) -> Result<bool, sqlx::Error> {
    let Some(email) = email.map(|e| e.as_str()) else { return Ok(false) };
    let (staff,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM provider_staff WHERE email = $1").bind(email).fetch_one(db).await?;
    if staff > 0 {
        return Ok(true);
    }
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM grants g JOIN companies c ON c.id = g.company_id \
         WHERE g.email = $1 AND c.require_second_factor = 1 AND g.role IN ($2, $3)",
    )
    .bind(email)
    .bind(Role::Admin.code())
    .bind(Role::BillingManager.code())
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

pub async fn set_company_requirement(
    db: &Db,
    actor: i64,
    company_id: i64,
    required: bool,
) -> Result<(), sqlx::Error> {
    let mut tx = super::audit::begin_change(db, company_id).await?;
    sqlx::query("UPDATE companies SET require_second_factor = $1 WHERE id = $2")
        .bind(i64::from(required))
        .bind(company_id)
        .execute(&mut *tx)
        .await?;
    let after = serde_json::json!({ "require_second_factor": required }).to_string();
    super::audit::audit(&mut tx, company_id, actor, "company.second_factor", "{}", &after).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_read_leniently_and_nothing_else_is_one() {
        assert_eq!(recovery_code("abcd-efgh jkmn-pqrs").as_deref(), Some("ABCDEFGHJKMNPQRS"));
        assert_eq!(recovery_code("123456"), None);
        assert_eq!(recovery_code("ABCD-EFGH-JKMN-PQR0"), None, "0 is not in the alphabet");
        assert_eq!(recovery_code(""), None);
    }

    #[test]
    fn a_code_matches_its_own_secret_only() {
        let secret = Secret::from([7u8; 20]).to_base32();
        let t = totp(&secret, "a@b.fr").unwrap();
        let code = t.generate(now() as u64).to_string();
        assert!(matching_step(&secret, &code).is_some());
        assert!(matching_step(&secret, &format!("{} {}", &code[..3], &code[3..])).is_some(), "spaces are allowed");
        let other = Secret::from([8u8; 20]).to_base32();
        assert!(matching_step(&other, &code).is_none());
        assert!(matching_step(&secret, "12345").is_none());
        assert!(matching_step("not base32 !", &code).is_none());
        let url = t.to_url().unwrap();
        assert!(url.starts_with("otpauth://totp/") && url.contains(&format!("secret={secret}")), "{url}");
    }
}
