//! Registrations as shown in the spaces.

use super::Date;
use serde::{Deserialize, Serialize};

/// One line of "my trainings" or of a company's registrations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationLine {
    pub id: i64,
    pub training_id: i64,
    pub training_title: String,
    pub start_date: String,
    pub end_date: String,
    pub schedule: String,
    pub city: String,
    pub place: String,
    pub status: String,
    pub participant_name: String,
    pub participant_email: String,
    pub company_name: Option<String>,
}

impl RegistrationLine {
    pub fn period(&self) -> String {
        match (Date::parse(&self.start_date), Date::parse(&self.end_date)) {
            (Some(s), Some(e)) => super::date::period_fr(s, e),
            _ => self.start_date.clone(),
        }
    }
}

/// French label of a registration status code.
pub fn status_label(code: &str) -> &'static str {
    match code {
        "en_attente" => "en attente",
        "confirmee" => "confirmée",
        "annulee" => "annulée",
        "realisee" => "réalisée",
        _ => "inconnu",
    }
}
