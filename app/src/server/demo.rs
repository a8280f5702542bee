//! The demo firm served with the demo catalogue: one account per role, a session that
//! took place last month (questionnaires to fill) and a confirmed virtual class, so that
//! every screen of the portal can be tried. All accounts share `DEMO_PASSWORD`.

use super::accounts::hash_password;
use super::companies::{self, Contact, CreateOutcome, Creator, NewCompany};
use super::db::{new_id, now, today, Db};
use crate::domain::identity::siret_with_key;
use crate::domain::registration::RegistrationStatus;
use crate::domain::session::SessionStatus;
use crate::domain::company::ContactKind;
use crate::domain::wizard::{AuthorizedPerson, RegistrantKind};
use crate::domain::{Email, RegistrationPolicy, Role, Siret};

pub const DEMO_PASSWORD: &str = "demo-espace-2026";
/// The demo provider staff's second-factor key (base32; any authenticator app takes it).
pub const DEMO_TOTP_SECRET: &str = "MRSW233PFVSXG4DBMNSS2MRQGI3C25DPORYC2ZDFNVXS2MJS";
pub const DEMO_COMPANY: &str = "Cabinet Démo Audit & Conseil";
/// The session that took place: training 1, in Paris, closed.
pub const PAST_SESSION: i64 = 900;
/// The virtual class where Paul's registration is confirmed.
const CONFIRMED_SESSION: i64 = 5;

/// (email, first name, last name, role)
const PEOPLE: [(&str, &str, &str, Option<Role>); 7] = [
    ("alice.admin@cabinet-demo.fr", "Alice", "Martin", Some(Role::Admin)),
    ("thomas.formation@cabinet-demo.fr", "Thomas", "Durand", Some(Role::TrainingManager)),
    ("berenice.facturation@cabinet-demo.fr", "Bérénice", "Leroy", Some(Role::BillingManager)),
    ("paul.collaborateur@cabinet-demo.fr", "Paul", "Bernard", None),
    ("nina.collaboratrice@cabinet-demo.fr", "Nina", "Roux", None),
    ("hugo.collaborateur@cabinet-demo.fr", "Hugo", "Lambert", None),
    ("ines.collaboratrice@cabinet-demo.fr", "Inès", "Moreau", None),
];

/// Sessions of training 1 that took place one and two weeks ago and that the provider
/// has not confirmed nor closed yet: Hugo and Inès attended both, ordered by the firm.
pub const ENDED_SESSIONS: [(i64, i64); 2] = [(901, 7), (902, 14)];

/// The staff account of the demo catalogue's first provider.
pub const DEMO_STAFF: (&str, &str, &str, i64) = ("olivier.organisme@crcc-formation.fr", "Olivier", "Garnier", 1);

fn demo_siret() -> Siret {
    Siret::parse(&siret_with_key("9912345600001")).expect("valid demo SIRET")
}

