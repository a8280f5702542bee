//! The continuing-education duty: the rules (rows of `obligation_rules`), the
//! professions a person declares, his ledger (the portal's attended hours and the
//! activities he declared, with their proofs), and his yearly declaration (PDF, CSV,
//! ZIP with the proofs). The arithmetic is `domain::obligation`'s; nothing here knows
//! the caller: the rights are checked above (`api::obligations`).

use super::db::{new_id, now, Db};
use crate::domain::obligation::{Activity, ActivityKind, Entry, Ledger, ProofType, Rule, Source, ValidActivity};
use crate::domain::registration::RegistrationStatus;
use crate::domain::Date;

pub mod cli;
pub mod declaration;

#[derive(sqlx::FromRow)]
struct RuleRow {
    profession: String,
    label: String,
    authority: String,
    period_years: i64,
    period_minutes: i64,
    year_minutes: i64,
    cap_formation_minutes: Option<i64>,
    cap_conference_minutes: Option<i64>,
    cap_teaching_minutes: Option<i64>,
    cap_publication_minutes: Option<i64>,
    cap_technical_minutes: Option<i64>,
    deadline_month: i64,
    deadline_day: i64,
    retention_years: i64,
}

impl From<RuleRow> for Rule {
    fn from(r: RuleRow) -> Self {
        Rule {
            profession: r.profession,
            label: r.label,
            authority: r.authority,
            period_years: r.period_years.clamp(1, 10) as i32,
            period_minutes: r.period_minutes,
            year_minutes: r.year_minutes,
            caps: [r.cap_formation_minutes, r.cap_conference_minutes, r.cap_teaching_minutes, r.cap_publication_minutes, r.cap_technical_minutes],
            deadline_month: r.deadline_month.clamp(1, 12) as u32,
            deadline_day: r.deadline_day.clamp(1, 31) as u32,
            retention_years: r.retention_years,
        }
    }
}

const RULE_COLUMNS: &str = "profession, label, authority, period_years, period_minutes, year_minutes, cap_formation_minutes, \
     cap_conference_minutes, cap_teaching_minutes, cap_publication_minutes, cap_technical_minutes, deadline_month, deadline_day, \
     retention_years";

/// Every rule, by profession code.
pub async fn rules(db: &Db) -> Result<Vec<Rule>, sqlx::Error> {
    let rows: Vec<RuleRow> =
        sqlx::query_as(&format!("SELECT {RULE_COLUMNS} FROM obligation_rules ORDER BY profession")).fetch_all(db).await?;
    Ok(rows.into_iter().map(Rule::from).collect())
}

/// The professions the person declared in "Mon compte"; until he has, the profession
/// of his account form when a rule exists for it.
pub async fn professions_of(db: &Db, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT profession, professions_declared_at FROM users WHERE id = $1").bind(user_id).fetch_optional(db).await?;
    let Some((profession, declared)) = row else { return Ok(Vec::new()) };
    if declared.is_some() {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT profession FROM user_professions WHERE user_id = $1 ORDER BY profession").bind(user_id).fetch_all(db).await?;
        return Ok(rows.into_iter().map(|(p,)| p).collect());
    }
    let known: Option<(String,)> =
        sqlx::query_as("SELECT profession FROM obligation_rules WHERE profession = $1").bind(&profession).fetch_optional(db).await?;
    Ok(known.map(|(p,)| p).into_iter().collect())
}

/// Replaces the person's regulated professions by `professions` (codes of rules,
/// checked by the caller against [`rules`]).
pub async fn set_professions(db: &Db, user_id: i64, professions: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let t = now();
    sqlx::query("DELETE FROM user_professions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    for p in professions {
        sqlx::query("INSERT INTO user_professions (user_id, profession, declared_at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(p)
            .bind(t)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE users SET professions_declared_at = $1 WHERE id = $2").bind(t).bind(user_id).execute(&mut *tx).await?;
    tx.commit().await
}

/// The account's address, if its owner proved it: what is addressed to it (his
/// registrations, the directories he is in) is his only then.
async fn proven_email_of(db: &Db, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1 AND email_confirmed_at IS NOT NULL")
        .bind(user_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(e,)| e))
}

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: i64,
    kind: String,
    title: String,
    organiser: String,
    done_on: String,
    minutes: i64,
    proof_name: Option<String>,
}

/// Every entry of the person's ledger, oldest first: the portal's trainings he
/// attended (registrations "réalisée" with time attended, addressed to his proven
/// address, dated by the session's last day) and the activities he declared.
pub async fn entries(db: &Db, user_id: i64) -> Result<Vec<Entry>, sqlx::Error> {
    let mut out = Vec::new();
    if let Some(email) = proven_email_of(db, user_id).await? {
        let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT r.id, t.title, p.name, s.end_date, r.minutes_attended FROM registrations r \
             JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id \
             JOIN providers p ON p.id = t.provider_id \
             WHERE r.participant_email = $1 AND r.status = $2 AND r.minutes_attended > 0",
        )
        .bind(&email)
        .bind(RegistrationStatus::Done)
        .fetch_all(db)
        .await?;
        out.extend(rows.into_iter().filter_map(|(id, title, organiser, end, minutes)| {
            Some(Entry { id, source: Source::Portal, kind: ActivityKind::Formation, title, organiser, date: Date::parse(&end)?, minutes, proof: None })
        }));
    }
    let rows: Vec<ActivityRow> = sqlx::query_as(
        "SELECT id, kind, title, organiser, done_on, minutes, proof_name FROM obligation_activities WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    out.extend(rows.into_iter().filter_map(|r| {
        Some(Entry {
            id: r.id,
            source: Source::Outside,
            kind: ActivityKind::from_code(&r.kind)?,
            title: r.title,
            organiser: r.organiser,
            date: Date::parse(&r.done_on)?,
            minutes: r.minutes,
            proof: r.proof_name,
        })
    }));
    // Stable: a day's portal trainings before the activities declared, those in the
    // order they were entered.
    out.sort_by_key(|e| e.date);
    Ok(out)
}

