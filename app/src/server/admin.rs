//! MON ENTREPRISE: what administrators change, every change of rights audited.

use super::audit::{audit, begin_change};
use super::companies::add_collaborator;
use super::db::{new_id, now, Db};
use crate::domain::catalogue::{fold, ACCENTED};
use crate::domain::company::*;
use crate::domain::directory::{CollaboratorInput, ImportLine};
use crate::domain::page::{per_page, PageRequest, Paged};
use crate::domain::{Email, RegistrationPolicy, Role, Siret};
use serde_json::json;
use sqlx::{Any, Transaction};

const DELETE_GRANT: &str = "DELETE FROM grants WHERE company_id = $1 AND email = $2 AND role = $3";
const THIRD_PARTY_MODE: &str = "SELECT third_party_mode FROM companies WHERE id = $1";

#[derive(sqlx::FromRow)]
struct InfoRow {
    id: i64,
    legal_name: String,
    legal_form: String,
    siret: String,
    vat_number: Option<String>,
    address_line: String,
    postal_code: String,
    city: String,
    registration_policy: String,
    billing_email: String,
    billing_address_line: String,
    billing_postal_code: String,
    billing_city: String,
    require_second_factor: i64,
}

pub async fn info(db: &Db, company_id: i64) -> Result<Option<CompanyInfo>, sqlx::Error> {
    let row: Option<InfoRow> = sqlx::query_as(
        "SELECT id, legal_name, legal_form, siret, vat_number, address_line, postal_code, city, registration_policy, \
         billing_email, billing_address_line, billing_postal_code, billing_city, require_second_factor FROM companies WHERE id = $1",
    )
    .bind(company_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| CompanyInfo {
        id: r.id,
        legal_name: r.legal_name,
        legal_form: r.legal_form,
        siret: r.siret,
        vat_number: r.vat_number.unwrap_or_default(),
        address_line: r.address_line,
        postal_code: r.postal_code,
        city: r.city,
        policy: RegistrationPolicy::from_code(&r.registration_policy).unwrap_or(RegistrationPolicy::Restricted),
        billing_email: r.billing_email,
        billing_address_line: r.billing_address_line,
        billing_postal_code: r.billing_postal_code,
        billing_city: r.billing_city,
        require_second_factor: r.require_second_factor == 1,
    }))
}

/// Records the new information, with the old and new values in the audit log.
pub async fn update_info(db: &Db, actor: i64, before: &CompanyInfo, f: &CompanyInfoForm) -> Result<(), sqlx::Error> {
    let mut tx = begin_change(db, before.id).await?;
    sqlx::query(
        "UPDATE companies SET legal_name = $1, legal_form = $2, vat_number = $3, address_line = $4, postal_code = $5, city = $6, \
         billing_email = $7, billing_address_line = $8, billing_postal_code = $9, billing_city = $10 WHERE id = $11",
    )
    .bind(&f.legal_name)
    .bind(&f.legal_form)
    .bind((!f.vat_number.is_empty()).then(|| f.vat_number.clone()))
    .bind(&f.address_line)
    .bind(&f.postal_code)
    .bind(&f.city)
    .bind(&f.billing_email)
    .bind(&f.billing_address_line)
    .bind(&f.billing_postal_code)
    .bind(&f.billing_city)
    .bind(before.id)
    .execute(&mut *tx)
    .await?;
    let old = serde_json::to_string(&CompanyInfoForm::from(before)).unwrap_or_default();
    let new = serde_json::to_string(f).unwrap_or_default();
    audit(&mut tx, before.id, actor, "company.update", &old, &new).await?;
    tx.commit().await
}

pub async fn set_policy(db: &Db, actor: i64, company_id: i64, policy: RegistrationPolicy) -> Result<(), sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    let (old,): (String,) =
        sqlx::query_as("SELECT registration_policy FROM companies WHERE id = $1").bind(company_id).fetch_one(&mut *tx).await?;
    if old != policy.code() {
        sqlx::query("UPDATE companies SET registration_policy = $1 WHERE id = $2").bind(policy.code()).bind(company_id).execute(&mut *tx).await?;
        audit(&mut tx, company_id, actor, "company.policy", &json!({"policy": old}).to_string(), &json!({"policy": policy.code()}).to_string())
            .await?;
    }
    tx.commit().await
}

