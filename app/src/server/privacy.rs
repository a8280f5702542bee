//! Erasure ("Supprimer mon compte", and an administrator removing a former
//! collaborator): personal data is deleted or pseudonymised, what the law keeps stays.
//!
//! - The account row stays (invoices, orders, registrations and audit entries point to
//!   it) but says "Compte supprimé": no name, contact or professional detail, an
//!   address nobody can receive mail at or log in with, no password, no second factor.
//!   Its sessions, drafts, mailed links, recovery codes and rights requests go.
//! - What reached the person through his proven address goes: roles, directory entries,
//!   staff seat, invitations, failed log-ins; the mails sent to him lose their text and
//!   his address; the companies' audit entries name the pseudonym instead of him.
//! - Registrations keep their session, status and hours (the firms' training
//!   obligations) and the participant's name as it was frozen in them, so agreements
//!   and certificates stay legible; only the address in them is replaced. Invoices are
//!   frozen copies (`invoicing`): nothing of them changes.
//!
//! A company always keeps an administrator: the erasure is refused while the person is
//! the last one of a company.

use super::audit::{audit, lock_company};
use super::db::{new_id, Db};
use crate::domain::account::ProvenEmail;
use crate::domain::Role;
use serde_json::json;
use sqlx::{Any, Transaction};

/// What the account row says once erased.
pub const ERASED_FIRST_NAME: &str = "Compte";
pub const ERASED_LAST_NAME: &str = "supprimé";

/// An address that no mail reaches (`.invalid` is reserved, RFC 2606) and no log-in
/// matches, unique per erased person.
pub fn pseudonym(id: i64) -> String {
    format!("supprime-{id}@compte-supprime.invalid")
}

/// What an erasure came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Erasure {
    Erased,
    /// Refused: the person is the last administrator of this company (its name).
    LastAdmin(String),
}

/// Erases the account `user_id` at its own request; `proven` is its proven address
/// (`None`: the address was never proven, so nothing granted to it is his to erase,
/// and only the account itself is erased).
pub async fn erase_account(db: &Db, user_id: i64, proven: Option<ProvenEmail<'_>>) -> Result<Erasure, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let pseudo = pseudonym(user_id);
    if let Some(email) = proven.map(|e| e.as_str()) {
        let companies = companies_of(&mut tx, email, None).await?;
        for c in &companies {
            lock_company(&mut tx, *c).await?;
        }
        if let Some(name) = last_admin_of(&mut tx, email).await? {
            tx.rollback().await?;
            return Ok(Erasure::LastAdmin(name));
        }
        erase_address(&mut tx, email, &pseudo).await?;
        for c in companies {
            audit(&mut tx, c, user_id, ERASED_ACTION, "{}", &json!({"account": user_id, "by": "the person"}).to_string()).await?;
        }
    }
    erase_user_row(&mut tx, user_id, &pseudo).await?;
    tx.commit().await?;
    Ok(Erasure::Erased)
}

/// The audit action of an erasure.
pub const ERASED_ACTION: &str = "person.erased";

/// What an administrator's "Supprimer les données" came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removal {
    /// The person had nothing elsewhere: his data is erased (and his account, if his
    /// address was proven).
    Erased,
    /// The person belongs elsewhere too (another company, a provider, registrations
    /// of his own): only detached from this company (directory entry and roles).
    Detached,
    LastAdmin,
    /// Not in this company's directory.
    NotFound,
}

/// An administrator of `company_id` removes a former collaborator `email`. The person's
/// data is erased only when it concerns this company alone; otherwise he is detached
/// from it, which is all the company may decide.
pub async fn remove_collaborator(db: &Db, actor: i64, company_id: i64, email: &str) -> Result<Removal, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    lock_company(&mut tx, company_id).await?;
    let (listed,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM collaborators WHERE company_id = $1 AND email = $2) + \
         (SELECT COUNT(*) FROM grants WHERE company_id = $3 AND email = $4)",
    )
    .bind(company_id)
    .bind(email)
    .bind(company_id)
    .bind(email)
    .fetch_one(&mut *tx)
    .await?;
    if listed == 0 {
        tx.rollback().await?;
        return Ok(Removal::NotFound);
    }
    if !companies_of(&mut tx, email, Some(company_id)).await?.is_empty() || elsewhere(&mut tx, email, company_id).await? {
        tx.rollback().await?;
        return Ok(match super::admin::remove_person(db, actor, company_id, email).await? {
            super::admin::RemoveOutcome::Removed => Removal::Detached,
            super::admin::RemoveOutcome::LastAdmin => Removal::LastAdmin,
        });
    }
    if last_admin_of(&mut tx, email).await?.is_some() {
        tx.rollback().await?;
        return Ok(Removal::LastAdmin);
    }
    let account: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, email_confirmed_at FROM users WHERE email = $1").bind(email).fetch_optional(&mut *tx).await?;
    // An account whose address nobody proved is not known to be this person's.
    let proven_account = account.filter(|(_, confirmed)| confirmed.is_some()).map(|(id, _)| id);
    let pseudo = pseudonym(proven_account.unwrap_or_else(new_id));
    erase_address(&mut tx, email, &pseudo).await?;
    if let Some(id) = proven_account {
        erase_user_row(&mut tx, id, &pseudo).await?;
    }
    audit(&mut tx, company_id, actor, ERASED_ACTION, "{}", &json!({"account": proven_account, "by": "an administrator"}).to_string()).await?;
    tx.commit().await?;
    Ok(Removal::Erased)
}

