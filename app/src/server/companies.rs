//! Companies, their rights (grants), directory, key contacts and audit log.

use super::audit::audit;
use super::db::{new_id, now, Db};
use crate::domain::company::ContactKind;
use crate::domain::wizard::{AuthorizedPerson, CompanyChoice, DirectoryEntry, RegistrantKind};
use crate::domain::account::ProvenEmail;
use crate::domain::rights::Access;
use crate::domain::{Email, RegistrationPolicy, Role, Siret};
use sqlx::{Any, Transaction};

/// A structure checked and ready to be created.
#[derive(Clone, Debug)]
pub struct NewCompany {
    pub legal_name: String,
    pub legal_form: String,
    pub siret: Siret,
    pub vat_number: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub policy: RegistrationPolicy,
    pub billing_email: Email,
    pub billing_address_line: String,
    pub billing_postal_code: String,
    pub billing_city: String,
    /// "salarié / dirigeant / indépendant ou entreprise", as answered by its creator.
    pub registrant_kind: Option<RegistrantKind>,
}

/// A key contact of a new company: one of the people it is created with.
#[derive(Clone, Debug)]
pub struct Contact {
    pub kind: ContactKind,
    pub email: String,
    pub phone: String,
}

pub struct Creator<'a> {
    pub id: i64,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
}

pub enum CreateOutcome {
    Created(i64),
    SiretTaken,
}

/// Creates the company space: the company, its creator as administrator, the listed
/// persons with their roles, the directory, the key contacts; every right is audited.
pub async fn create(
    db: &Db,
    creator: &Creator<'_>,
    c: &NewCompany,
    authorized: &[AuthorizedPerson],
    contacts: &[Contact],
) -> Result<CreateOutcome, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let outcome = create_in(&mut tx, creator, c, authorized, contacts).await?;
    if let CreateOutcome::Created(_) = outcome {
        tx.commit().await?;
    }
    Ok(outcome)
}

/// [`create`] in `tx`, just begun, where the mails telling the listed persons of their
/// roles are written too; only `Created` is to be committed (on PostgreSQL a taken
/// SIRET ends the transaction).
pub async fn create_in(
    tx: &mut Transaction<'static, Any>,
    creator: &Creator<'_>,
    c: &NewCompany,
    authorized: &[AuthorizedPerson],
    contacts: &[Contact],
) -> Result<CreateOutcome, sqlx::Error> {
    let id = new_id();
    let t = now();
    let res = sqlx::query(
        "INSERT INTO companies (id, legal_name, legal_form, siret, vat_number, address_line, postal_code, city, \
         registration_policy, billing_email, billing_address_line, billing_postal_code, billing_city, created_by, created_at, \
         registrant_kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(id)
    .bind(&c.legal_name)
    .bind(&c.legal_form)
    .bind(c.siret.as_str())
    .bind(c.vat_number.clone())
    .bind(&c.address_line)
    .bind(&c.postal_code)
    .bind(&c.city)
    .bind(c.policy.code())
    .bind(c.billing_email.as_str())
    .bind(&c.billing_address_line)
    .bind(&c.billing_postal_code)
    .bind(&c.billing_city)
    .bind(creator.id)
    .bind(t)
    .bind(c.registrant_kind.map(|k| k.code()))
    .execute(&mut **tx)
    .await;
    match res {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(CreateOutcome::SiretTaken),
        Err(e) => return Err(e),
    }
    audit(tx, id, creator.id, "company.create", "{}", &serde_json::json!({
        "legal_name": c.legal_name, "siret": c.siret.as_str(), "policy": c.policy.code()
    }).to_string()).await?;

    let mut people: Vec<(String, String, String, Vec<Role>)> =
        vec![(creator.email.to_string(), creator.first_name.to_string(), creator.last_name.to_string(), vec![Role::Admin])];
    for p in authorized {
        match people.iter_mut().find(|x| x.0 == p.email) {
            Some(x) => x.3.extend(p.roles.iter().copied()),
            None => people.push((p.email.clone(), p.first_name.clone(), p.last_name.clone(), p.roles.clone())),
        }
    }
    for (email, first, last, roles) in &mut people {
        roles.sort();
        roles.dedup();
        for role in roles.iter() {
            sqlx::query("INSERT INTO grants (company_id, email, role, granted_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(&*email)
                .bind(role.code())
                .bind(creator.id)
                .bind(t)
                .execute(&mut **tx)
                .await?;
            audit(tx, id, creator.id, "grant.add", "{}", &serde_json::json!({"email": email, "role": role.code()}).to_string())
                .await?;
        }
        add_collaborator(tx, id, email, first, last).await?;
    }
    for contact in contacts {
        let Some((first, last)) = people.iter().find(|p| p.0 == contact.email).map(|p| (p.1.clone(), p.2.clone())) else { continue };
        let (person,): (i64,) = sqlx::query_as("SELECT id FROM collaborators WHERE company_id = $1 AND email = $2")
            .bind(id)
            .bind(&contact.email)
            .fetch_one(&mut **tx)
            .await?;
        let name = format!("{first} {last}");
        upsert_contact(tx, id, contact.kind, person, &name, &contact.email, &contact.phone).await?;
    }
    Ok(CreateOutcome::Created(id))
}

/// Adds a person to the company's directory (if not there yet), in a change.
pub async fn add_collaborator(
    tx: &mut Transaction<'_, Any>,
    company_id: i64,
    email: &str,
    first_name: &str,
    last_name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO collaborators (id, company_id, email, first_name, last_name, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (company_id, email) DO NOTHING",
    )
    .bind(new_id())
    .bind(company_id)
    .bind(email)
    .bind(first_name)
    .bind(last_name)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the contact of a kind: the person of the directory, with a copy of his name
/// and address as they were when chosen.
pub async fn upsert_contact(
    tx: &mut Transaction<'_, Any>,
    company_id: i64,
    kind: ContactKind,
    person_id: i64,
    name: &str,
    email: &str,
    phone: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO key_contacts (company_id, kind, name, email, phone, collaborator_id) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (company_id, kind) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone, \
         collaborator_id = excluded.collaborator_id",
    )
    .bind(company_id)
    .bind(kind)
    .bind(name)
    .bind(email)
    .bind(phone)
    .bind(person_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The caller's access to a company (what the rights table decides on), if the company
/// exists. Without a proven address he holds no role nor delegation there: a stranger.
pub async fn access(db: &Db, company_id: i64, email: Option<ProvenEmail<'_>>) -> Result<Option<CompanyAccess>, sqlx::Error> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT legal_name, registration_policy, require_second_factor FROM companies WHERE id = $1")
            .bind(company_id)
            .fetch_optional(db)
            .await?;
    let Some((name, policy, second_factor)) = row else { return Ok(None) };
    let (mut roles, mut delegated) = (Vec::new(), crate::domain::rights::Scope::default());
    if let Some(email) = email {
        // The person's own roles (delegated = 0), then each live delegation of this
        // company to a structure where he holds a role, with that role: one query.
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT 0 AS delegated, role, 0 AS may_register, 0 AS may_see_orders FROM grants \
             WHERE company_id = $1 AND email = $2 \
             UNION ALL \
             SELECT 1, g.role, d.may_register, d.may_see_orders FROM delegations d \
             JOIN grants g ON g.company_id = d.delegate_id AND g.email = $2 \
             WHERE d.company_id = $1 AND d.revoked_at IS NULL \
             ORDER BY 1, 2",
        )
        .bind(company_id)
        .bind(email.as_str())
        .fetch_all(db)
        .await?;
        for (through_delegation, role, register, orders) in rows {
            let role = Role::from_code(&role);
            if through_delegation == 0 {
                roles.extend(role);
            } else {
                let held: Vec<Role> = role.into_iter().collect();
                delegated = delegated.union(crate::domain::rights::Scope { register: register != 0, orders: orders != 0 }.for_roles(&held));
            }
        }
    }
    let access = Access {
        company_id,
        name,
        policy: RegistrationPolicy::from_code(&policy).unwrap_or(RegistrationPolicy::Restricted),
        roles,
        delegated,
    };
    Ok(Some(CompanyAccess { access, second_factor_required: second_factor == 1 }))
}

/// A person's access to a company, with the company's own demand of a second factor.
pub struct CompanyAccess {
    pub access: Access,
    /// The company requires a second factor of its administrators and billing managers.
    pub second_factor_required: bool,
}

/// A company's id and name, by its SIRET.
pub async fn by_siret(db: &Db, siret: &Siret) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, legal_name FROM companies WHERE siret = $1").bind(siret.as_str()).fetch_optional(db).await
}

pub async fn id_by_siret(db: &Db, siret: &Siret) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM companies WHERE siret = $1").bind(siret.as_str()).fetch_optional(db).await?;
    Ok(row.map(|(id,)| id))
}

/// Addresses of a company's administrators (who is asked for a right).
pub async fn admin_emails<'e>(db: impl sqlx::Executor<'e, Database = Any>, company_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT email FROM grants WHERE company_id = $1 AND role = $2 ORDER BY email")
        .bind(company_id)
        .bind(Role::Admin.code())
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|(e,)| e).collect())
}

