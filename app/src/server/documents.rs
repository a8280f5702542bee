//! The documents a company files, as PDFs, each given only to those entitled to it:
//! purchase order, training agreements (individual and collective, Code du travail
//! L6353-1 and D6353-1), e-learning protocol, completion certificate, invoices.
//! Administrators and billing managers of the company (ordering or invoiced) get them;
//! a participant gets his own certificate and protocol; everybody else is refused. A
//! `Document` found here says whom it belongs to; the request glue checks the reader
//! before `render`.

use super::csv::{self, neutral};
use super::db::{today, Db};
use super::invoicing;
use super::pdf::Doc;
use crate::domain::attendance::hours_fr;
use crate::domain::catalogue::Modality;
use crate::domain::code::sql_in;
use crate::domain::date::period_fr;
use crate::domain::invoice::{VAT_EXEMPTION, VAT_STANDARD_BP};
use crate::domain::registration::RegistrationStatus;
use crate::domain::{Date, Money};
use crate::error::{AppError, AppResult};

/// A document: its file name and bytes.
pub type File = (String, Vec<u8>);

/// The billing documents of a company as CSV (separator ';', amounts in euros with a
/// decimal comma, as French spreadsheets expect).
pub async fn export_csv(db: &Db, company_id: i64) -> AppResult<File> {
    let header = ["Numéro", "Type", "Organisme", "Commande", "Date", "Échéance", "Montant TTC", "Net à payer", "Payé", "Statut", "Facture annulée"];
    let eur = |c: i64| format!("{}{},{:02}", if c < 0 { "-" } else { "" }, c.abs() / 100, c.abs() % 100);
    let mut rows = vec![header.map(String::from).to_vec()];
    for i in invoicing::for_company(db, company_id).await? {
        // Text cells are neutralised; amounts and dates are ours (a credit note's are negative).
        rows.push(vec![
            neutral(&i.number),
            neutral(i.kind.label()),
            neutral(&i.provider),
            neutral(&i.order_number),
            i.issue_date.clone(),
            i.due_date.clone(),
            eur(i.total_ttc.cents()),
            eur(i.amount_due.cents()),
            eur(i.paid.cents()),
            neutral(i.status_label()),
            neutral(i.credits.as_deref().unwrap_or("")),
        ]);
    }
    Ok((format!("documents-{company_id}.csv"), csv::write(rows)))
}

/// A document asked for and found, with what decides who may have it.
pub enum Document {
    Invoice { id: i64, ordering: i64, billing: i64 },
    /// `placed_by`: the user who validated the order.
    PurchaseOrder { id: i64, ordering: i64, billing: i64, placed_by: i64 },
    /// Individual training agreement.
    Agreement(Registration),
    Certificate(Registration),
    Protocol(Registration),
    /// Collective training agreement: every live registration of the company on the session.
    CollectiveAgreement { session_id: i64, company_id: i64 },
}

impl Document {
    /// What one of its companies' people need to have it (the rights table, by kind).
    pub fn need(&self) -> crate::domain::rights::Need {
        use crate::domain::rights::Need;
        match self {
            Document::Invoice { .. } => Need::Billing,
            Document::PurchaseOrder { .. } => Need::Orders,
            Document::Agreement(_) | Document::Certificate(_) | Document::Protocol(_) | Document::CollectiveAgreement { .. } => Need::Documents,
        }
    }

    /// The companies whose people may have it (with [`Document::need`]).
    pub fn companies(&self) -> Vec<i64> {
        match self {
            Document::Invoice { ordering, billing, .. } | Document::PurchaseOrder { ordering, billing, .. } => vec![*ordering, *billing],
            Document::Agreement(r) | Document::Certificate(r) | Document::Protocol(r) => vec![r.company_id],
            Document::CollectiveAgreement { company_id, .. } => vec![*company_id],
        }
    }

    /// Whether it is the participant's own (his certificate, his protocol; not his
    /// agreement, a contract between the company and the provider), by his proven address.
    pub fn names_participant(&self, email: crate::domain::account::ProvenEmail<'_>) -> bool {
        match self {
            Document::Certificate(r) | Document::Protocol(r) => r.email == email.as_str(),
            _ => false,
        }
    }
}

