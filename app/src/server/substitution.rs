//! Substitution of a participant ("Remplacer le participant"): until its session starts,
//! an ordered registration of a firm passes to another person of the firm. The
//! registration row stays (its id, seat, order, invoice lines and their numbers); only
//! the person it names changes. The change, its history line, the audit line, the new
//! person's directory entry and the mails it causes (the new participant's convocation,
//! the former participant, the provider's staff) are one transaction.
//!
//! An issued invoice is never edited (CGI, art. 289; domain.md): an invoice issued
//! before the substitution keeps its number, amount and lines, which name the person
//! invoiced then. The documents generated afterwards (agreements, purchase order,
//! completion certificate) name the person who attends and mention whom he replaces
//! ([`mentions`]).

use super::audit::audit;
use super::db::{new_id, now, today, Db};
use super::mail::{Mailer, Sender};
use super::outbox::Mail;
use super::registrations::{line, LineRow, Participant, LINE_COLUMNS, LINE_TABLES};
use crate::domain::date::period_fr;
use crate::domain::registration::{substitution_refusal, RegistrationLine, RegistrationStatus};
use crate::domain::Date;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

/// The kind of a registration event: its participant replaced.
pub const SUBSTITUTION: &str = "substitution";
/// The action of the company's audit log.
pub const AUDIT_ACTION: &str = "registration.substitute";

/// What a substitution did or why it did nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done: the person the registration named before.
    Replaced { previous: Named },
    /// No such registration of this company.
    NotFound,
    /// The registration's state or date refuses it (`substitution_refusal`).
    Refused(&'static str),
    /// The new person is the one registered.
    SamePerson,
    /// The new person holds a registration of this session already (in this state).
    AlreadyRegistered(RegistrationStatus),
    /// The registration changed while this request read it (another substitution).
    Changed,
}

/// A person as a registration or its history names him.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

impl Named {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

impl From<&Participant> for Named {
    fn from(p: &Participant) -> Self {
        Named { email: p.email.clone(), first_name: p.first_name.clone(), last_name: p.last_name.clone() }
    }
}

/// The detail of a substitution event, as stored (JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    pub from: Named,
    pub to: Named,
}

/// One line of a registration's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: i64,
    /// Who did it (first and last name), if his account still exists.
    pub by: Option<String>,
    pub what: EventKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The registration made (from the registration row itself).
    Registered { participant: Named },
    Substituted(Replacement),
    /// A kind this version does not know (written by a later one).
    Other(String),
}

/// What the company sees of one of its registrations: the line and its history, oldest
/// first.
pub struct Seat {
    pub line: RegistrationLine,
    pub history: Vec<Event>,
}

#[derive(sqlx::FromRow)]
struct SeatRow {
    #[sqlx(flatten)]
    line: LineRow,
    created_at: i64,
    registrant: Option<String>,
}

/// The company's registration with its history; `None` when it is not one of the
/// company's (or is an expired cart line, which its lists do not show either).
pub async fn seat(db: &Db, company_id: i64, registration_id: i64) -> Result<Option<Seat>, sqlx::Error> {
    let sql = format!(
        "SELECT {LINE_COLUMNS}, r.created_at, u.first_name || ' ' || u.last_name AS registrant {LINE_TABLES} \
         LEFT JOIN users u ON u.id = r.registered_by WHERE r.id = $1 AND r.company_id = $2 AND r.status <> $3"
    );
    let row: Option<SeatRow> =
        sqlx::query_as(&sql).bind(registration_id).bind(company_id).bind(RegistrationStatus::Expired).fetch_optional(db).await?;
    let Some(r) = row else { return Ok(None) };
    let events: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT e.at, e.kind, e.detail, u.first_name || ' ' || u.last_name FROM registration_events e \
         LEFT JOIN users u ON u.id = e.by_user WHERE e.registration_id = $1 ORDER BY e.at, e.id",
    )
    .bind(registration_id)
    .fetch_all(db)
    .await?;
    let later: Vec<Event> = events
        .into_iter()
        .map(|(at, kind, detail, by)| {
            let what = match serde_json::from_str::<Replacement>(&detail) {
                Ok(r) if kind == SUBSTITUTION => EventKind::Substituted(r),
                _ => EventKind::Other(kind),
            };
            Event { at, by, what }
        })
        .collect();
    // The first person named: the one the first substitution replaced, or the current.
    let current = Named {
        email: r.line.participant_email.clone(),
        first_name: r.line.participant_first_name.clone(),
        last_name: r.line.participant_last_name.clone(),
    };
    let first = later
        .iter()
        .find_map(|e| match &e.what {
            EventKind::Substituted(rep) => Some(rep.from.clone()),
            _ => None,
        })
        .unwrap_or(current);
    let mut history = vec![Event { at: r.created_at, by: r.registrant.clone(), what: EventKind::Registered { participant: first } }];
    history.extend(later);
    let line = line(r.line);
    Ok(Some(Seat { line, history }))
}

