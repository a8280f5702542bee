//! The training provider's space (its staff): its sessions and what participants
//! thought of them.

use super::survey::TrainingSurveys;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSession {
    pub id: i64,
    pub training_title: String,
    /// "du 14/01/2027 au 15/01/2027", computed on the server.
    pub period: String,
    pub city: String,
    pub capacity: i64,
    pub seats_taken: i64,
    pub status: super::session::SessionStatus,
    pub upcoming: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderHome {
    pub provider_name: String,
    pub sessions: Vec<ProviderSession>,
    /// Questionnaires per session ("title — period"), with their averages.
    pub surveys: Vec<TrainingSurveys>,
}

/// One participant of a session in the back-office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterLine {
    pub registration_id: i64,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub status: super::registration::RegistrationStatus,
    /// Presence per half day, in the order of `SessionPage::half_days`.
    pub present: Vec<bool>,
    /// "10 h 30" once the session is closed.
    pub attended: Option<String>,
}

/// A session in the back-office: its participants, attendance and what may be done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPage {
    pub provider_name: String,
    pub session: ProviderSession,
    pub place: String,
    pub confirmed: bool,
    pub may_close: bool,
    /// "14/01 matin", ...
    pub half_days: Vec<String>,
    pub roster: Vec<RosterLine>,
    /// Orders with registrations on this session: (order id, number, ordering company).
    pub orders: Vec<(i64, String, String)>,
    pub invoices: Vec<crate::domain::invoice::InvoiceSummary>,
    pub notice: Option<String>,
}

/// The provider's own information, as its staff edit it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSettings {
    pub name: String,
    pub vat_exempt: bool,
    pub vat_number: String,
    pub activity_number: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub payment_days: i64,
}

/// A training of the provider's catalogue, in the back-office list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueLine {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub modality: String,
    pub hours: i64,
    pub price: crate::domain::Money,
    pub sessions: i64,
}

/// A new session as typed in the back-office.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    pub training_id: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub schedule: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub virtual_link: String,
}

/// A session checked and ready to be created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub training_id: i64,
    pub start: crate::domain::Date,
    pub end: crate::domain::Date,
    pub schedule: String,
    pub city: String,
    pub place: String,
    pub capacity: i64,
    pub virtual_link: Option<String>,
}