/// `kind`: "facture", "bon-de-commande", "convention", "convention-collective" (with the
/// company), "certificat", "protocole"; `id`: the invoice, order, registration or session.
pub async fn find(db: &Db, kind: &str, id: i64, company: Option<i64>) -> AppResult<Document> {
    match kind {
        "facture" => {
            let (ordering, billing) = invoicing::owners(db, id).await?.ok_or(AppError::NotFound)?;
            Ok(Document::Invoice { id, ordering, billing })
        }
        "bon-de-commande" => {
            let owners: Option<(i64, i64, i64)> = sqlx::query_as("SELECT company_id, billing_company_id, created_by FROM orders WHERE id = $1")
                .bind(id)
                .fetch_optional(db)
                .await?;
            let (ordering, billing, placed_by) = owners.ok_or(AppError::NotFound)?;
            Ok(Document::PurchaseOrder { id, ordering, billing, placed_by })
        }
        "convention" | "certificat" | "protocole" => {
            let reg = registration(db, id).await?.ok_or(AppError::NotFound)?;
            Ok(match kind {
                "convention" => Document::Agreement(reg),
                "certificat" => Document::Certificate(reg),
                _ => Document::Protocol(reg),
            })
        }
        "convention-collective" => {
            let company_id = company.ok_or(AppError::NotFound)?;
            Ok(Document::CollectiveAgreement { session_id: id, company_id })
        }
        _ => Err(AppError::NotFound),
    }
}

/// The document as a file (its reader's right checked by the caller).
pub async fn render(db: &Db, document: &Document) -> AppResult<File> {
    match document {
        Document::Invoice { id, .. } => {
            let (number, bytes) = invoicing::pdf(db, *id).await?.ok_or(AppError::NotFound)?;
            Ok((format!("{number}.pdf"), bytes))
        }
        Document::PurchaseOrder { id, .. } => purchase_order(db, *id).await,
        Document::Agreement(reg) => agreement(db, reg.session_id, reg.company_id, Some(reg.id)).await,
        Document::Certificate(reg) => certificate(db, reg).await,
        Document::Protocol(reg) => protocol(db, reg).await,
        Document::CollectiveAgreement { session_id, company_id } => agreement(db, *session_id, *company_id, None).await,
    }
}

/// A registration with a company, as its documents need it.
pub struct Registration {
    id: i64,
    session_id: i64,
    company_id: i64,
    email: String,
    name: String,
    status: RegistrationStatus,
    minutes: Option<i64>,
}

async fn registration(db: &Db, id: i64) -> AppResult<Option<Registration>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        session_id: i64,
        company_id: Option<i64>,
        participant_email: String,
        participant_first_name: String,
        participant_last_name: String,
        status: RegistrationStatus,
        minutes_attended: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, session_id, company_id, participant_email, participant_first_name, participant_last_name, status, minutes_attended \
         FROM registrations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|r| {
        Some(Registration {
            id: r.id,
            session_id: r.session_id,
            company_id: r.company_id?,
            email: r.participant_email,
            name: format!("{} {}", r.participant_first_name, r.participant_last_name),
            status: r.status,
            minutes: r.minutes_attended,
        })
    }))
}

struct SessionInfo {
    title: String,
    objectives: String,
    programme: String,
    modality: Modality,
    hours: i64,
    price_cents: i64,
    period: String,
    end: String,
    schedule: String,
    city: String,
    place: String,
    provider: String,
    provider_city: String,
    provider_identity: String,
    vat_exempt: bool,
}