/// The directory with each person's roles (people holding a role are always in it).
pub async fn people(db: &Db, company_id: i64) -> Result<Vec<Person>, sqlx::Error> {
    let rows: Vec<PersonRow> = sqlx::query_as(&format!("{PERSON_SELECT} WHERE c.company_id = $1")).bind(company_id).fetch_all(db).await?;
    let mut out = with_roles(db, company_id, rows).await?;
    out.sort_by_cached_key(|p| (fold(&p.last_name), fold(&p.first_name)));
    Ok(out)
}

/// One page of the directory (`per_page::DIRECTORY`), in the order of [`people`]: by
/// name, accents folded alike on both databases ([`folded`]), then by row.
pub async fn people_page(db: &Db, company_id: i64, page: PageRequest) -> Result<Paged<Person>, sqlx::Error> {
    let (total,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM collaborators c WHERE c.company_id = $1").bind(company_id).fetch_one(db).await?;
    let window = page.window(total.max(0) as u64, per_page::DIRECTORY);
    let sql = format!(
        "{PERSON_SELECT} WHERE c.company_id = $1 ORDER BY {}, {}, c.id LIMIT $2 OFFSET $3",
        folded("c.last_name"),
        folded("c.first_name")
    );
    let rows: Vec<PersonRow> = sqlx::query_as(&sql).bind(company_id).bind(window.limit()).bind(window.offset()).fetch_all(db).await?;
    Ok(window.page_of(with_roles(db, company_id, rows).await?))
}

const PERSON_SELECT: &str =
    "SELECT c.email, c.first_name, c.last_name, (SELECT COUNT(*) FROM users u WHERE u.email = c.email) FROM collaborators c";
type PersonRow = (String, String, String, i64);

async fn with_roles(db: &Db, company_id: i64, rows: Vec<PersonRow>) -> Result<Vec<Person>, sqlx::Error> {
    let grants: Vec<(String, String)> =
        sqlx::query_as("SELECT email, role FROM grants WHERE company_id = $1").bind(company_id).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(email, first_name, last_name, n)| {
            let mut roles: Vec<Role> = grants.iter().filter(|(e, _)| *e == email).filter_map(|(_, r)| Role::from_code(r)).collect();
            roles.sort();
            Person { email, first_name, last_name, has_account: n > 0, roles }
        })
        .collect())
}

/// A text column as [`fold`] reads it, in SQL both databases run alike: each accented
/// letter (either case) replaced by its plain one, then `LOWER` (which SQLite applies to
/// ASCII only).
fn folded(column: &str) -> String {
    let plain = ACCENTED.iter().fold(column.to_string(), |sql, (accented, plain)| {
        let upper: String = accented.to_uppercase().collect();
        format!("REPLACE(REPLACE({sql}, '{accented}', '{plain}'), '{upper}', '{plain}')")
    });
    format!("LOWER({plain})")
}

/// Adds the person to the directory and gives him the role, in a change of the
/// company (`audit::begin_change`) where the mail telling him is written too; `false`
/// when he already held it.
pub async fn add_grant(
    tx: &mut Transaction<'static, Any>,
    actor: i64,
    company_id: i64,
    person: &CollaboratorInput,
    role: Role,
) -> Result<bool, sqlx::Error> {
    add_collaborator(tx, company_id, person.email.as_str(), &person.first_name, &person.last_name).await?;
    grant_in(tx, actor, company_id, person.email.as_str(), role).await
}

/// Inside a change: grants a role (audited); `false` when it was already held.
async fn grant_in(tx: &mut Transaction<'static, Any>, actor: i64, company_id: i64, email: &str, role: Role) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO grants (company_id, email, role, granted_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (company_id, email, role) DO NOTHING",
    )
    .bind(company_id)
    .bind(email)
    .bind(role.code())
    .bind(actor)
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected()
        > 0;
    if added {
        audit(tx, company_id, actor, "grant.add", "{}", &json!({"email": email, "role": role.code()}).to_string()).await?;
    }
    Ok(added)
}

/// Administrators of the company, read inside the change's transaction (row locked).
async fn admin_count(tx: &mut Transaction<'static, Any>, company_id: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM grants WHERE company_id = $1 AND role = $2")
        .bind(company_id)
        .bind(Role::Admin.code())
        .fetch_one(&mut **tx)
        .await?;
    Ok(n)
}

