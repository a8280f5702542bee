//! The firm's view of its collaborators' training obligation: the person's consent
//! (given to one firm, withdrawn at any time), who shares with a firm, and the January
//! reminders, written once per year and person or firm whatever the number of instances.

use super::audit::audit;
use super::db::{begin, now, Db};
use super::obligations;
use super::outbox::{self, Mail};
use crate::domain::account::ProvenEmail;
use crate::domain::obligation::{standing, Rule, Standing};
use crate::domain::obligation_firm::{pace, FirmRow, FirmView};
use crate::domain::Date;
use sqlx::Row;

/// A firm the person belongs to (in its directory or holding a role there), and whether
/// he shares his obligation data with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Firm {
    pub company_id: i64,
    pub name: String,
    pub shared: bool,
}

/// Membership: the address is in the firm's directory or holds a role on it.
const MEMBER: &str = "(EXISTS (SELECT 1 FROM collaborators c WHERE c.company_id = co.id AND c.email = $1) \
     OR EXISTS (SELECT 1 FROM grants g WHERE g.company_id = co.id AND g.email = $2))";

/// The firms of the person with this proven address, by name.
pub async fn firms_of(db: &Db, user_id: i64, email: ProvenEmail<'_>) -> Result<Vec<Firm>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT co.id, co.legal_name, \
         (SELECT COUNT(*) FROM obligation_consents oc WHERE oc.company_id = co.id AND oc.user_id = $3) \
         FROM companies co WHERE {MEMBER} ORDER BY co.legal_name, co.id"
    ))
    .bind(email.as_str())
    .bind(email.as_str())
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Firm { company_id: r.get(0), name: r.get(1), shared: r.get::<i64, _>(2) > 0 })
        .collect())
}

/// Gives or withdraws the person's consent for one of his firms; `None` if the firm is not
/// his (the caller answers "not found"). Logged in the firm's journal.
pub async fn set_consent(db: &Db, user_id: i64, email: ProvenEmail<'_>, company_id: i64, share: bool) -> Result<Option<()>, sqlx::Error> {
    let mut tx = begin(db).await?;
    let member: Option<(i64,)> = sqlx::query_as(&format!("SELECT co.id FROM companies co WHERE co.id = $3 AND {MEMBER}"))
        .bind(email.as_str())
        .bind(email.as_str())
        .bind(company_id)
        .fetch_optional(&mut *tx)
        .await?;
    if member.is_none() {
        return Ok(None);
    }
    let changed = if share {
        sqlx::query("INSERT INTO obligation_consents (user_id, company_id, granted_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, company_id) DO NOTHING")
            .bind(user_id)
            .bind(company_id)
            .bind(now())
            .execute(&mut *tx)
            .await?
            .rows_affected()
    } else {
        sqlx::query("DELETE FROM obligation_consents WHERE user_id = $1 AND company_id = $2")
            .bind(user_id)
            .bind(company_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
    };
    if changed > 0 {
        let (action, after) = if share { ("obligation.share", "partagé") } else { ("obligation.unshare", "non partagé") };
        let before = if share { "non partagé" } else { "partagé" };
        let detail = |state: &str| serde_json::json!({ "personne": email.as_str(), "suivi des obligations": state }).to_string();
        audit(&mut tx, company_id, user_id, action, &detail(before), &detail(after)).await?;
    }
    tx.commit().await?;
    Ok(Some(()))
}

/// A collaborator who shares his obligation data with the firm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sharing {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// The firm's members who share with it: consent given, address proven, still a member.
pub async fn sharing_with(db: &Db, company_id: i64) -> Result<Vec<Sharing>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.first_name, u.last_name, u.email FROM obligation_consents oc \
         JOIN users u ON u.id = oc.user_id JOIN companies co ON co.id = oc.company_id \
         WHERE oc.company_id = $1 AND u.email_confirmed_at IS NOT NULL \
         AND (EXISTS (SELECT 1 FROM collaborators c WHERE c.company_id = co.id AND c.email = u.email) \
           OR EXISTS (SELECT 1 FROM grants g WHERE g.company_id = co.id AND g.email = u.email)) \
         ORDER BY u.last_name, u.first_name, u.id",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Sharing { user_id: r.get(0), first_name: r.get(1), last_name: r.get(2), email: r.get(3) })
        .collect())
}

/// Who a January reminder goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderTo {
    Person(i64),
    Firm(i64),
}

impl ReminderTo {
    fn key(self) -> (&'static str, i64) {
        match self {
            ReminderTo::Person(id) => ("person", id),
            ReminderTo::Firm(id) => ("firm", id),
        }
    }
}