/// What the substitution reads of the registration, in its transaction.
#[derive(sqlx::FromRow)]
struct Current {
    participant_email: String,
    participant_first_name: String,
    participant_last_name: String,
    status: RegistrationStatus,
    order_number: Option<String>,
    session_id: i64,
    start_date: String,
    end_date: String,
    schedule: String,
    city: String,
    place: String,
    virtual_link: Option<String>,
    title: String,
    provider_id: i64,
    provider: String,
}

/// The company replacing the participant: its id and name (for the mails).
pub struct Firm<'a> {
    pub id: i64,
    pub name: &'a str,
}

/// Replaces the participant of the company's registration by `new` (an address proven
/// or not: the registration reaches him through his proven address only, like any other),
/// in one transaction (`db::begin`: on SQLite the write lock is taken at once). `new` is
/// added to the company's directory as the wizard adds its participants; the new
/// participant gets his convocation (an invitation to create his account if he has
/// none), the former one is told, and so is the provider's staff. Committed through
/// `mailer` only when `Replaced`.
pub async fn substitute(
    db: &Db,
    mailer: &Mailer,
    s: &Sender<'_>,
    firm: Firm<'_>,
    registration_id: i64,
    new: &Participant,
) -> Result<Outcome, sqlx::Error> {
    let mut tx = super::db::begin(db).await?;
    let current: Option<Current> = sqlx::query_as(
        "SELECT r.participant_email, r.participant_first_name, r.participant_last_name, r.status, o.number AS order_number, \
         s.id AS session_id, s.start_date, s.end_date, s.schedule, s.city, s.place, s.virtual_link, t.title, t.provider_id, p.name AS provider \
         FROM registrations r JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id \
         JOIN providers p ON p.id = t.provider_id LEFT JOIN orders o ON o.id = r.order_id \
         WHERE r.id = $1 AND r.company_id = $2 AND r.status <> $3",
    )
    .bind(registration_id)
    .bind(firm.id)
    .bind(RegistrationStatus::Expired)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(c) = current else {
        tx.rollback().await?;
        return Ok(Outcome::NotFound);
    };
    let today = today().iso();
    let refused = if let Some(why) = substitution_refusal(c.status, c.start_date > today) {
        Some(Outcome::Refused(why))
    } else if c.participant_email.eq_ignore_ascii_case(&new.email) {
        Some(Outcome::SamePerson)
    } else {
        let held: Option<(RegistrationStatus,)> = sqlx::query_as("SELECT status FROM registrations WHERE session_id = $1 AND participant_email = $2")
            .bind(c.session_id)
            .bind(&new.email)
            .fetch_optional(&mut *tx)
            .await?;
        held.map(|(status,)| Outcome::AlreadyRegistered(status))
    };
    if let Some(outcome) = refused {
        tx.rollback().await?;
        return Ok(outcome);
    }
    // The change itself, on the state just read: a concurrent substitution (PostgreSQL
    // waits for its row lock, then re-reads the row) finds it changed and does nothing.
    let changed = sqlx::query(
        "UPDATE registrations SET participant_email = $1, participant_first_name = $2, participant_last_name = $3 \
         WHERE id = $4 AND company_id = $5 AND participant_email = $6 AND status = $7 \
         AND session_id IN (SELECT id FROM training_sessions WHERE start_date > $8)",
    )
    .bind(&new.email)
    .bind(&new.first_name)
    .bind(&new.last_name)
    .bind(registration_id)
    .bind(firm.id)
    .bind(&c.participant_email)
    .bind(c.status)
    .bind(&today)
    .execute(&mut *tx)
    .await;
    match changed {
        Ok(r) if r.rows_affected() == 1 => {}
        Ok(_) => {
            tx.rollback().await?;
            return Ok(Outcome::Changed);
        }
        // Registered on the session meanwhile (UNIQUE(session_id, participant_email)).
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            tx.rollback().await?;
            return Ok(Outcome::AlreadyRegistered(RegistrationStatus::Pending));
        }
        Err(e) => return Err(e),
    }
    let previous = Named { email: c.participant_email.clone(), first_name: c.participant_first_name.clone(), last_name: c.participant_last_name.clone() };
    let replacement = Replacement { from: previous.clone(), to: Named::from(new) };
    let detail = serde_json::to_string(&replacement).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("INSERT INTO registration_events (id, registration_id, at, kind, detail, by_user) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(new_id())
        .bind(registration_id)
        .bind(now())
        .bind(SUBSTITUTION)
        .bind(&detail)
        .bind(s.by.id)
        .execute(&mut *tx)
        .await?;
    super::companies::add_collaborator(&mut tx, firm.id, &new.email, &new.first_name, &new.last_name).await?;
    let audited = |p: &Named| json!({"registration": registration_id, "training": c.title, "email": p.email, "name": p.name()}).to_string();
    audit(&mut tx, firm.id, s.by.id, AUDIT_ACTION, &audited(&previous), &audited(&replacement.to)).await?;

    // The mails.
    let period = match (Date::parse(&c.start_date), Date::parse(&c.end_date)) {
        (Some(a), Some(b)) => period_fr(a, b),
        _ => c.start_date.clone(),
    };
    let about = |m: Mail| m.about_provider(Some(c.provider_id));
    let by = s.by.display_name();
    // The new participant: his convocation.
    let status = if c.status.is_confirmed() { "confirmée par l'organisme de formation" } else { "en attente de confirmation par l'organisme de formation" };
    let mut body = format!(
        "Bonjour {},\n\n{by} vous a inscrit(e) pour le compte de {} à la formation « {} », à la place de {}.\n\n\
         Convocation\n- Dates : {period}\n- Horaires : {}\n- Lieu : {}, {}\n- Organisme de formation : {}\n",
        new.first_name,
        firm.name,
        c.title,
        previous.name(),
        c.schedule,
        c.city,
        c.place,
        c.provider
    );
    if let Some(link) = c.virtual_link.as_ref().filter(|_| c.status.is_confirmed()) {
        body += &format!("- Classe virtuelle : {link}\n");
    }
    body += &format!("\nVotre inscription est {status}.\n");
    if super::accounts::exists(&mut *tx, &new.email).await? {
        body += &format!("Retrouvez-la dans vos espaces, avec ses documents : {}/espaces\n", s.url);
    } else {
        let token = super::invitations::create(&mut *tx, &new.email, &new.first_name, &new.last_name, Some(firm.id), s.by.id).await?;
        body += &format!(
            "\nPour la suivre et recevoir ses documents, créez votre mot de passe en suivant ce lien (valable 7 jours, une seule fois) :\n{}/invitation/{token}\n",
            s.url
        );
    }
    let subject = format!("Convocation : « {} » ({period})", c.title);
    mailer.enqueue(&mut tx, &about(s.mail(&new.email, subject, body))).await?;
    // The former participant.
    let body = format!(
        "Bonjour {},\n\n{by}, pour le compte de {}, a désigné {} pour suivre à votre place la formation « {} » ({period}, {}).\n\
         Vous n'êtes plus inscrit(e) à cette session.\n\nRetrouvez vos formations dans vos espaces : {}/espaces\n",
        previous.first_name,
        firm.name,
        replacement.to.name(),
        c.title,
        c.city,
        s.url
    );
    mailer.enqueue(&mut tx, &about(s.mail(&previous.email, format!("Remplacement : « {} » ({period})", c.title), body))).await?;
    // The provider's staff.
    let staff: Vec<(String,)> =
        sqlx::query_as("SELECT email FROM provider_staff WHERE provider_id = $1 ORDER BY email").bind(c.provider_id).fetch_all(&mut *tx).await?;
    let order = c.order_number.as_deref().map(|n| format!("La place, la commande {n} et sa facturation sont inchangées")).unwrap_or_else(|| {
        "La place et sa facturation sont inchangées".to_string()
    });
    let body = format!(
        "Bonjour,\n\n{} remplace un participant de la session « {} » ({period}, {}) :\n- avant : {} ({})\n- désormais : {} ({})\n\n\
         {order} ; la feuille de présence et le certificat de réalisation nomment désormais {}.\n\nLa session dans votre espace organisme : {}/organisme/session/{}\n",
        firm.name,
        c.title,
        c.city,
        previous.name(),
        previous.email,
        replacement.to.name(),
        replacement.to.email,
        replacement.to.name(),
        s.url,
        c.session_id
    );
    let subject = format!("Changement de participant : « {} » ({period})", c.title);
    for (to,) in staff {
        mailer.enqueue(&mut tx, &about(s.mail(&to, subject.clone(), body.clone()))).await?;
    }
    mailer.commit(tx).await?;
    Ok(Outcome::Replaced { previous })
}