#[derive(Debug, PartialEq, Eq)]
pub enum RevokeOutcome {
    Revoked,
    LastAdmin,
    NotHeld,
}

/// Withdraws a role; the company's last administrator keeps his.
pub async fn revoke_grant(db: &Db, actor: i64, company_id: i64, email: &str, role: Role) -> Result<RevokeOutcome, sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    if role == Role::Admin && admin_count(&mut tx, company_id).await? <= 1 {
        tx.rollback().await?;
        return Ok(RevokeOutcome::LastAdmin);
    }
    let removed = sqlx::query(DELETE_GRANT)
        .bind(company_id)
        .bind(email)
        .bind(role.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 0 {
        tx.rollback().await?;
        return Ok(RevokeOutcome::NotHeld);
    }
    audit(&mut tx, company_id, actor, "grant.remove", &json!({"email": email, "role": role.code()}).to_string(), "{}").await?;
    tx.commit().await?;
    Ok(RevokeOutcome::Revoked)
}

/// What an import changed.
#[derive(Debug, Default)]
pub struct Imported {
    /// People new in the directory.
    pub added: usize,
    /// Each line's roles it did not hold before (same order as the lines).
    pub granted: Vec<Vec<Role>>,
}

/// Adds people to the directory with the roles their lines give them.
pub async fn import(db: &Db, actor: i64, company_id: i64, lines: &[ImportLine]) -> Result<Imported, sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    let out = import_in(&mut tx, actor, company_id, lines).await?;
    tx.commit().await?;
    Ok(out)
}

/// [`import`] in a change of the company (`audit::begin_change`), where the mails to
/// those given a role are written too.
pub async fn import_in(tx: &mut Transaction<'static, Any>, actor: i64, company_id: i64, lines: &[ImportLine]) -> Result<Imported, sqlx::Error> {
    let mut out = Imported::default();
    for line in lines {
        let p = &line.person;
        let n = sqlx::query(
            "INSERT INTO collaborators (id, company_id, email, first_name, last_name, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (company_id, email) DO NOTHING",
        )
        .bind(new_id())
        .bind(company_id)
        .bind(p.email.as_str())
        .bind(&p.first_name)
        .bind(&p.last_name)
        .bind(now())
        .execute(&mut **tx)
        .await?
        .rows_affected();
        out.added += n as usize;
        let mut granted = Vec::new();
        for role in &line.roles {
            if grant_in(tx, actor, company_id, p.email.as_str(), *role).await? {
                granted.push(*role);
            }
        }
        out.granted.push(granted);
    }
    audit(tx, company_id, actor, "directory.import", "{}", &json!({"lines": lines.len(), "added": out.added}).to_string()).await?;
    Ok(out)
}

#[derive(Debug, PartialEq, Eq)]
pub enum RemoveOutcome {
    Removed,
    LastAdmin,
}

/// Removes a person from the directory, with the roles he held.
pub async fn remove_person(db: &Db, actor: i64, company_id: i64, email: &str) -> Result<RemoveOutcome, sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    let roles: Vec<(String,)> = sqlx::query_as("SELECT role FROM grants WHERE company_id = $1 AND email = $2")
        .bind(company_id)
        .bind(email)
        .fetch_all(&mut *tx)
        .await?;
    if roles.iter().any(|(r,)| r == Role::Admin.code()) && admin_count(&mut tx, company_id).await? <= 1 {
        tx.rollback().await?;
        return Ok(RemoveOutcome::LastAdmin);
    }
    for (role,) in &roles {
        sqlx::query(DELETE_GRANT)
            .bind(company_id)
            .bind(email)
            .bind(role)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, company_id, actor, "grant.remove", &json!({"email": email, "role": role}).to_string(), "{}").await?;
    }
    sqlx::query("DELETE FROM collaborators WHERE company_id = $1 AND email = $2").bind(company_id).bind(email).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(RemoveOutcome::Removed)
}

