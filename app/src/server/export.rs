//! "Mes données": everything the portal holds about one person, as JSON plus CSV files
//! in one zip. Looked up by his account id and, for what is granted or addressed to an
//! address (roles, directory entries, registrations, mails), only by his proven address:
//! an account whose address is not proven exports its own row and nothing else.

use super::csv::{neutral, write};
use super::db::Db;
use crate::domain::account::ProvenEmail;
use crate::domain::date::paris_datetime;
use crate::domain::registration::RegistrationStatus;
use crate::domain::Role;
use serde::Serialize;
use std::io::Write;

/// The person's account, as stored (never its password hash nor its second-factor secret).
#[derive(Serialize, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub profession: String,
    pub professional_number: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub created_at: i64,
    pub email_confirmed_at: Option<i64>,
    #[serde(skip)]
    totp_secret: Option<String>,
    #[sqlx(skip)]
    pub second_factor: bool,
}

#[derive(Serialize)]
pub struct RoleLine {
    pub company: String,
    pub siret: String,
    pub role: String,
    pub since: String,
}

#[derive(Serialize, sqlx::FromRow)]
pub struct DirectoryLine {
    pub company: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(skip)]
    created_at: i64,
    #[sqlx(skip)]
    pub since: String,
}

#[derive(Serialize)]
pub struct RegistrationLine {
    pub id: i64,
    pub training_code: String,
    pub training: String,
    pub start_date: String,
    pub end_date: String,
    pub city: String,
    pub company: Option<String>,
    pub participant: String,
    pub status: String,
    pub planned_hours: i64,
    pub minutes_attended: Option<i64>,
    pub registered_on: String,
    /// The completion certificate's download link, once the session is closed.
    pub certificate: Option<String>,
}

#[derive(Serialize, sqlx::FromRow)]
pub struct AttendanceLine {
    pub registration_id: i64,
    pub half_day: i64,
    pub present: i64,
    #[serde(skip)]
    recorded_at: i64,
    #[sqlx(skip)]
    pub recorded: String,
}

#[derive(Serialize, sqlx::FromRow)]
pub struct AnswerLine {
    pub registration_id: i64,
    pub rating_content: i64,
    pub rating_trainer: i64,
    pub rating_organisation: i64,
    pub rating_overall: i64,
    pub comment: String,
    #[serde(skip)]
    answered_at: i64,
    #[sqlx(skip)]
    pub answered: String,
}

#[derive(Serialize)]
pub struct MailLine {
    pub date: String,
    pub to: String,
    pub subject: String,
    /// Empty once the retention purge blanked it.
    pub body: String,
    pub sent: bool,
}

#[derive(Serialize)]
pub struct SessionLine {
    pub started: String,
    pub last_used: String,
    pub browser: String,
}

#[derive(Serialize)]
pub struct RequestLine {
    pub company: String,
    pub role: String,
    pub asked: String,
    pub granted: Option<String>,
}

#[derive(Serialize, sqlx::FromRow)]
pub struct InvitationLine {
    pub company: Option<String>,
    pub first_name: String,
    pub last_name: String,
    #[serde(skip)]
    created_at: i64,
    #[serde(skip)]
    used_at: Option<i64>,
    #[sqlx(skip)]
    pub sent: String,
    #[sqlx(skip)]
    pub used: Option<String>,
}

/// Everything about one person.
#[derive(Serialize)]
pub struct PersonData {
    pub generated: String,
    pub account: Account,
    /// Whether the address is proven: without it, nothing reached through it is exported.
    pub address_proven: bool,
    pub roles: Vec<RoleLine>,
    pub directories: Vec<DirectoryLine>,
    pub provider_staff: Vec<String>,
    pub registrations: Vec<RegistrationLine>,
    pub attendance: Vec<AttendanceLine>,
    pub answers: Vec<AnswerLine>,
    pub mails: Vec<MailLine>,
    pub sessions: Vec<SessionLine>,
    pub rights_requests: Vec<RequestLine>,
    pub invitations: Vec<InvitationLine>,
}