/// Checks a typed session; `today` bounds the dates (a session is planned ahead).
/// Errors: field -> French message.
pub fn parse_session(f: &SessionForm, today: crate::domain::Date) -> Result<NewSession, std::collections::BTreeMap<String, String>> {
    use crate::domain::Date;
    let mut errors = std::collections::BTreeMap::new();
    let mut err = |k: &str, m: &str| {
        errors.insert(k.to_string(), m.to_string());
    };
    let training_id = f.training_id.trim().parse::<i64>().ok();
    if training_id.is_none() {
        err("training_id", "Choisissez la formation.");
    }
    let start = Date::parse(f.start_date.trim());
    let end = Date::parse(f.end_date.trim());
    match start {
        None => err("start_date", "Saisissez la date de début (AAAA-MM-JJ)."),
        Some(s) if s.to_days() <= today.to_days() => err("start_date", "La session commence après aujourd'hui."),
        _ => {}
    }
    match (start, end) {
        (_, None) => err("end_date", "Saisissez la date de fin (AAAA-MM-JJ)."),
        (Some(s), Some(e)) if e.to_days() < s.to_days() => err("end_date", "La date de fin suit la date de début."),
        (Some(s), Some(e)) if e.to_days() - s.to_days() > 30 => err("end_date", "Une session dure 31 jours au plus."),
        _ => {}
    }
    if f.schedule.trim().is_empty() {
        err("schedule", "Saisissez les horaires, par exemple 9h00-12h30 / 14h00-17h30.");
    }
    if f.city.trim().is_empty() {
        err("city", "Saisissez la ville (ou « À distance »).");
    }
    if f.place.trim().is_empty() {
        err("place", "Saisissez le lieu : adresse, ou plateforme pour une session à distance.");
    }
    let capacity = f.capacity.trim().parse::<i64>().ok().filter(|c| (1..=500).contains(c));
    if capacity.is_none() {
        err("capacity", "Saisissez un nombre de places entre 1 et 500.");
    }
    let link = f.virtual_link.trim();
    if !link.is_empty() && !link.starts_with("https://") {
        err("virtual_link", "Le lien de classe virtuelle commence par https://.");
    }
    match (training_id, start, end, capacity) {
        (Some(training_id), Some(start), Some(end), Some(capacity)) if errors.is_empty() => Ok(NewSession {
            training_id,
            start,
            end,
            schedule: f.schedule.trim().to_string(),
            city: f.city.trim().to_string(),
            place: f.place.trim().to_string(),
            capacity,
            virtual_link: (!link.is_empty()).then(|| link.to_string()),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Date;

    fn form() -> SessionForm {
        SessionForm {
            training_id: "1".into(),
            start_date: "2027-02-01".into(),
            end_date: "2027-02-02".into(),
            schedule: "9h00-17h30".into(),
            city: "Paris".into(),
            place: "50 rue de Londres".into(),
            capacity: "20".into(),
            virtual_link: String::new(),
        }
    }

    #[test]
    fn a_session_is_checked_field_by_field() {
        let today = Date::parse("2027-01-10").unwrap();
        let s = parse_session(&form(), today).unwrap();
        assert_eq!((s.capacity, s.virtual_link), (20, None));
        let mut f = form();
        f.start_date = "2027-01-05".into();
        f.end_date = "2027-01-04".into();
        f.capacity = "0".into();
        f.virtual_link = "http://x".into();
        let e = parse_session(&f, today).unwrap_err();
        assert_eq!(e.keys().map(String::as_str).collect::<Vec<_>>(), vec!["capacity", "end_date", "start_date", "virtual_link"]);
        assert_eq!(e["start_date"], "La session commence après aujourd'hui.");
    }
}

/// A new training as typed in the back-office.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub objectives: String,
    #[serde(default)]
    pub programme: String,
    #[serde(default)]
    pub prerequisites: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub modality: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub price: String,
}

/// A training checked and ready to be created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTraining {
    pub code: String,
    pub title: String,
    pub summary: String,
    pub objectives: String,
    pub programme: String,
    pub prerequisites: String,
    pub audience: crate::domain::catalogue::Audience,
    pub modality: crate::domain::catalogue::Modality,
    pub hours: i64,
    pub price_cents: i64,
}

/// Checks a typed training. Errors: field -> French message.
pub fn parse_training(f: &TrainingForm) -> Result<NewTraining, std::collections::BTreeMap<String, String>> {
    use crate::domain::catalogue::{Audience, Modality};
    let mut errors = std::collections::BTreeMap::new();
    let code = f.code.trim().to_uppercase();
    if code.is_empty() || code.len() > 20 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errors.insert("code".into(), "Saisissez un code de 1 à 20 lettres, chiffres ou tirets.".into());
    }
    for (k, v, m) in [
        ("title", &f.title, "Saisissez l'intitulé."),
        ("summary", &f.summary, "Saisissez un résumé."),
        ("objectives", &f.objectives, "Saisissez au moins un objectif (un par ligne)."),
        ("programme", &f.programme, "Saisissez le programme (une partie par ligne)."),
    ] {
        if v.trim().is_empty() {
            errors.insert(k.into(), m.into());
        }
    }
    let audience = Audience::from_code(&f.audience);
    if audience.is_none() {
        errors.insert("audience".into(), "Choisissez le public.".into());
    }
    let modality = Modality::from_code(&f.modality);
    if modality.is_none() {
        errors.insert("modality".into(), "Choisissez la modalité.".into());
    }
    let hours = f.hours.trim().parse::<i64>().ok().filter(|h| (1..=200).contains(h));
    if hours.is_none() {
        errors.insert("hours".into(), "Saisissez une durée entre 1 et 200 heures.".into());
    }
    let price_cents = crate::domain::money::parse_eur(&f.price);
    if price_cents.is_none() {
        errors.insert("price".into(), "Saisissez un prix hors taxes en euros, par exemple 640,00.".into());
    }
    match (audience, modality, hours, price_cents) {
        (Some(audience), Some(modality), Some(hours), Some(price_cents)) if errors.is_empty() => Ok(NewTraining {
            code,
            title: f.title.trim().into(),
            summary: f.summary.trim().into(),
            objectives: f.objectives.trim().into(),
            programme: f.programme.trim().into(),
            prerequisites: f.prerequisites.trim().into(),
            audience,
            modality,
            hours,
            price_cents,
        }),
        _ => Err(errors),
    }
}