/// Loads the demo firm once (after the demo catalogue); Ok(false) if it is there.
pub async fn load_demo_company(db: &Db) -> Result<bool, sqlx::Error> {
    let siret = demo_siret();
    if companies::id_by_siret(db, &siret).await?.is_some() {
        return Ok(false);
    }
    let hash = hash_password(DEMO_PASSWORD.to_string()).await;
    let mut ids = Vec::new();
    for (email, first, last) in PEOPLE.iter().map(|p| (p.0, p.1, p.2)).chain([(DEMO_STAFF.0, DEMO_STAFF.1, DEMO_STAFF.2)]) {
        let id = new_id();
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, civility, first_name, last_name, phone, profession, \
             professional_number, address_line, postal_code, city, created_at, email_confirmed_at) \
             VALUES ($1, $2, $3, 'mme', $4, $5, '0140000000', 'ec', '', '12 rue de la Bourse', '75002', 'Paris', $6, $6)",
        )
        .bind(id)
        .bind(email)
        .bind(&hash)
        .bind(first)
        .bind(last)
        .bind(now())
        .execute(db)
        .await?;
        ids.push(id);
    }
    super::provider::add_staff(db, DEMO_STAFF.3, DEMO_STAFF.0).await?;
    // Provider staff must use a second factor: the demo one's key is public too.
    sqlx::query("UPDATE users SET totp_secret = $1 WHERE email = $2").bind(DEMO_TOTP_SECRET).bind(DEMO_STAFF.0).execute(db).await?;

    let (admin_email, admin_first, admin_last, _) = PEOPLE[0];
    let creator = Creator { id: ids[0], email: admin_email, first_name: admin_first, last_name: admin_last };
    let company = NewCompany {
        legal_name: DEMO_COMPANY.into(),
        legal_form: "SAS".into(),
        siret,
        vat_number: None,
        address_line: "12 rue de la Bourse".into(),
        postal_code: "75002".into(),
        city: "Paris".into(),
        policy: RegistrationPolicy::Restricted,
        billing_email: Email::parse("berenice.facturation@cabinet-demo.fr").expect("valid"),
        billing_address_line: "12 rue de la Bourse".into(),
        billing_postal_code: "75002".into(),
        billing_city: "Paris".into(),
        registrant_kind: Some(RegistrantKind::Executive),
    };
    let authorized: Vec<AuthorizedPerson> = PEOPLE[1..3]
        .iter()
        .map(|(email, first, last, role)| AuthorizedPerson {
            email: email.to_string(),
            first_name: first.to_string(),
            last_name: last.to_string(),
            roles: role.iter().copied().collect(),
        })
        .collect();
    let contacts = [
        Contact { kind: ContactKind::Direction, email: PEOPLE[0].0.into(), phone: String::new() },
        Contact { kind: ContactKind::Training, email: PEOPLE[1].0.into(), phone: "0140000001".into() },
        Contact { kind: ContactKind::Billing, email: PEOPLE[2].0.into(), phone: String::new() },
    ];
    let CreateOutcome::Created(company_id) = companies::create(db, &creator, &company, &authorized, &contacts).await? else {
        return Ok(false);
    };
    let mut tx = super::db::begin(db).await?;
    for (email, first, last, _) in &PEOPLE[3..] {
        companies::add_collaborator(&mut tx, company_id, email, first, last).await?;
    }

    // Last month's session of training 1, closed: Paul, Nina and Hugo attended it, Hugo
    // already answered his questionnaire.
    let place = "Maison des Experts-Comptables, 200-216 rue Raymond Losserand, 75014 Paris";
    insert_past_session(&mut tx, PAST_SESSION, 30, place, 3, SessionStatus::Closed).await?;
    for (i, (email, first, last, _)) in PEOPLE[3..6].iter().enumerate() {
        let registration = new_id();
        insert_registration(&mut tx, registration, PAST_SESSION, company_id, (email, first, last), RegistrationStatus::Done, ids[0]).await?;
        // Nina left after the first day.
        let attended = if i == 1 { 7 * 60 } else { 14 * 60 };
        sqlx::query("UPDATE registrations SET minutes_attended = $1 WHERE id = $2").bind(attended).bind(registration).execute(&mut *tx).await?;
        if i == 2 {
            sqlx::query(
                "INSERT INTO survey_answers (registration_id, rating_content, rating_trainer, rating_organisation, rating_overall, comment, answered_at) \
                 VALUES ($1, 4, 5, 3, 4, 'Cas pratiques très utiles.', $2)",
            )
            .bind(registration)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
    }
    // Paul's place in the virtual class, confirmed by the provider.
    sqlx::query("UPDATE training_sessions SET seats_taken = seats_taken + 1 WHERE id = $1").bind(CONFIRMED_SESSION).execute(&mut *tx).await?;
    let (email, first, last, _) = PEOPLE[3];
    insert_registration(&mut tx, new_id(), CONFIRMED_SESSION, company_id, (email, first, last), RegistrationStatus::Confirmed, ids[1]).await?;

    for (session, weeks_ago_days) in ENDED_SESSIONS {
        insert_past_session(&mut tx, session, weeks_ago_days, "CRCC de Paris, 50 rue de Londres, 75008 Paris", 2, SessionStatus::Open).await?;
        let order = new_id();
        let year = today().year;
        let seq = super::db::next_in_sequence(&mut tx, &format!("order-{year}")).await?;
        sqlx::query(
            "INSERT INTO orders (id, number, company_id, billing_company_id, billing_establishment_id, po_reference, total_cents, created_by, created_at) \
             VALUES ($1, $2, $3, $3, NULL, $4, 128000, $5, $6)",
        )
        .bind(order)
        .bind(format!("CMD-{year}-{seq:06}"))
        .bind(company_id)
        .bind(format!("BC-DEMO-{session}"))
        .bind(ids[1])
        .bind(now())
        .execute(&mut *tx)
        .await?;
        for (email, first, last, _) in &PEOPLE[5..7] {
            let id = new_id();
            insert_registration(&mut tx, id, session, company_id, (email, first, last), RegistrationStatus::Pending, ids[1]).await?;
            sqlx::query("UPDATE registrations SET order_id = $1 WHERE id = $2").bind(order).bind(id).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// A two-day session of training 1 in Paris, about `days_ago` days ago (on weekdays).
async fn insert_past_session(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    days_ago: i64,
    place: &str,
    seats_taken: i64,
    status: SessionStatus,
) -> Result<(), sqlx::Error> {
    let mut start = today().add_days(-days_ago);
    while start.weekday() > 3 {
        start = start.add_days(-1);
    }
    sqlx::query(
        "INSERT INTO training_sessions (id, training_id, start_date, end_date, schedule, city, place, capacity, seats_taken, status) \
         VALUES ($1, 1, $2, $3, '9h00-12h30 / 14h00-17h30', 'Paris', $4, 20, $5, $6)",
    )
    .bind(id)
    .bind(start.iso())
    .bind(start.add_days(1).iso())
    .bind(place)
    .bind(seats_taken)
    .bind(status)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_registration(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    session: i64,
    company: i64,
    (email, first, last): (&str, &str, &str),
    status: RegistrationStatus,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO registrations (id, session_id, company_id, participant_email, participant_first_name, participant_last_name, \
         status, registered_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(session)
    .bind(company)
    .bind(email)
    .bind(first)
    .bind(last)
    .bind(status)
    .bind(by)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