/// What the portal holds about the account `user_id`; `proven` is its proven address
/// (`None`: only the account row). `None` when the account does not exist.
pub async fn collect(db: &Db, user_id: i64, proven: Option<ProvenEmail<'_>>, now: i64) -> Result<Option<PersonData>, sqlx::Error> {
    let account: Option<Account> = sqlx::query_as(
        "SELECT id, email, civility, first_name, last_name, phone, profession, professional_number, address_line, postal_code, \
         city, created_at, email_confirmed_at, totp_secret FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    let Some(mut account) = account else { return Ok(None) };
    account.second_factor = account.totp_secret.is_some();
    let mut data = PersonData {
        generated: paris_datetime(now),
        account,
        address_proven: proven.is_some(),
        roles: vec![],
        directories: vec![],
        provider_staff: vec![],
        registrations: vec![],
        attendance: vec![],
        answers: vec![],
        mails: vec![],
        sessions: vec![],
        rights_requests: vec![],
        invitations: vec![],
    };
    let Some(email) = proven.map(|e| e.as_str()) else { return Ok(Some(data)) };

    let roles: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT c.legal_name, c.siret, g.role, g.created_at FROM grants g JOIN companies c ON c.id = g.company_id \
         WHERE g.email = $1 ORDER BY c.legal_name, g.role",
    )
    .bind(email)
    .fetch_all(db)
    .await?;
    data.roles = roles
        .into_iter()
        .map(|(company, siret, role, at)| RoleLine {
            company,
            siret,
            role: Role::from_code(&role).map(|r| r.label().to_string()).unwrap_or(role),
            since: paris_datetime(at),
        })
        .collect();
    data.directories = sqlx::query_as(
        "SELECT c.legal_name AS company, d.first_name, d.last_name, d.created_at FROM collaborators d \
         JOIN companies c ON c.id = d.company_id WHERE d.email = $1 ORDER BY c.legal_name",
    )
    .bind(email)
    .fetch_all(db)
    .await?;
    for d in &mut data.directories {
        d.since = paris_datetime(d.created_at);
    }
    let staff: Vec<(String,)> =
        sqlx::query_as("SELECT p.name FROM provider_staff s JOIN providers p ON p.id = s.provider_id WHERE s.email = $1")
            .bind(email)
            .fetch_all(db)
            .await?;
    data.provider_staff = staff.into_iter().map(|(n,)| n).collect();
    data.registrations = registrations(db, email).await?;
    data.attendance = sqlx::query_as(
        "SELECT a.registration_id, a.half_day, a.present, a.recorded_at FROM attendance a \
         JOIN registrations r ON r.id = a.registration_id WHERE r.participant_email = $1 ORDER BY a.registration_id, a.half_day",
    )
    .bind(email)
    .fetch_all(db)
    .await?;
    for a in &mut data.attendance {
        a.recorded = paris_datetime(a.recorded_at);
    }
    data.answers = sqlx::query_as(
        "SELECT a.registration_id, a.rating_content, a.rating_trainer, a.rating_organisation, a.rating_overall, a.comment, \
         a.answered_at FROM survey_answers a JOIN registrations r ON r.id = a.registration_id \
         WHERE r.participant_email = $1 ORDER BY a.answered_at",
    )
    .bind(email)
    .fetch_all(db)
    .await?;
    for a in &mut data.answers {
        a.answered = paris_datetime(a.answered_at);
    }
    let mails: Vec<(i64, String, String, String, Option<i64>)> =
        sqlx::query_as("SELECT created_at, to_addr, subject, body, sent_at FROM outbox WHERE to_addr = $1 ORDER BY created_at, id")
            .bind(email)
            .fetch_all(db)
            .await?;
    data.mails = mails
        .into_iter()
        .map(|(at, to, subject, body, sent)| MailLine { date: paris_datetime(at), to, subject, body, sent: sent.is_some() })
        .collect();
    let sessions: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT created_at, last_seen_at, user_agent FROM auth_sessions WHERE user_id = $1 ORDER BY created_at",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    data.sessions = sessions
        .into_iter()
        .map(|(start, last, ua)| SessionLine { started: paris_datetime(start), last_used: paris_datetime(last), browser: ua })
        .collect();
    let requests: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT c.legal_name, q.role, q.created_at, q.granted_at FROM rights_requests q JOIN companies c ON c.id = q.company_id \
         WHERE q.user_id = $1 ORDER BY q.created_at",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    data.rights_requests = requests
        .into_iter()
        .map(|(company, role, asked, granted)| RequestLine {
            company,
            role: Role::from_code(&role).map(|r| r.label().to_string()).unwrap_or(role),
            asked: paris_datetime(asked),
            granted: granted.map(paris_datetime),
        })
        .collect();
    data.invitations = sqlx::query_as(
        "SELECT c.legal_name AS company, i.first_name, i.last_name, i.created_at, i.used_at FROM invitations i \
         LEFT JOIN companies c ON c.id = i.company_id WHERE i.email = $1 ORDER BY i.created_at",
    )
    .bind(email)
    .fetch_all(db)
    .await?;
    for i in &mut data.invitations {
        i.sent = paris_datetime(i.created_at);
        i.used = i.used_at.map(paris_datetime);
    }
    Ok(Some(data))
}