/// The key contacts, one per kind (a kind nobody holds comes empty), and the directory
/// they are chosen from.
pub async fn contacts(db: &Db, company_id: i64) -> Result<KeyContacts, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        name: String,
        email: String,
        phone: String,
        first_name: Option<String>,
        last_name: Option<String>,
        person_email: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT k.kind, k.name, k.email, k.phone, c.first_name, c.last_name, c.email AS person_email \
         FROM key_contacts k LEFT JOIN collaborators c ON c.id = k.collaborator_id WHERE k.company_id = $1",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    let contacts = ContactKind::ALL
        .iter()
        .map(|&kind| {
            let Some(r) = rows.iter().find(|r| ContactKind::from_code(&r.kind) == Some(kind)) else {
                return KeyContact::none(kind);
            };
            match (&r.first_name, &r.last_name, &r.person_email) {
                (Some(first), Some(last), Some(email)) => KeyContact {
                    kind,
                    name: format!("{first} {last}"),
                    email: email.clone(),
                    phone: r.phone.clone(),
                    in_directory: true,
                },
                _ => KeyContact { kind, name: r.name.clone(), email: r.email.clone(), phone: r.phone.clone(), in_directory: false },
            }
        })
        .collect();
    let directory = super::companies::directory(db, company_id)
        .await?
        .into_iter()
        .map(|p| (p.email, format!("{} {}", p.first_name, p.last_name)))
        .collect();
    Ok(KeyContacts { contacts, directory })
}

/// Makes the person of the directory with this address the company's contact of this
/// kind (audited, before and after); `false` when the directory has nobody at it.
pub async fn set_contact(
    db: &Db,
    actor: i64,
    company_id: i64,
    kind: ContactKind,
    email: &Email,
    phone: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    let person: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, first_name, last_name FROM collaborators WHERE company_id = $1 AND email = $2")
            .bind(company_id)
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let Some((person_id, first, last)) = person else { return Ok(false) };
    let before: Option<(String, String)> = sqlx::query_as("SELECT name, email FROM key_contacts WHERE company_id = $1 AND kind = $2")
        .bind(company_id)
        .bind(kind)
        .fetch_optional(&mut *tx)
        .await?;
    let name = format!("{first} {last}");
    super::companies::upsert_contact(&mut tx, company_id, kind, person_id, &name, email.as_str(), phone).await?;
    let before = before.map(|(name, email)| json!({"kind": kind.code(), "name": name, "email": email}).to_string());
    let after = json!({"kind": kind.code(), "name": name, "email": email.as_str(), "phone": phone}).to_string();
    audit(&mut tx, company_id, actor, "contact.update", before.as_deref().unwrap_or("{}"), &after).await?;
    tx.commit().await?;
    Ok(true)
}

/// The establishments in use (a removed one is kept only for the orders that name it).
pub async fn establishments(db: &Db, company_id: i64) -> Result<Vec<Establishment>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        name: String,
        siret: String,
        address_line: String,
        postal_code: String,
        city: String,
        billing_email: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, siret, address_line, postal_code, city, billing_email FROM establishments \
         WHERE company_id = $1 AND removed_at IS NULL ORDER BY name",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|Row { id, name, siret, address_line, postal_code, city, billing_email }| Establishment {
            id,
            name,
            siret,
            address_line,
            postal_code,
            city,
            billing_email,
        })
        .collect())
}

pub struct NewEstablishment {
    pub name: String,
    pub siret: Siret,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub billing_email: Email,
}

impl NewEstablishment {
    fn audited(&self) -> String {
        json!({
            "name": self.name, "siret": self.siret.as_str(), "address_line": self.address_line,
            "postal_code": self.postal_code, "city": self.city, "billing_email": self.billing_email.as_str()
        })
        .to_string()
    }
}

/// `query` with the establishment's values bound as $1 to $6: name, SIRET, address,
/// postal code, city, billing address.
fn bind_establishment<'q>(sql: &'q str, e: &'q NewEstablishment) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(&e.name)
        .bind(e.siret.as_str())
        .bind(&e.address_line)
        .bind(&e.postal_code)
        .bind(&e.city)
        .bind(e.billing_email.as_str())
}

/// Adds an establishment (or brings back one this company removed, with these
/// values); `false` when its SIRET is already known.
pub async fn add_establishment(db: &Db, actor: i64, company_id: i64, e: &NewEstablishment) -> Result<bool, sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    let revived = bind_establishment(
        "UPDATE establishments SET name = $1, address_line = $3, postal_code = $4, city = $5, billing_email = $6, removed_at = NULL \
         WHERE siret = $2 AND company_id = $7 AND removed_at IS NOT NULL",
        e,
    )
    .bind(company_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if revived == 0 {
        let res = bind_establishment(
            "INSERT INTO establishments (name, siret, address_line, postal_code, city, billing_email, id, company_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            e,
        )
        .bind(new_id())
        .bind(company_id)
        .bind(now())
        .execute(&mut *tx)
        .await;
        match res {
            Ok(_) => {}
            Err(sqlx::Error::Database(err)) if err.is_unique_violation() => return Ok(false),
            Err(err) => return Err(err),
        }
    }
    audit(&mut tx, company_id, actor, "establishment.add", "{}", &json!({"name": e.name, "siret": e.siret.as_str()}).to_string())
        .await?;
    tx.commit().await?;
    Ok(true)
}

