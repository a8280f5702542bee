//! The audit log writer and the lock taken by every change of a company: the bottom of
//! the company services (`companies`, `admin`, `delegations` all write through it).

use super::db::{new_id, now, Db};
use sqlx::{Any, Transaction};

/// Starts a change of the company: its row is locked until the transaction ends, so
/// changes of rights on one company never interleave.
pub(crate) async fn begin_change(db: &Db, company_id: i64) -> Result<Transaction<'static, Any>, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    lock_company(&mut tx, company_id).await?;
    Ok(tx)
}

/// Locks the company's row in a transaction already open (a change that spans several
/// companies takes their locks in id order).
pub(crate) async fn lock_company(tx: &mut Transaction<'_, Any>, company_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE companies SET revision = revision + 1 WHERE id = $1").bind(company_id).execute(&mut **tx).await?;
    Ok(())
}

/// One line of the company's audit log, written in the change's transaction.
pub async fn audit(
    tx: &mut Transaction<'_, Any>,
    company_id: i64,
    actor: i64,
    action: &str,
    before: &str,
    after: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, company_id, actor_user_id, action, before_json, after_json, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(company_id)
    .bind(actor)
    .bind(action)
    .bind(before)
    .bind(after)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One line of a provider's audit log: what its staff did (staff, settings, catalogue,
/// sessions, attendance, invoices, payments).
pub async fn provider_audit(db: &Db, provider_id: i64, actor: i64, action: &str, detail: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO provider_audit_log (id, provider_id, actor_user_id, action, detail_json, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(provider_id)
    .bind(actor)
    .bind(action)
    .bind(detail)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}