/// The companies holding something of the address (roles, directory entries,
/// registrations), but `except`, in id order (the order their locks are taken in).
async fn companies_of(tx: &mut Transaction<'_, Any>, email: &str, except: Option<i64>) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT company_id FROM grants WHERE email = $1 UNION SELECT company_id FROM collaborators WHERE email = $2 \
         UNION SELECT company_id FROM registrations WHERE participant_email = $3 AND company_id IS NOT NULL",
    )
    .bind(email)
    .bind(email)
    .bind(email)
    .fetch_all(&mut **tx)
    .await?;
    let mut ids: Vec<i64> = rows.into_iter().map(|(id,)| id).filter(|id| Some(*id) != except).collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Whether the address has something outside any company or outside `company_id`: a
/// provider's staff seat, a registration without a company.
async fn elsewhere(tx: &mut Transaction<'_, Any>, email: &str, company_id: i64) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM provider_staff WHERE email = $1) + \
         (SELECT COUNT(*) FROM registrations WHERE participant_email = $2 AND (company_id IS NULL OR company_id <> $3))",
    )
    .bind(email)
    .bind(email)
    .bind(company_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// A company whose only administrator is the address, if any (its name).
async fn last_admin_of(tx: &mut Transaction<'_, Any>, email: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT c.legal_name FROM grants g JOIN companies c ON c.id = g.company_id WHERE g.email = $1 AND g.role = $2 \
         AND (SELECT COUNT(*) FROM grants o WHERE o.company_id = g.company_id AND o.role = $3) <= 1 ORDER BY c.legal_name",
    )
    .bind(email)
    .bind(Role::Admin.code())
    .bind(Role::Admin.code())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(name,)| name))
}

/// Erases what is granted or addressed to `email`; registrations and waiting-list
/// entries keep everything but the address, which becomes `pseudo`.
async fn erase_address(tx: &mut Transaction<'_, Any>, email: &str, pseudo: &str) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM grants WHERE email = $1",
        "DELETE FROM collaborators WHERE email = $1",
        "DELETE FROM key_contacts WHERE email = $1",
        "DELETE FROM provider_staff WHERE email = $1",
        "DELETE FROM invitations WHERE email = $1",
    ] {
        sqlx::query(sql).bind(email).execute(&mut **tx).await?;
    }
    sqlx::query("DELETE FROM login_failures WHERE email = $1").bind(super::throttle::key(email)).execute(&mut **tx).await?;
    sqlx::query("UPDATE registrations SET participant_email = $1 WHERE participant_email = $2").bind(pseudo).bind(email).execute(&mut **tx).await?;
    sqlx::query("UPDATE waitlist_entries SET participant_email = $1 WHERE participant_email = $2").bind(pseudo).bind(email).execute(&mut **tx).await?;
    sqlx::query("UPDATE outbox SET to_addr = $1, body = '' WHERE to_addr = $2").bind(pseudo).bind(email).execute(&mut **tx).await?;
    // The record of who changed what stays, naming the pseudonym.
    sqlx::query("UPDATE audit_log SET before_json = REPLACE(before_json, $1, $2), after_json = REPLACE(after_json, $3, $4)")
        .bind(email)
        .bind(pseudo)
        .bind(email)
        .bind(pseudo)
        .execute(&mut **tx)
        .await?;
    // So does a registration's history (substitutions name both people).
    sqlx::query("UPDATE registration_events SET detail = REPLACE(detail, $1, $2)").bind(email).bind(pseudo).execute(&mut **tx).await?;
    Ok(())
}

/// The account row pseudonymised, and everything kept by its id deleted.
async fn erase_user_row(tx: &mut Transaction<'_, Any>, user_id: i64, pseudo: &str) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM rights_requests WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        // His training obligation: activities with their proofs, professions, consents.
        "DELETE FROM obligation_proofs WHERE activity_id IN (SELECT id FROM obligation_activities WHERE user_id = $1)",
        "DELETE FROM obligation_activities WHERE user_id = $1",
        "DELETE FROM user_professions WHERE user_id = $1",
        "DELETE FROM obligation_consents WHERE user_id = $1",
        "DELETE FROM account_tokens WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut **tx).await?;
    }
    super::sessions::end_all_in(tx, user_id, None).await?;
    sqlx::query(
        "UPDATE users SET email = $1, password_hash = NULL, civility = '', first_name = $2, last_name = $3, phone = '', \
         profession = '', professional_number = '', address_line = '', postal_code = '', city = '', email_confirmed_at = NULL, \
         totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL WHERE id = $4",
    )
    .bind(pseudo)
    .bind(ERASED_FIRST_NAME)
    .bind(ERASED_LAST_NAME)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