/// Those told of the company's registrations: its administrators and training managers
/// whose account has a proven address (first name with each).
pub async fn managers<'e>(db: impl sqlx::Executor<'e, Database = Any>, company_id: i64) -> Result<Vec<super::mail::Manager>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT u.email, u.first_name FROM grants g JOIN users u ON u.email = g.email \
         WHERE g.company_id = $1 AND g.role IN ($2, $3) AND u.email_confirmed_at IS NOT NULL ORDER BY u.email",
    )
    .bind(company_id)
    .bind(Role::Admin.code())
    .bind(Role::TrainingManager.code())
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(email, first_name)| super::mail::Manager { company_id, email, first_name }).collect())
}

/// Companies where the caller's proven address holds at least one role, with the roles.
pub async fn of_user(db: &Db, email: ProvenEmail<'_>) -> Result<Vec<(CompanyChoice, Vec<Role>)>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT c.id, c.legal_name, c.siret, c.city, g.role FROM grants g JOIN companies c ON c.id = g.company_id \
         WHERE g.email = $1 ORDER BY c.legal_name, g.role",
    )
    .bind(email.as_str())
    .fetch_all(db)
    .await?;
    let mut out: Vec<(CompanyChoice, Vec<Role>)> = Vec::new();
    for (id, name, siret, city, role) in rows {
        let role = Role::from_code(&role);
        match out.iter_mut().find(|(c, _)| c.id == id) {
            Some((_, roles)) => roles.extend(role),
            None => out.push((CompanyChoice { id, name, siret, city }, role.into_iter().collect())),
        }
    }
    Ok(out)
}

pub async fn directory(db: &Db, company_id: i64) -> Result<Vec<DirectoryEntry>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT c.email, c.first_name, c.last_name, (SELECT COUNT(*) FROM users u WHERE u.email = c.email) \
         FROM collaborators c WHERE c.company_id = $1 ORDER BY c.last_name, c.first_name",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(email, first_name, last_name, n)| DirectoryEntry { email, first_name, last_name, has_account: n > 0 })
        .collect())
}