/// The person's ledger as of `today`: the rules of his professions and his entries.
/// This is what the firm view builds on (after its own checks).
pub async fn ledger_for(db: &Db, user_id: i64, today: Date) -> Result<Ledger, sqlx::Error> {
    ledger_under(db, &rules(db).await?, user_id, today).await
}

/// [`ledger_for`] with every rule read already ([`rules`]), for a caller that builds the
/// ledgers of several people.
pub async fn ledger_under(db: &Db, all_rules: &[Rule], user_id: i64, today: Date) -> Result<Ledger, sqlx::Error> {
    let professions = professions_of(db, user_id).await?;
    let rules = all_rules.iter().filter(|r| professions.contains(&r.profession)).cloned().collect();
    Ok(Ledger { user_id, today, rules, entries: entries(db, user_id).await? })
}

/// The inputs of the arithmetic: the ledger's rules and its activities (without titles
/// or proofs).
pub fn inputs(ledger: Ledger) -> (Vec<Rule>, Vec<Activity>) {
    let activities = ledger.entries.iter().map(Entry::activity).collect();
    (ledger.rules, activities)
}

/// A proof to store with an activity: its safe name, its type (told by its bytes) and
/// its bytes (checked by `domain::obligation::check_proof`).
pub struct NewProof {
    pub name: String,
    pub ty: ProofType,
    pub bytes: Vec<u8>,
}

/// Records an activity the person declared, with its proof, in one transaction.
pub async fn add_activity(db: &Db, user_id: i64, a: &ValidActivity, proof: Option<&NewProof>) -> Result<i64, sqlx::Error> {
    let id = new_id();
    let mut tx = super::db::begin(db).await?;
    sqlx::query(
        "INSERT INTO obligation_activities (id, user_id, kind, title, organiser, done_on, minutes, proof_name, proof_type, proof_size, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(user_id)
    .bind(a.kind)
    .bind(a.title.as_str())
    .bind(a.organiser.as_str())
    .bind(a.date.iso())
    .bind(a.minutes)
    .bind(proof.map(|p| p.name.clone()))
    .bind(proof.map(|p| p.ty.code()))
    .bind(proof.map(|p| p.bytes.len() as i64))
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if let Some(p) = proof {
        sqlx::query("INSERT INTO obligation_proofs (activity_id, content) VALUES ($1, $2)").bind(id).bind(&p.bytes).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Deletes one of the person's own activities (and its proof); `false` if he has none
/// of that id.
pub async fn delete_activity(db: &Db, user_id: i64, activity_id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let owned: Option<(i64,)> = sqlx::query_as("SELECT id FROM obligation_activities WHERE id = $1 AND user_id = $2")
        .bind(activity_id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
    if owned.is_none() {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query("DELETE FROM obligation_proofs WHERE activity_id = $1").bind(activity_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM obligation_activities WHERE id = $1 AND user_id = $2").bind(activity_id).bind(user_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Whose an activity's proof is, and what it is called (without its bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofInfo {
    pub activity_id: i64,
    pub owner_id: i64,
    pub name: String,
    pub ty: ProofType,
}

pub async fn proof_info(db: &Db, activity_id: i64) -> Result<Option<ProofInfo>, sqlx::Error> {
    let row: Option<(i64, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT user_id, proof_name, proof_type FROM obligation_activities WHERE id = $1")
            .bind(activity_id)
            .fetch_optional(db)
            .await?;
    Ok(row.and_then(|(owner_id, name, ty)| {
        Some(ProofInfo { activity_id, owner_id, name: name?, ty: ProofType::from_code(&ty?)? })
    }))
}

/// The proof's bytes.
pub async fn proof_bytes(db: &Db, activity_id: i64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row: Option<(Vec<u8>,)> =
        sqlx::query_as("SELECT content FROM obligation_proofs WHERE activity_id = $1").bind(activity_id).fetch_optional(db).await?;
    Ok(row.map(|(b,)| b))
}

/// The firms that may see the person's proofs: those he shares his obligation with
/// (`obligation_consents`, his own choice) and still belongs to — a directory that holds
/// his proven address, or an ordered registration of his (pending, confirmed or done) in
/// the company's name. Without his consent, a firm that merely typed his address into
/// its directory reads nothing.
pub async fn member_of(db: &Db, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let Some(email) = proven_email_of(db, user_id).await? else { return Ok(Vec::new()) };
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT m.company_id FROM (SELECT company_id FROM collaborators WHERE email = $1 \
         UNION SELECT company_id FROM registrations WHERE participant_email = $2 AND company_id IS NOT NULL AND status IN ({})) m \
         WHERE EXISTS (SELECT 1 FROM obligation_consents oc WHERE oc.user_id = $3 AND oc.company_id = m.company_id) \
         ORDER BY 1",
        crate::domain::code::sql_in(&RegistrationStatus::FIRM)
    ))
    .bind(&email)
    .bind(&email)
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}