pub enum EstablishmentOutcome {
    Done,
    /// No establishment of this company has this id.
    NotFound,
    /// Another establishment has this SIRET.
    SiretTaken,
    /// An order not cancelled is invoiced to it: its number.
    InUse(String),
}

/// Changes an establishment of the company (audited, before and after).
pub async fn update_establishment(
    db: &Db,
    actor: i64,
    company_id: i64,
    id: i64,
    e: &NewEstablishment,
) -> Result<EstablishmentOutcome, sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    let Some(before) = establishment_in(&mut tx, company_id, id).await? else { return Ok(EstablishmentOutcome::NotFound) };
    let res = bind_establishment(
        "UPDATE establishments SET name = $1, siret = $2, address_line = $3, postal_code = $4, city = $5, billing_email = $6 \
         WHERE id = $7 AND company_id = $8",
        e,
    )
    .bind(id)
    .bind(company_id)
    .execute(&mut *tx)
    .await;
    match res {
        Ok(_) => {}
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => return Ok(EstablishmentOutcome::SiretTaken),
        Err(err) => return Err(err),
    }
    audit(&mut tx, company_id, actor, "establishment.update", &before, &e.audited()).await?;
    tx.commit().await?;
    Ok(EstablishmentOutcome::Done)
}

/// Removes an establishment of the company, unless an order that is not cancelled
/// (one of its registrations is neither cancelled nor expired) is invoiced to it. One
/// that only cancelled orders name is kept for them, marked removed. Audited.
pub async fn remove_establishment(db: &Db, actor: i64, company_id: i64, id: i64) -> Result<EstablishmentOutcome, sqlx::Error> {
    use crate::domain::code::sql_in;
    use crate::domain::registration::RegistrationStatus;
    let mut tx = begin_change(db, company_id).await?;
    let Some(before) = establishment_in(&mut tx, company_id, id).await? else { return Ok(EstablishmentOutcome::NotFound) };
    let live: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT o.number FROM orders o WHERE o.billing_establishment_id = $1 AND EXISTS \
         (SELECT 1 FROM registrations r WHERE r.order_id = o.id AND r.status NOT IN ({})) ORDER BY o.created_at LIMIT 1",
        sql_in(&RegistrationStatus::ENDED)
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((number,)) = live {
        return Ok(EstablishmentOutcome::InUse(number));
    }
    let (named,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders WHERE billing_establishment_id = $1").bind(id).fetch_one(&mut *tx).await?;
    if named > 0 {
        sqlx::query("UPDATE establishments SET removed_at = $1 WHERE id = $2").bind(now()).bind(id).execute(&mut *tx).await?;
    } else {
        sqlx::query("DELETE FROM establishments WHERE id = $1").bind(id).execute(&mut *tx).await?;
    }
    audit(&mut tx, company_id, actor, "establishment.remove", &before, "{}").await?;
    tx.commit().await?;
    Ok(EstablishmentOutcome::Done)
}

/// An establishment of the company still in use, as it stands (for the audit log).
async fn establishment_in(tx: &mut Transaction<'_, Any>, company_id: i64, id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT name, siret, address_line, postal_code, city, billing_email FROM establishments \
         WHERE id = $1 AND company_id = $2 AND removed_at IS NULL",
    )
    .bind(id)
    .bind(company_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(name, siret, address_line, postal_code, city, billing_email)| {
        json!({
            "name": name, "siret": siret, "address_line": address_line,
            "postal_code": postal_code, "city": city, "billing_email": billing_email
        })
        .to_string()
    }))
}

