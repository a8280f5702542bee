//! Registrations as shown in the spaces.

use super::Date;
use serde::{Deserialize, Serialize};

/// One line of "my trainings" or of a company's registrations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationLine {
    pub id: i64,
    pub session_id: i64,
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
    /// Minutes of training: the session's duration, or the time attended once the
    /// provider closed the session.
    pub minutes: i64,
    /// The virtual-class link, once the registration is confirmed.
    pub link: Option<String>,
    /// Starts after today (decided on the server, so both sides render the same).
    pub upcoming: bool,
}

impl RegistrationLine {
    pub fn period(&self) -> String {
        match (Date::parse(&self.start_date), Date::parse(&self.end_date)) {
            (Some(s), Some(e)) => super::date::period_fr(s, e),
            _ => self.start_date.clone(),
        }
    }
}

impl RegistrationLine {
    /// May it still be cancelled (before the session, not already cancelled or done)?
    pub fn cancellable(&self) -> bool {
        self.upcoming && matches!(self.status.as_str(), "panier" | "en_attente" | "confirmee")
    }

    /// Year of the session's start.
    pub fn year(&self) -> i32 {
        Date::parse(&self.start_date).map(|d| d.year).unwrap_or(0)
    }
}

/// Minutes per year: (year, minutes done, minutes planned), most recent first.
pub fn minutes_per_year(lines: &[RegistrationLine]) -> Vec<(i32, i64, i64)> {
    let mut years: Vec<(i32, i64, i64)> = Vec::new();
    for l in lines {
        let (done, planned) = match l.status.as_str() {
            "realisee" => (l.minutes, 0),
            "en_attente" | "confirmee" => (0, l.minutes),
            _ => continue,
        };
        match years.iter_mut().find(|y| y.0 == l.year()) {
            Some(y) => {
                y.1 += done;
                y.2 += planned;
            }
            None => years.push((l.year(), done, planned)),
        }
    }
    years.sort_by_key(|y| std::cmp::Reverse(y.0));
    years
}

/// French label of a registration status code.
pub fn status_label(code: &str) -> &'static str {
    match code {
        "panier" => "dans le panier",
        "en_attente" => "en attente",
        "confirmee" => "confirmée",
        "annulee" => "annulée",
        "realisee" => "réalisée",
        _ => "inconnu",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(start: &str, status: &str, hours: i64, upcoming: bool) -> RegistrationLine {
        RegistrationLine {
            id: 1,
            session_id: 1,
            training_id: 1,
            training_title: "T".into(),
            start_date: start.into(),
            end_date: start.into(),
            schedule: String::new(),
            city: String::new(),
            place: String::new(),
            status: status.into(),
            participant_name: String::new(),
            participant_email: String::new(),
            company_name: None,
            minutes: hours * 60,
            link: None,
            upcoming,
        }
    }

    #[test]
    fn hours_are_counted_per_year() {
        let lines = vec![
            line("2026-03-02", "realisee", 14, false),
            line("2026-12-10", "en_attente", 7, true),
            line("2026-12-11", "annulee", 21, true),
            line("2027-01-05", "confirmee", 3, true),
        ];
        assert_eq!(minutes_per_year(&lines), vec![(2027, 0, 180), (2026, 840, 420)]);
    }

    #[test]
    fn only_upcoming_live_registrations_can_be_cancelled() {
        assert!(line("2027-01-05", "en_attente", 7, true).cancellable());
        assert!(!line("2027-01-05", "annulee", 7, true).cancellable());
        assert!(!line("2026-01-05", "confirmee", 7, false).cancellable());
    }
}