async fn session_info(db: &Db, session_id: i64) -> AppResult<SessionInfo> {
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        objectives: String,
        programme: String,
        modality: String,
        duration_hours: i64,
        price_cents: i64,
        start_date: String,
        end_date: String,
        schedule: String,
        city: String,
        place: String,
        provider: String,
        provider_identity: String,
        activity_number: String,
        provider_city: String,
        vat_exempt: i64,
    }
    let r: Row = sqlx::query_as(
        "SELECT t.title, t.objectives, t.programme, t.modality, t.duration_hours, t.price_cents, s.start_date, s.end_date, \
         s.schedule, s.city, s.place, p.name AS provider, \
         p.name || ' (' || p.legal_form || '), SIRET ' || p.siret || ', ' || p.address_line || ' ' || p.postal_code || ' ' || p.city AS provider_identity, \
         p.activity_number, p.city AS provider_city, p.vat_exempt \
         FROM training_sessions s JOIN trainings t ON t.id = s.training_id JOIN providers p ON p.id = t.provider_id WHERE s.id = $1",
    )
    .bind(session_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let period = match (Date::parse(&r.start_date), Date::parse(&r.end_date)) {
        (Some(a), Some(b)) => period_fr(a, b),
        _ => r.start_date.clone(),
    };
    let activity = if r.activity_number.is_empty() { String::new() } else { format!(", déclaration d'activité n° {}", r.activity_number) };
    Ok(SessionInfo {
        title: r.title,
        objectives: r.objectives,
        programme: r.programme,
        modality: Modality::from_code(&r.modality).unwrap_or(Modality::InPerson),
        hours: r.duration_hours,
        price_cents: r.price_cents,
        period,
        end: r.end_date,
        schedule: r.schedule,
        city: r.city,
        place: r.place,
        provider: r.provider,
        provider_identity: format!("{}{activity}", r.provider_identity),
        provider_city: r.provider_city,
        vat_exempt: r.vat_exempt != 0,
    })
}

async fn company_identity(db: &Db, company_id: i64) -> AppResult<String> {
    #[derive(sqlx::FromRow)]
    struct Row {
        legal_name: String,
        legal_form: String,
        siret: String,
        address_line: String,
        postal_code: String,
        city: String,
    }
    let r: Row = sqlx::query_as(
        "SELECT legal_name, legal_form, siret, address_line, postal_code, city FROM companies WHERE id = $1",
    )
    .bind(company_id)
    .fetch_one(db)
    .await?;
    Ok(format!("{} ({}), SIRET {}, {} {} {}", r.legal_name, r.legal_form, r.siret, r.address_line, r.postal_code, r.city))
}

fn today_fr() -> String {
    today().short_fr()
}

