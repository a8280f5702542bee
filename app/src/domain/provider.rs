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
    /// "open", "closed", "cancelled".
    pub status: String,
    pub upcoming: bool,
}

impl ProviderSession {
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "open" => "Ouverte",
            "closed" => "Clôturée",
            "cancelled" => "Annulée",
            _ => "—",
        }
    }
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
    pub status: String,
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
