//! Delegations of rights between structures (granted, revoked, audited) and what they
//! give a user.

use super::audit::{audit, begin_change};
use super::db::{new_id, now, Db};
use crate::domain::account::ProvenEmail;
use crate::domain::delegation::{DelegationLine, Delegations, Scope};
use crate::domain::wizard::CompanyChoice;
use crate::domain::{Role, Siret};
use serde_json::json;

fn flag(b: bool) -> i64 {
    i64::from(b)
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    other_id: i64,
    legal_name: String,
    siret: String,
    may_register: i64,
    may_see_orders: i64,
    created_at: i64,
}

fn line(r: LineRow) -> DelegationLine {
    DelegationLine {
        id: r.id,
        other_id: r.other_id,
        other_name: r.legal_name,
        other_siret: r.siret,
        scope: Scope { register: r.may_register != 0, orders: r.may_see_orders != 0 },
        since: r.created_at,
    }
}

/// The active delegations a company granted and received.
pub async fn of_company(db: &Db, company_id: i64) -> Result<Delegations, sqlx::Error> {
    Ok(Delegations {
        granted: side(db, company_id, "company_id", "delegate_id").await?,
        received: side(db, company_id, "delegate_id", "company_id").await?,
    })
}

/// Delegations where `company_id` is in column `own`, with the structure in `other`.
async fn side(db: &Db, company_id: i64, own: &str, other: &str) -> Result<Vec<DelegationLine>, sqlx::Error> {
    let sql = format!(
        "SELECT d.id, c.id AS other_id, c.legal_name, c.siret, d.may_register, d.may_see_orders, d.created_at \
         FROM delegations d JOIN companies c ON c.id = d.{other} \
         WHERE d.{own} = $1 AND d.revoked_at IS NULL ORDER BY c.legal_name"
    );
    let rows: Vec<LineRow> = sqlx::query_as(&sql).bind(company_id).fetch_all(db).await?;
    Ok(rows.into_iter().map(line).collect())
}

#[derive(Debug, PartialEq, Eq)]
pub enum GrantOutcome {
    /// New, or the scope of the active one changed.
    Granted(String),
    UnknownSiret,
    Itself,
}

/// Delegates `scope` to the structure with this SIRET (replacing the scope of an active
/// delegation to it). Audited with before and after.
pub async fn grant(db: &Db, actor: i64, company_id: i64, siret: &Siret, scope: Scope) -> Result<GrantOutcome, sqlx::Error> {
    // Not companies::by_siret: companies reads delegations (its Access), not the other way.
    let other: Option<(i64, String)> =
        sqlx::query_as("SELECT id, legal_name FROM companies WHERE siret = $1").bind(siret.as_str()).fetch_optional(db).await?;
    let Some((delegate, name)) = other else { return Ok(GrantOutcome::UnknownSiret) };
    if delegate == company_id {
        return Ok(GrantOutcome::Itself);
    }
    let mut tx = begin_change(db, company_id).await?;
    let current: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, may_register, may_see_orders FROM delegations WHERE company_id = $1 AND delegate_id = $2 AND revoked_at IS NULL",
    )
    .bind(company_id)
    .bind(delegate)
    .fetch_optional(&mut *tx)
    .await?;
    let after = json!({"siret": siret.as_str(), "name": name, "register": scope.register, "orders": scope.orders}).to_string();
    match current {
        Some((id, reg, ord)) => {
            if (reg != 0, ord != 0) != (scope.register, scope.orders) {
                sqlx::query("UPDATE delegations SET may_register = $1, may_see_orders = $2 WHERE id = $3")
                    .bind(flag(scope.register))
                    .bind(flag(scope.orders))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let before = json!({"siret": siret.as_str(), "name": name, "register": reg != 0, "orders": ord != 0}).to_string();
                audit(&mut tx, company_id, actor, "delegation.change", &before, &after).await?;
            }
        }
        None => {
            sqlx::query(
                "INSERT INTO delegations (id, company_id, delegate_id, may_register, may_see_orders, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new_id())
            .bind(company_id)
            .bind(delegate)
            .bind(flag(scope.register))
            .bind(flag(scope.orders))
            .bind(actor)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            audit(&mut tx, company_id, actor, "delegation.grant", "{}", &after).await?;
        }
    }
    tx.commit().await?;
    Ok(GrantOutcome::Granted(name))
}

/// Ends one of the company's active delegations; false if there is none with this id.
pub async fn revoke(db: &Db, actor: i64, company_id: i64, delegation_id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    let row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT c.legal_name, c.siret, d.may_register, d.may_see_orders FROM delegations d JOIN companies c ON c.id = d.delegate_id \
         WHERE d.id = $1 AND d.company_id = $2 AND d.revoked_at IS NULL",
    )
    .bind(delegation_id)
    .bind(company_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((name, siret, reg, ord)) = row else { return Ok(false) };
    sqlx::query("UPDATE delegations SET revoked_at = $1, revoked_by = $2 WHERE id = $3")
        .bind(now())
        .bind(actor)
        .bind(delegation_id)
        .execute(&mut *tx)
        .await?;
    let before = json!({"siret": siret, "name": name, "register": reg != 0, "orders": ord != 0}).to_string();
    audit(&mut tx, company_id, actor, "delegation.revoke", &before, "{}").await?;
    tx.commit().await?;
    Ok(true)
}

/// The structures that delegated something this person may use: the structure, the
/// delegate through which he acts, and what he may do.
pub async fn companies_for(db: &Db, email: ProvenEmail<'_>) -> Result<Vec<(CompanyChoice, String, Scope)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        legal_name: String,
        siret: String,
        city: String,
        via: String,
        may_register: i64,
        may_see_orders: i64,
        role: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.id, c.legal_name, c.siret, c.city, dc.legal_name AS via, d.may_register, d.may_see_orders, g.role \
         FROM delegations d JOIN grants g ON g.company_id = d.delegate_id AND g.email = $1 \
         JOIN companies c ON c.id = d.company_id JOIN companies dc ON dc.id = d.delegate_id \
         WHERE d.revoked_at IS NULL ORDER BY c.legal_name, dc.legal_name",
    )
    .bind(email.as_str())
    .fetch_all(db)
    .await?;
    let mut out: Vec<(CompanyChoice, String, Scope)> = Vec::new();
    for Row { id, legal_name: name, siret, city, via, may_register: reg, may_see_orders: ord, role } in rows {
        let roles: Vec<Role> = Role::from_code(&role).into_iter().collect();
        let scope = Scope { register: reg != 0, orders: ord != 0 }.for_roles(&roles);
        match out.iter_mut().find(|(c, _, _)| c.id == id) {
            Some((_, _, s)) => *s = s.union(scope),
            None => out.push((CompanyChoice { id, name, siret, city }, via, scope)),
        }
    }
    out.retain(|(_, _, s)| s.any());
    Ok(out)
}