/// One page of the company's audit log (`per_page::AUDIT_LOG`), the newest first.
pub async fn audit_log(db: &Db, company_id: i64, page: PageRequest) -> Result<Paged<AuditEntry>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        created_at: i64,
        first_name: Option<String>,
        last_name: Option<String>,
        action: String,
        before_json: String,
        after_json: String,
    }
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log a WHERE a.company_id = $1").bind(company_id).fetch_one(db).await?;
    let window = page.window(total.max(0) as u64, per_page::AUDIT_LOG);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.created_at, u.first_name, u.last_name, a.action, a.before_json, a.after_json FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_user_id WHERE a.company_id = $1 ORDER BY a.created_at DESC, a.id LIMIT $2 OFFSET $3",
    )
    .bind(company_id)
    .bind(window.limit())
    .bind(window.offset())
    .fetch_all(db)
    .await?;
    Ok(window.page_of(
        rows.into_iter()
            .map(|r| AuditEntry {
                at: r.created_at,
                actor: match (r.first_name, r.last_name) {
                    (Some(f), Some(l)) => format!("{f} {l}"),
                    _ => "—".into(),
                },
                action: r.action,
                before: r.before_json,
                after: r.after_json,
            })
            .collect(),
    ))
}

pub async fn third_party(db: &Db, company_id: i64) -> Result<(ThirdPartyMode, Vec<(i64, String, String)>), sqlx::Error> {
    let (mode,): (String,) =
        sqlx::query_as(THIRD_PARTY_MODE).bind(company_id).fetch_one(db).await?;
    let allowed: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT c.id, c.legal_name, c.siret FROM third_party_allowed a JOIN companies c ON c.id = a.allowed_company_id \
         WHERE a.company_id = $1 ORDER BY c.legal_name",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok((ThirdPartyMode::from_code(&mode).unwrap_or(ThirdPartyMode::None), allowed))
}

pub async fn set_third_party_mode(db: &Db, actor: i64, company_id: i64, mode: ThirdPartyMode) -> Result<(), sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    let (old,): (String,) =
        sqlx::query_as(THIRD_PARTY_MODE).bind(company_id).fetch_one(&mut *tx).await?;
    sqlx::query("UPDATE companies SET third_party_mode = $1 WHERE id = $2").bind(mode.code()).bind(company_id).execute(&mut *tx).await?;
    audit(&mut tx, company_id, actor, "third_party.mode", &json!({"mode": old}).to_string(), &json!({"mode": mode.code()}).to_string())
        .await?;
    tx.commit().await
}

#[derive(Debug, PartialEq, Eq)]
pub enum AllowOutcome {
    Allowed(String),
    UnknownSiret,
    Itself,
}

/// Adds a company, by its SIRET, to those allowed to name this one as billing entity.
pub async fn allow_third_party(db: &Db, actor: i64, company_id: i64, siret: &Siret) -> Result<AllowOutcome, sqlx::Error> {
    let other = super::companies::by_siret(db, siret).await?;
    let Some((other_id, name)) = other else { return Ok(AllowOutcome::UnknownSiret) };
    if other_id == company_id {
        return Ok(AllowOutcome::Itself);
    }
    let mut tx = begin_change(db, company_id).await?;
    let added = sqlx::query(
        "INSERT INTO third_party_allowed (company_id, allowed_company_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (company_id, allowed_company_id) DO NOTHING",
    )
    .bind(company_id)
    .bind(other_id)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added > 0 {
        audit(&mut tx, company_id, actor, "third_party.allow", "{}", &json!({"siret": siret.as_str(), "name": name}).to_string()).await?;
    }
    tx.commit().await?;
    Ok(AllowOutcome::Allowed(name))
}

pub async fn disallow_third_party(db: &Db, actor: i64, company_id: i64, other_id: i64) -> Result<(), sqlx::Error> {
    let mut tx = begin_change(db, company_id).await?;
    let removed = sqlx::query("DELETE FROM third_party_allowed WHERE company_id = $1 AND allowed_company_id = $2")
        .bind(company_id)
        .bind(other_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed > 0 {
        audit(&mut tx, company_id, actor, "third_party.disallow", &json!({"company_id": other_id}).to_string(), "{}").await?;
    }
    tx.commit().await
}

/// May `ordering` name `billing` as the entity invoiced for its orders?
pub async fn may_bill(db: &Db, billing: i64, ordering: i64) -> Result<bool, sqlx::Error> {
    let (mode, allowed) = third_party(db, billing).await?;
    Ok(crate::domain::company::may_bill(billing, ordering, mode, &allowed.iter().map(|a| a.0).collect::<Vec<_>>()))
}