/// Writes the year's reminder to its addressee(s) unless an instance already did: the
/// mark and the mails share one transaction, so a reminder is sent once or not at all.
/// `false` if it had been sent.
pub async fn remind_once(db: &Db, year: i32, to: ReminderTo, mails: &[Mail]) -> Result<bool, sqlx::Error> {
    let (kind, target) = to.key();
    let mut tx = begin(db).await?;
    let marked = sqlx::query(
        "INSERT INTO obligation_reminders (year, kind, target_id, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT (year, kind, target_id) DO NOTHING",
    )
    .bind(i64::from(year))
    .bind(kind)
    .bind(target)
    .bind(now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if marked == 0 {
        return Ok(false);
    }
    for mail in mails {
        outbox::enqueue(&mut tx, mail).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The firm's list for `today`'s year (`crate::domain::obligation_firm`).
pub async fn firm_view(db: &Db, company_id: i64, profession: &str, today: Date) -> Result<FirmView, sqlx::Error> {
    let all_rules = obligations::rules(db).await?;
    let filter = all_rules.iter().find(|r| r.profession == profession).map(|r| r.profession.clone()).unwrap_or_default();
    let people = sharing_with(db, company_id).await?;
    let mut view = FirmView {
        professions: all_rules.iter().map(|r| (r.profession.clone(), r.label.clone())).collect(),
        filter,
        people: people.len(),
        rows: Vec::new(),
    };
    for person in &people {
        let (rules, activities) = obligations::inputs(obligations::ledger_under(db, &all_rules, person.user_id, today).await?);
        for rule in rules.iter().filter(|r| view.filter.is_empty() || r.profession == view.filter) {
            let s = standing(rule, &activities, today.year, today);
            view.rows.push(FirmRow {
                name: format!("{} {}", person.first_name, person.last_name),
                email: person.email.clone(),
                profession_code: rule.profession.clone(),
                profession: rule.label.clone(),
                year_counted: s.year_counted,
                period_counted: s.period_counted,
                period: format!("{}-{}", s.first_year, s.year),
                pace: pace(rule, &s, today),
            });
        }
    }
    view.sort();
    Ok(view)
}

/// The firm's list as a CSV file for French spreadsheets (names neutralised against
/// formulas).
pub fn firm_csv(view: &FirmView, today: Date) -> Vec<u8> {
    let rows = view.csv_rows(today.year).into_iter().map(|row| row.iter().map(|c| super::csv::neutral(c)).collect::<Vec<_>>());
    super::csv::write(rows)
}

/// What the January reminders did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reminded {
    pub persons: usize,
    pub firms: usize,
}

/// In January of `today`'s year, reminds those who did not meet last year's obligation
/// (each of them, about his own hours) and each firm (its administrators and training
/// managers, about those who share with it). Run by every instance; each reminder is
/// written once (`remind_once`). Outside January, does nothing.
pub async fn january_reminders(db: &Db, public_url: &str, today: Date) -> Result<Reminded, sqlx::Error> {
    let mut done = Reminded::default();
    if today.month != 1 {
        return Ok(done);
    }
    let year = today.year - 1;
    // Every person with a proven address and a profession under a rule (`obligations::professions_of`).
    let persons: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.email, u.first_name FROM users u WHERE u.email_confirmed_at IS NOT NULL \
         AND (EXISTS (SELECT 1 FROM user_professions p WHERE p.user_id = u.id) \
           OR (u.professions_declared_at IS NULL AND u.profession IN (SELECT r.profession FROM obligation_rules r))) \
         ORDER BY u.id",
    )
    .fetch_all(db)
    .await?;
    let all_rules = obligations::rules(db).await?;
    let mut behind_ids = std::collections::BTreeSet::new();
    for (user_id, email, first_name) in persons {
        let (rules, activities) = obligations::inputs(obligations::ledger_under(db, &all_rules, user_id, today).await?);
        let short: Vec<(Rule, Standing)> = rules
            .into_iter()
            .map(|r| {
                let s = standing(&r, &activities, year, today);
                (r, s)
            })
            .filter(|(_, s)| s.missing > 0)
            .collect();
        if short.is_empty() {
            continue;
        }
        behind_ids.insert(user_id);
        let lines: Vec<String> = short
            .iter()
            .map(|(r, s)| format!("- {} : {}\n  Déclaration à adresser à {} avant le {}.", r.label, s.sentence(r, today), r.authority, r.declaration_due(year).long_fr()))
            .collect();
        let body = format!(
            "Bonjour {first_name},\n\nVotre obligation de formation de {year} n'est pas remplie :\n\n{}\n\n\
             Votre suivi, vos justificatifs et votre déclaration : {public_url}/mes-obligations\n",
            lines.join("\n")
        );
        let mail = Mail::new(email, format!("Votre obligation de formation {year}"), body);
        if remind_once(db, today.year, ReminderTo::Person(user_id), &[mail]).await? {
            done.persons += 1;
        }
    }
    // Each firm with someone behind among those who share with it.
    let firms: Vec<(i64, String)> = sqlx::query_as("SELECT DISTINCT co.id, co.legal_name FROM obligation_consents oc JOIN companies co ON co.id = oc.company_id ORDER BY co.id")
        .fetch_all(db)
        .await?;
    for (company_id, name) in firms {
        let behind: Vec<Sharing> = sharing_with(db, company_id).await?.into_iter().filter(|p| behind_ids.contains(&p.user_id)).collect();
        if behind.is_empty() {
            continue;
        }
        let list: Vec<String> = behind.iter().map(|p| format!("- {} {} ({})", p.first_name, p.last_name, p.email)).collect();
        let managers = super::companies::managers(db, company_id).await?;
        let mails: Vec<Mail> = managers
            .iter()
            .map(|m| {
                Mail::new(
                    m.email.clone(),
                    format!("{name} : obligations de formation {year} non remplies"),
                    format!(
                        "Bonjour {},\n\nParmi les collaborateurs qui partagent leur suivi avec {name}, l'obligation de formation de {year} \
                         n'est pas remplie pour :\n\n{}\n\nLe détail : {public_url}/entreprise/{company_id}/obligations\n",
                        m.first_name,
                        list.join("\n")
                    ),
                )
            })
            .collect();
        if remind_once(db, today.year, ReminderTo::Firm(company_id), &mails).await? {
            done.firms += 1;
        }
    }
    Ok(done)
}