async fn purchase_order(db: &Db, order_id: i64) -> AppResult<File> {
    #[derive(sqlx::FromRow)]
    struct Row {
        number: String,
        company_id: i64,
        legal_name: String,
        po_reference: String,
        total_cents: i64,
        created_at: i64,
        billing_address: String,
    }
    let Row {
        number,
        company_id,
        legal_name: billing_name,
        po_reference: po,
        total_cents: total,
        created_at,
        billing_address: billing_addr,
    } = sqlx::query_as(
        "SELECT o.number, o.company_id, b.legal_name, o.po_reference, o.total_cents, o.created_at, \
         b.billing_address_line || ' ' || b.billing_postal_code || ' ' || b.billing_city AS billing_address \
         FROM orders o JOIN companies b ON b.id = o.billing_company_id WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(db)
    .await?;
    #[derive(sqlx::FromRow)]
    struct Line {
        id: i64,
        title: String,
        who: String,
        start_date: String,
        end_date: String,
        city: String,
        provider: String,
        price_cents: i64,
        status: RegistrationStatus,
    }
    let lines: Vec<Line> = sqlx::query_as(
        "SELECT r.id, t.title, r.participant_first_name || ' ' || r.participant_last_name AS who, s.start_date, s.end_date, s.city, p.name AS provider, \
         t.price_cents, r.status FROM registrations r JOIN training_sessions s ON s.id = r.session_id \
         JOIN trainings t ON t.id = s.training_id JOIN providers p ON p.id = t.provider_id WHERE r.order_id = $1 \
         ORDER BY s.start_date, r.participant_last_name",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?;
    let mut doc = Doc::new(&format!("Bon de commande {number}"));
    doc.heading(&format!("Bon de commande n° {number}"));
    doc.text(&format!("Date : {}", Date::from_unix_seconds(created_at).short_fr()));
    doc.text(&format!("Commanditaire : {}", company_identity(db, company_id).await?));
    doc.text(&format!("Entité facturée : {billing_name}, {billing_addr}"));
    if !po.is_empty() {
        doc.text(&format!("Référence client : {po}"));
    }
    doc.subheading("Formations commandées");
    doc.rule();
    let mut replaced = super::substitution::mentions(db, &lines.iter().map(|l| l.id).collect::<Vec<_>>()).await?;
    for Line { id, title, who, start_date: start, end_date: end, city, provider, price_cents: price, status } in &lines {
        let period = match (Date::parse(start), Date::parse(end)) {
            (Some(a), Some(b)) => period_fr(a, b),
            _ => start.clone(),
        };
        let cancelled = if *status == RegistrationStatus::Cancelled { " (annulée)" } else { "" };
        doc.row(&format!("« {title} » — {who}{cancelled}"), &Money(*price).format_eur(), false);
        doc.small(&format!("{period}, {city} — organisme : {provider}"));
        if let Some(m) = replaced.remove(id) {
            doc.small(&m);
        }
    }
    doc.rule();
    doc.row("Total HT", &Money(total).format_eur(), true);
    doc.gap(8.0);
    doc.text("Les conditions générales de vente des organismes de formation ont été acceptées lors de la validation de la commande.");
    Ok((format!("{number}.pdf"), doc.finish()))
}

/// Training agreement: individual (one registration) or collective (every live
/// registration of the company on the session).
async fn agreement(db: &Db, session_id: i64, company_id: i64, only: Option<i64>) -> AppResult<File> {
    let s = session_info(db, session_id).await?;
    let people: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT id, participant_first_name || ' ' || participant_last_name FROM registrations WHERE session_id = $1 AND company_id = $2 \
         AND status IN ({}) ORDER BY participant_last_name, participant_first_name",
        sql_in(&RegistrationStatus::FIRM)
    ))
    .bind(session_id)
    .bind(company_id)
    .fetch_all(db)
    .await?;
    let people: Vec<(i64, String)> = people.into_iter().filter(|(id, _)| only.is_none_or(|o| o == *id)).collect();
    if people.is_empty() {
        return Err(AppError::NotFound);
    }
    let kind = if only.is_some() { "individuelle" } else { "collective" };
    let mut doc = Doc::new(&format!("Convention de formation {kind}"));
    doc.heading(&format!("Convention de formation professionnelle {kind}"));
    doc.small("Articles L6353-1 et D6353-1 du Code du travail");
    doc.subheading("Entre les soussignés");
    doc.text(&format!("L'organisme de formation : {}", s.provider_identity));
    doc.text(&format!("Et le client : {}", company_identity(db, company_id).await?));
    doc.subheading("Article 1 — Objet et intitulé de l'action");
    doc.text(&format!("Action de formation (article L6313-1 du Code du travail) : « {} ».", s.title));
    doc.text("Objectifs :");
    for o in s.objectives.lines().filter(|l| !l.trim().is_empty()) {
        doc.text(&format!("- {o}"));
    }
    doc.subheading("Article 2 — Contenu et moyens");
    for p in s.programme.lines().filter(|l| !l.trim().is_empty()) {
        doc.text(&format!("- {p}"));
    }
    doc.text(&format!("Modalité : {}. Moyens pédagogiques : supports remis aux participants, cas pratiques, formateur expert.", s.modality.label()));
    doc.subheading("Article 3 — Durée, période et lieu");
    doc.text(&format!("Durée : {} heures, {} ; horaires : {}.", s.hours, s.period, s.schedule));
    doc.text(&format!("Lieu : {} — {}.", s.city, s.place));
    doc.subheading("Article 4 — Participants");
    let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
    let mut replaced = super::substitution::mentions(db, &ids).await?;
    for (id, name) in &people {
        doc.text(&format!("- {name}"));
        if let Some(m) = replaced.remove(id) {
            doc.small(&m);
        }
    }
    doc.subheading("Article 5 — Déroulement, suivi et évaluation");
    doc.text(
        "Feuille de présence signée par demi-journée ; évaluation des acquis en fin de formation ; questionnaire de satisfaction ; \
         certificat de réalisation remis à l'issue de l'action.",
    );
    doc.subheading("Article 6 — Prix et modalités de paiement");
    let total = s.price_cents * people.len() as i64;
    doc.row(&format!("{} participant(s) × {}", people.len(), Money(s.price_cents).format_eur()), &Money(total).format_eur(), false);
    if s.vat_exempt {
        doc.text(&format!("Prix net de taxes : {VAT_EXEMPTION}."));
    } else {
        doc.text(&format!("Prix hors taxes ; TVA au taux de {} en sus.", crate::domain::invoice::rate_fr(VAT_STANDARD_BP)));
    }
    doc.text("Paiement à réception de facture, à 30 jours. Un acompte peut être facturé à la commande et déduit de la facture finale.");
    doc.subheading("Article 7 — Annulation");
    doc.text("Toute annulation après facturation donne lieu à un avoir. L'absence non signalée d'un participant reste due.");
    doc.gap(10.0);
    doc.text(&format!("Fait en deux exemplaires à {}, le {}.", s.provider_city, today_fr()));
    doc.text("Pour l'organisme de formation                                        Pour le client");
    let name = match only {
        Some(id) => format!("convention-{id}.pdf"),
        None => format!("convention-collective-{session_id}.pdf"),
    };
    Ok((name, doc.finish()))
}

