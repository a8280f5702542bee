//! The training provider's space (its staff): its sessions and what participants
//! thought of them.

use super::account::PostalCode;
use super::catalogue::{Audience, Modality};
use super::form::{parse_capacity, parse_int, FieldErrors, Text};
use super::identity::parse_vat;
use super::money::parse_eur;
use super::survey::TrainingSurveys;
use super::{Date, Money};
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
    /// One page of the provider's sessions, the upcoming first.
    pub sessions: super::page::Paged<ProviderSession>,
    /// Questionnaires per session ("title — period"), with their averages.
    pub surveys: Vec<TrainingSurveys>,
    /// Mails about the provider's sessions and invoices that could not be delivered
    /// ("Courriers non remis"), newest first.
    pub undelivered: Vec<UndeliveredMail>,
}

/// A mail the portal gave up sending, as the provider's staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndeliveredMail {
    pub to: String,
    pub subject: String,
    /// The last refusal or failure (the mail server's answer, in its own words).
    pub error: String,
    pub attempts: i64,
    /// When the portal gave up: "28/11/2026 à 07h05" (Paris).
    pub given_up: String,
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
    pub start: Date,
    pub end: Date,
    pub schedule: Text,
    pub city: Text,
    pub place: Text,
    pub capacity: i64,
    pub virtual_link: Option<String>,
}

impl SessionForm {
    /// Parses a typed session; `today` bounds the dates (a session is planned ahead).
    pub fn parse(&self, today: Date) -> Result<NewSession, FieldErrors> {
        let mut e = FieldErrors::new();
        let training_id = e.check("training_id", self.training_id.trim().parse::<i64>().map_err(|_| "Choisissez la formation."));
        let start = Date::parse(self.start_date.trim());
        let end = Date::parse(self.end_date.trim());
        let start_ok = e.check(
            "start_date",
            match start {
                None => Err("Saisissez la date de début (AAAA-MM-JJ)."),
                Some(s) if s.to_days() <= today.to_days() => Err("La session commence après aujourd'hui."),
                Some(s) => Ok(s),
            },
        );
        let end = e.check(
            "end_date",
            match (start, end) {
                (_, None) => Err("Saisissez la date de fin (AAAA-MM-JJ)."),
                (Some(s), Some(end)) if end.to_days() < s.to_days() => Err("La date de fin suit la date de début."),
                (Some(s), Some(end)) if end.to_days() - s.to_days() > 30 => Err("Une session dure 31 jours au plus."),
                (_, Some(end)) => Ok(end),
            },
        );
        let schedule =
            e.check("schedule", Text::parse(&self.schedule, "Saisissez les horaires, par exemple 9h00-12h30 / 14h00-17h30."));
        let city = e.check("city", Text::parse(&self.city, "Saisissez la ville (ou « À distance »)."));
        let place =
            e.check("place", Text::parse(&self.place, "Saisissez le lieu : adresse, ou plateforme pour une session à distance."));
        let capacity = e.check("capacity", parse_capacity(&self.capacity));
        let link = self.virtual_link.trim();
        let virtual_link = e.check(
            "virtual_link",
            match link {
                "" => Ok(None),
                l if l.starts_with("https://") => Ok(Some(l.to_string())),
                _ => Err("Le lien de classe virtuelle commence par https://."),
            },
        );
        let valid = (|| {
            Some(NewSession {
                training_id: training_id?,
                start: start_ok?,
                end: end?,
                schedule: schedule?,
                city: city?,
                place: place?,
                capacity: capacity?,
                virtual_link: virtual_link?,
            })
        })();
        e.finish(valid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let s = form().parse(today).unwrap();
        assert_eq!((s.capacity, s.virtual_link), (20, None));
        let mut f = form();
        f.start_date = "2027-01-05".into();
        f.end_date = "2027-01-04".into();
        f.capacity = "0".into();
        f.virtual_link = "http://x".into();
        let e = f.parse(today).unwrap_err();
        assert_eq!(e.iter().map(|(k, _)| k).collect::<Vec<_>>(), vec!["capacity", "end_date", "start_date", "virtual_link"]);
        assert_eq!(e.get("start_date"), Some("La session commence après aujourd'hui."));
        assert_eq!(e.get("end_date"), Some("La date de fin suit la date de début."));
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
    /// 1 to 20 capital letters, digits or hyphens.
    pub code: String,
    pub title: Text,
    pub summary: Text,
    pub objectives: Text,
    pub programme: Text,
    /// Optional.
    pub prerequisites: String,
    pub audience: Audience,
    pub modality: Modality,
    pub hours: i64,
    pub price: Money,
}

impl TrainingForm {
    pub fn parse(&self) -> Result<NewTraining, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = self.code.trim().to_uppercase();
        let code_ok = !code.is_empty() && code.len() <= 20 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        let code = e.check("code", if code_ok { Ok(code) } else { Err("Saisissez un code de 1 à 20 lettres, chiffres ou tirets.") });
        let title = e.check("title", Text::parse(&self.title, "Saisissez l'intitulé."));
        let summary = e.check("summary", Text::parse(&self.summary, "Saisissez un résumé."));
        let objectives = e.check("objectives", Text::parse(&self.objectives, "Saisissez au moins un objectif (un par ligne)."));
        let programme = e.check("programme", Text::parse(&self.programme, "Saisissez le programme (une partie par ligne)."));
        let audience = e.check("audience", Audience::from_code(&self.audience).ok_or("Choisissez le public."));
        let modality = e.check("modality", Modality::from_code(&self.modality).ok_or("Choisissez la modalité."));
        let hours = e.check("hours", parse_int(&self.hours, 1..=200, "Saisissez une durée entre 1 et 200 heures."));
        let price = e.check(
            "price",
            parse_eur(&self.price).map(Money).ok_or("Saisissez un prix hors taxes en euros, par exemple 640,00."),
        );
        let valid = (|| {
            Some(NewTraining {
                code: code?,
                title: title?,
                summary: summary?,
                objectives: objectives?,
                programme: programme?,
                prerequisites: self.prerequisites.trim().into(),
                audience: audience?,
                modality: modality?,
                hours: hours?,
                price: price?,
            })
        })();
        e.finish(valid)
    }
}

/// The provider's information as typed by its staff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderSettingsForm {
    pub vat_exempt: bool,
    pub vat_number: String,
    pub activity_number: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub payment_days: String,
}