/// The registrations naming the address as participant, whoever made them.
async fn registrations(db: &Db, email: &str) -> Result<Vec<RegistrationLine>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        code: String,
        title: String,
        start_date: String,
        end_date: String,
        city: String,
        company: Option<String>,
        company_id: Option<i64>,
        participant_first_name: String,
        participant_last_name: String,
        status: RegistrationStatus,
        duration_hours: i64,
        minutes_attended: Option<i64>,
        created_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, t.code, t.title, s.start_date, s.end_date, s.city, c.legal_name AS company, r.company_id, \
         r.participant_first_name, r.participant_last_name, r.status, t.duration_hours, r.minutes_attended, r.created_at \
         FROM registrations r JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id \
         LEFT JOIN companies c ON c.id = r.company_id WHERE r.participant_email = $1 ORDER BY s.start_date, r.id",
    )
    .bind(email)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RegistrationLine {
            id: r.id,
            training_code: r.code,
            training: r.title,
            start_date: r.start_date,
            end_date: r.end_date,
            city: r.city,
            company: r.company,
            participant: format!("{} {}", r.participant_first_name, r.participant_last_name),
            status: r.status.label().to_string(),
            planned_hours: r.duration_hours,
            minutes_attended: r.minutes_attended,
            registered_on: paris_datetime(r.created_at),
            certificate: (r.status.is_done() && r.company_id.is_some()).then(|| format!("/documents/certificat/{}", r.id)),
        })
        .collect())
}

/// The files of the download: `mes-donnees.json` (everything) and one CSV per list a
/// spreadsheet reads well.
pub fn files(data: &PersonData) -> Vec<(&'static str, Vec<u8>)> {
    let t = |s: &str| neutral(s);
    let opt = |s: &Option<String>| neutral(s.as_deref().unwrap_or(""));
    let a = &data.account;
    let account = vec![
        vec!["Adresse e-mail".into(), "Civilité".into(), "Prénom".into(), "Nom".into(), "Téléphone".into(), "Profession".into(),
             "Numéro d'inscription".into(), "Adresse".into(), "Code postal".into(), "Ville".into(), "Créé le".into(), "Adresse confirmée".into()],
        vec![t(&a.email), t(&a.civility), t(&a.first_name), t(&a.last_name), t(&a.phone), t(&a.profession), t(&a.professional_number),
             t(&a.address_line), t(&a.postal_code), t(&a.city), paris_datetime(a.created_at),
             if data.address_proven { "oui" } else { "non" }.to_string()],
    ];
    let mut registrations = vec![["N°", "Code", "Formation", "Début", "Fin", "Ville", "Structure", "Participant", "Statut",
        "Heures prévues", "Minutes suivies", "Inscrit le", "Certificat"].map(String::from).to_vec()];
    registrations.extend(data.registrations.iter().map(|r| {
        vec![r.id.to_string(), t(&r.training_code), t(&r.training), r.start_date.clone(), r.end_date.clone(), t(&r.city), opt(&r.company),
             t(&r.participant), t(&r.status), r.planned_hours.to_string(), r.minutes_attended.map(|m| m.to_string()).unwrap_or_default(),
             r.registered_on.clone(), opt(&r.certificate)]
    }));
    let mut attendance = vec![["Inscription", "Demi-journée", "Présent", "Relevé le"].map(String::from).to_vec()];
    attendance.extend(data.attendance.iter().map(|l| {
        vec![l.registration_id.to_string(), (l.half_day + 1).to_string(), if l.present != 0 { "oui" } else { "non" }.to_string(), l.recorded.clone()]
    }));
    let mut answers = vec![["Inscription", "Contenu", "Formateur", "Organisation", "Appréciation générale", "Commentaire", "Répondu le"]
        .map(String::from)
        .to_vec()];
    answers.extend(data.answers.iter().map(|l| {
        vec![l.registration_id.to_string(), l.rating_content.to_string(), l.rating_trainer.to_string(), l.rating_organisation.to_string(),
             l.rating_overall.to_string(), t(&l.comment), l.answered.clone()]
    }));
    let mut roles = vec![["Structure", "SIRET", "Rôle", "Depuis"].map(String::from).to_vec()];
    roles.extend(data.roles.iter().map(|l| vec![t(&l.company), t(&l.siret), t(&l.role), l.since.clone()]));
    let mut mails = vec![["Date", "Destinataire", "Objet", "Texte", "Envoyé"].map(String::from).to_vec()];
    mails.extend(data.mails.iter().map(|m| vec![m.date.clone(), t(&m.to), t(&m.subject), t(&m.body), if m.sent { "oui" } else { "non" }.into()]));
    // Serializing plain strings and numbers cannot fail.
    let json = serde_json::to_vec_pretty(data).unwrap_or_default();
    vec![
        ("mes-donnees.json", json),
        ("compte.csv", write(account)),
        ("inscriptions.csv", write(registrations)),
        ("presences.csv", write(attendance)),
        ("questionnaires.csv", write(answers)),
        ("roles.csv", write(roles)),
        ("courriels.csv", write(mails)),
    ]
}

/// The files in one zip (deflate).
pub fn zip(files: &[(&str, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(*name, options).map_err(std::io::Error::other)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}