async fn certificate(db: &Db, reg: &Registration) -> AppResult<File> {
    if !reg.status.is_done() {
        return Err(AppError::conflict("Le certificat de réalisation est délivré une fois la session clôturée."));
    }
    let s = session_info(db, reg.session_id).await?;
    let company = company_identity(db, reg.company_id).await?;
    let attended = reg.minutes.unwrap_or(s.hours * 60);
    let mut doc = Doc::new("Certificat de réalisation");
    doc.heading("Certificat de réalisation");
    doc.small("Arrêté du 21 décembre 2018");
    doc.text(&format!("Je soussigné, représentant de l'organisme de formation {},", s.provider_identity));
    doc.text(&format!("atteste que {} ({company})", reg.name));
    // After a substitution: whom the participant replaces (the invoices name him).
    if let Some(m) = super::substitution::mentions(db, &[reg.id]).await?.remove(&reg.id) {
        doc.small(&m);
    }
    doc.text(&format!("a suivi l'action : « {} »", s.title));
    doc.text("Nature de l'action : action de formation (article L6313-1 du Code du travail).");
    doc.text(&format!("Dates : {}.", s.period));
    doc.text(&format!("Durée suivie : {} sur {} heures prévues.", hours_fr(attended), s.hours));
    // The knowledge tests whose provider chose to mention the result.
    super::knowledge::certificate_lines(db, reg.id).await?.iter().for_each(|line| doc.text(line));
    doc.gap(10.0);
    let end = Date::parse(&s.end).map(|d| d.short_fr()).unwrap_or(s.end.clone());
    doc.text(&format!("Fait à {}, le {end}.", s.provider_city));
    doc.text(&format!("Pour {}", s.provider));
    Ok((format!("certificat-{}.pdf", reg.id), doc.finish()))
}

/// Protocole individuel de formation, for e-learning.
async fn protocol(db: &Db, reg: &Registration) -> AppResult<File> {
    let s = session_info(db, reg.session_id).await?;
    if s.modality != Modality::ELearning {
        return Err(AppError::NotFound);
    }
    let mut doc = Doc::new("Protocole individuel de formation");
    doc.heading("Protocole individuel de formation (e-learning)");
    doc.text(&format!("Organisme : {}", s.provider_identity));
    doc.text(&format!("Participant : {}", reg.name));
    doc.text(&format!("Formation : « {} » — {} heures.", s.title, s.hours));
    doc.text(&format!("Période d'accès : {} ({}).", s.period, s.schedule));
    doc.subheading("Déroulement");
    doc.text("Modules en ligne à suivre à son rythme ; le temps de connexion et la progression sont enregistrés par la plateforme.");
    doc.subheading("Assistance");
    doc.text("Assistance pédagogique et technique par courriel, réponse sous 48 heures ouvrées.");
    doc.subheading("Évaluation");
    doc.text("Quiz de validation des acquis à la fin de chaque module ; certificat de réalisation à l'issue de la formation.");
    Ok((format!("protocole-{}.pdf", reg.id), doc.finish()))
}