impl ProviderSettingsForm {
    /// The settings, under the provider's `name` (not editable here).
    pub fn parse(&self, name: String) -> Result<ProviderSettings, FieldErrors> {
        let mut e = FieldErrors::new();
        let vat_number = e.check(
            "vat_number",
            parse_vat(&self.vat_number, None).and_then(|v| match v {
                None if !self.vat_exempt => Err("Un organisme assujetti à la TVA indique son numéro de TVA intracommunautaire."),
                v => Ok(v.unwrap_or_default()),
            }),
        );
        let activity_number =
            e.check("activity_number", Text::parse(&self.activity_number, "Saisissez le numéro de déclaration d'activité."));
        let address_line = e.check("address_line", Text::parse(&self.address_line, "Saisissez l'adresse."));
        let postal_code = e.check("postal_code", PostalCode::parse(&self.postal_code));
        let city = e.check("city", Text::parse(&self.city, "Saisissez la ville."));
        let payment_days = e.check(
            "payment_days",
            parse_int(&self.payment_days, 0..=60, "Le délai de paiement va de 0 à 60 jours (article L441-10 du Code de commerce)."),
        );
        let valid = (|| {
            Some(ProviderSettings {
                name,
                vat_exempt: self.vat_exempt,
                vat_number: vat_number?,
                activity_number: activity_number?.into(),
                address_line: address_line?.into(),
                postal_code: postal_code?.into_string(),
                city: city?.into(),
                payment_days: payment_days?,
            })
        })();
        e.finish(valid)
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    fn training() -> TrainingForm {
        TrainingForm {
            code: " cac-01 ".into(),
            title: "Révision légale".into(),
            summary: "Les fondamentaux.".into(),
            objectives: "Planifier".into(),
            programme: "Jour 1".into(),
            prerequisites: String::new(),
            audience: Audience::Cac.code().into(),
            modality: Modality::ALL[0].code().into(),
            hours: "14".into(),
            price: "640,50".into(),
        }
    }

    #[test]
    fn a_training_parses() {
        let t = training().parse().unwrap();
        assert_eq!((t.code.as_str(), t.hours, t.price), ("CAC-01", 14, Money(64_050)));
    }

    #[test]
    fn each_bad_training_field_has_its_message() {
        let cases: [crate::domain::form::Spoiled<TrainingForm>; 9] = [
            ("code", |f| f.code = "a b".into(), "Saisissez un code de 1 à 20 lettres, chiffres ou tirets."),
            ("title", |f| f.title.clear(), "Saisissez l'intitulé."),
            ("summary", |f| f.summary = " ".into(), "Saisissez un résumé."),
            ("objectives", |f| f.objectives.clear(), "Saisissez au moins un objectif (un par ligne)."),
            ("programme", |f| f.programme.clear(), "Saisissez le programme (une partie par ligne)."),
            ("audience", |f| f.audience = "x".into(), "Choisissez le public."),
            ("modality", |f| f.modality.clear(), "Choisissez la modalité."),
            ("hours", |f| f.hours = "201".into(), "Saisissez une durée entre 1 et 200 heures."),
            ("price", |f| f.price = "0".into(), "Saisissez un prix hors taxes en euros, par exemple 640,00."),
        ];
        crate::domain::form::assert_fields_refused(training, &cases, |f| f.parse(), 9);
    }

    fn settings() -> ProviderSettingsForm {
        ProviderSettingsForm {
            vat_exempt: true,
            vat_number: String::new(),
            activity_number: "11 75 12345 75".into(),
            address_line: "50 rue de Londres".into(),
            postal_code: "75008".into(),
            city: "Paris".into(),
            payment_days: "30".into(),
        }
    }

    #[test]
    fn provider_settings() {
        let s = settings().parse("Organisme".into()).unwrap();
        assert_eq!((s.name.as_str(), s.vat_number.as_str(), s.payment_days), ("Organisme", "", 30));
        let mut taxed = settings();
        taxed.vat_exempt = false;
        assert!(taxed.parse(String::new()).unwrap_err().get("vat_number").unwrap().contains("assujetti"));
        let cases: [crate::domain::form::Spoiled<ProviderSettingsForm>; 6] = [
            ("vat_number", |f| f.vat_number = "FR1".into(), "Numéro de TVA invalide (format : FR + 2 chiffres + SIREN, ex. FR40303265045)."),
            ("activity_number", |f| f.activity_number.clear(), "Saisissez le numéro de déclaration d'activité."),
            ("address_line", |f| f.address_line.clear(), "Saisissez l'adresse."),
            ("postal_code", |f| f.postal_code.clear(), "Le code postal compte 5 chiffres."),
            ("city", |f| f.city.clear(), "Saisissez la ville."),
            ("payment_days", |f| f.payment_days = "61".into(), "Le délai de paiement va de 0 à 60 jours (article L441-10 du Code de commerce)."),
        ];
        crate::domain::form::assert_fields_refused(settings, &cases, |f| f.parse(String::new()), 6);
    }
}