/// For the documents generated after a substitution: registration id → the sentence
/// naming whom its participant replaces (the person of the order and of the invoices
/// issued before), for those of `ids` that were substituted.
pub async fn mentions(db: &Db, ids: &[i64]) -> Result<BTreeMap<i64, String>, sqlx::Error> {
    let mut out = BTreeMap::new();
    for id in ids {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT at, detail FROM registration_events WHERE registration_id = $1 AND kind = $2 ORDER BY at, id")
                .bind(id)
                .bind(SUBSTITUTION)
                .fetch_all(db)
                .await?;
        let parsed: Vec<(i64, Replacement)> =
            rows.into_iter().filter_map(|(at, d)| serde_json::from_str::<Replacement>(&d).ok().map(|r| (at, r))).collect();
        if let (Some((_, first)), Some((at, last))) = (parsed.first(), parsed.last()) {
            out.insert(*id, mention(&first.from, &last.to, *at));
        }
    }
    Ok(out)
}

/// "Marie Durand remplace Paul Martin, inscrit(e) à la commande (remplacement du 05/12/2026)."
pub fn mention(first: &Named, now_attending: &Named, at: i64) -> String {
    format!(
        "{} remplace {}, inscrit(e) à la commande (remplacement du {}).",
        now_attending.name(),
        first.name(),
        Date::from_unix_seconds(at).short_fr()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mention_names_both_people_and_the_day() {
        let paul = Named { email: "paul@x.fr".into(), first_name: "Paul".into(), last_name: "Martin".into() };
        let marie = Named { email: "marie@x.fr".into(), first_name: "Marie".into(), last_name: "Durand".into() };
        // 2026-12-05 12:00 UTC.
        let at = Date::parse("2026-12-05").unwrap().to_days() * 86_400 + 43_200;
        assert_eq!(mention(&paul, &marie, at), "Marie Durand remplace Paul Martin, inscrit(e) à la commande (remplacement du 05/12/2026).");
    }

    #[test]
    fn the_stored_detail_reads_back() {
        let r = Replacement {
            from: Named { email: "a@x.fr".into(), first_name: "A".into(), last_name: "Un".into() },
            to: Named { email: "b@x.fr".into(), first_name: "B".into(), last_name: "Deux".into() },
        };
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Replacement>(&text).unwrap(), r);
        assert!(text.contains("\"from\"") && text.contains("\"to\""));
    }
}
