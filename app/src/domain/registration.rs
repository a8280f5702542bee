//! Registrations as shown in the spaces.

use super::code::coded;
use super::Date;
use serde::{Deserialize, Serialize};

/// Where a registration stands. The codes are those stored in `registrations.status`
/// (and the only place they are written in the code).
/// Serialised as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegistrationStatus {
    /// In its author's cart, holding its seat until `held_until`.
    Cart,
    /// Ordered, waiting for the provider to confirm it.
    Pending,
    /// Confirmed by the provider.
    Confirmed,
    /// The session took place (closed by the provider, with the time attended).
    Done,
    Cancelled,
    /// A cart hold that ran out: the seat went back to the session.
    Expired,
}

coded!(serde_as_code RegistrationStatus {
    Cart => "panier",
    Pending => "en_attente",
    Confirmed => "confirmee",
    Done => "realisee",
    Cancelled => "annulee",
    Expired => "expiree",
});

impl RegistrationStatus {
    /// The states that hold a seat (and may still be cancelled).
    pub const HOLDING_SEAT: [RegistrationStatus; 3] = [Self::Cart, Self::Pending, Self::Confirmed];
    /// Ordered and not cancelled: the registration is (or was) for real; it gets its
    /// agreement, its invoice, its questionnaire.
    pub const FIRM: [RegistrationStatus; 3] = [Self::Pending, Self::Confirmed, Self::Done];
    /// What the provider's roster and the company's filters show (out of the cart, not expired).
    pub const VISIBLE: [RegistrationStatus; 4] = [Self::Pending, Self::Confirmed, Self::Done, Self::Cancelled];
    /// Never confirmed: cancelled when the session closes.
    pub const UNCONFIRMED: [RegistrationStatus; 2] = [Self::Cart, Self::Pending];
    /// Over without taking place: an order whose registrations are all so is cancelled
    /// (any other makes it live).
    pub const ENDED: [RegistrationStatus; 2] = [Self::Cancelled, Self::Expired];

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cart => "dans le panier",
            Self::Pending => "en attente",
            Self::Confirmed => "confirmée",
            Self::Cancelled => "annulée",
            Self::Done => "réalisée",
            Self::Expired => "expirée",
        }
    }

    /// Does it hold a seat of the session? (Then it may still be cancelled.)
    pub fn holds_seat(self) -> bool {
        Self::HOLDING_SEAT.contains(&self)
    }

    /// See [`Self::FIRM`].
    pub fn is_firm(self) -> bool {
        Self::FIRM.contains(&self)
    }

    /// Ordered, the session still to come: its minutes are planned.
    pub fn is_planned(self) -> bool {
        matches!(self, Self::Pending | Self::Confirmed)
    }

    /// The training took place: its minutes are done, its certificate may be issued.
    pub fn is_done(self) -> bool {
        self == Self::Done
    }

    /// Confirmed participants get the virtual-class link, their attendance recorded,
    /// and become "réalisée" when the session closes.
    pub fn is_confirmed(self) -> bool {
        self == Self::Confirmed
    }

    /// The provider may confirm it.
    pub fn is_confirmable(self) -> bool {
        self == Self::Pending
    }

    /// Shown in the lists of registrations (an expired cart line is not).
    pub fn is_listed(self) -> bool {
        self != Self::Expired
    }
}

/// Which registrations of a company its list shows, as chosen in the list's filter:
/// one participant (his e-mail), one state (its code), one period (a [`Period`] code);
/// an empty or unknown choice keeps them all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationFilter {
    pub participant: String,
    pub status: String,
    pub period: String,
}

impl RegistrationFilter {
    /// The participant's e-mail, if one is chosen.
    pub fn participant(&self) -> Option<&str> {
        Some(self.participant.trim()).filter(|p| !p.is_empty())
    }

    pub fn status(&self) -> Option<RegistrationStatus> {
        RegistrationStatus::from_code(&self.status)
    }

    pub fn period(&self) -> Option<Period> {
        Period::from_code(&self.period)
    }
}

/// The sessions to come (they start after today), or those begun or past.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    Upcoming,
    Past,
}

coded!(Period {
    Upcoming => "a_venir",
    Past => "passees",
});

impl Period {
    pub fn label(self) -> &'static str {
        match self {
            Self::Upcoming => "À venir",
            Self::Past => "Passées",
        }
    }
}

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
    pub status: RegistrationStatus,
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
        self.upcoming && self.status.holds_seat()
    }

    /// May its participant still be replaced by another person of the firm
    /// ([`substitution_refusal`])?
    pub fn substitutable(&self) -> bool {
        substitution_refusal(self.status, self.upcoming).is_none()
    }

    /// Year of the session's start.
    pub fn year(&self) -> i32 {
        Date::parse(&self.start_date).map(|d| d.year).unwrap_or(0)
    }
}

/// Why the participant of a registration may not be replaced ("Remplacer le
/// participant"), or `None` when he may: only an ordered registration (en attente or
/// confirmée) whose session starts after today keeps its seat, order and invoice for
/// another person. `upcoming`: the session starts after today.
pub fn substitution_refusal(status: RegistrationStatus, upcoming: bool) -> Option<&'static str> {
    use RegistrationStatus::*;
    match status {
        Cancelled | Expired => Some("Cette inscription est annulée : son participant ne peut pas être remplacé."),
        Done => Some("Cette formation a eu lieu : son participant ne peut plus être remplacé."),
        Cart => Some("Cette inscription est encore dans le panier : retirez-la et inscrivez l'autre personne."),
        Pending | Confirmed if !upcoming => Some("La session a commencé : son participant ne peut plus être remplacé."),
        Pending | Confirmed => None,
    }
}

/// Minutes per year: (year, minutes done, minutes planned), most recent first.
pub fn minutes_per_year(lines: &[RegistrationLine]) -> Vec<(i32, i64, i64)> {
    let mut years: Vec<(i32, i64, i64)> = Vec::new();
    for l in lines {
        let (done, planned) = match l.status {
            s if s.is_done() => (l.minutes, 0),
            s if s.is_planned() => (0, l.minutes),
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

#[cfg(test)]
mod tests {
    use super::*;

    use RegistrationStatus::*;

    fn line(start: &str, status: RegistrationStatus, hours: i64, upcoming: bool) -> RegistrationLine {
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
            status,
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
            line("2026-03-02", Done, 14, false),
            line("2026-12-10", Pending, 7, true),
            line("2026-12-11", Cancelled, 21, true),
            line("2027-01-05", Confirmed, 3, true),
        ];
        assert_eq!(minutes_per_year(&lines), vec![(2027, 0, 180), (2026, 840, 420)]);
    }

    #[test]
    fn only_upcoming_live_registrations_can_be_cancelled() {
        assert!(line("2027-01-05", Pending, 7, true).cancellable());
        assert!(!line("2027-01-05", Cancelled, 7, true).cancellable());
        assert!(!line("2026-01-05", Confirmed, 7, false).cancellable());
    }

    #[test]
    fn only_ordered_registrations_to_come_change_participant() {
        for s in [Pending, Confirmed] {
            assert_eq!(substitution_refusal(s, true), None);
            assert!(substitution_refusal(s, false).unwrap().contains("a commencé"));
        }
        for s in [Cart, Done, Cancelled, Expired] {
            assert!(substitution_refusal(s, true).is_some(), "{s:?}");
            assert!(substitution_refusal(s, false).is_some(), "{s:?}");
        }
        assert!(line("2027-01-05", Confirmed, 7, true).substitutable());
        assert!(!line("2027-01-05", Cancelled, 7, true).substitutable());
        assert!(!line("2026-01-05", Pending, 7, false).substitutable());
    }

    #[test]
    fn codes_round_trip_and_stay_those_stored() {
        for s in RegistrationStatus::ALL {
            assert_eq!(RegistrationStatus::from_code(s.code()), Some(*s));
            assert_eq!(s.code().parse::<RegistrationStatus>(), Ok(*s));
        }
        let stored: Vec<&str> = RegistrationStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(stored, ["panier", "en_attente", "confirmee", "realisee", "annulee", "expiree"]);
        assert_eq!(RegistrationStatus::from_code(""), None);
        assert_eq!(RegistrationStatus::from_code("Confirmed"), None);
        assert_eq!(RegistrationStatus::from_code("confirmée"), None);
        assert!("pending".parse::<RegistrationStatus>().is_err());
        assert_eq!(Confirmed.label(), "confirmée");
        assert_eq!(Cart.label(), "dans le panier");
        // The JSON of the server functions carries the code, as before the enum.
        assert_eq!(serde_json::to_string(&Pending).unwrap(), "\"en_attente\"");
        assert_eq!(serde_json::from_str::<RegistrationStatus>("\"realisee\"").unwrap(), Done);
        assert!(serde_json::from_str::<RegistrationStatus>("\"Done\"").is_err());
    }

    #[test]
    fn the_filter_keeps_what_it_knows() {
        let f = RegistrationFilter { participant: "  ".into(), status: "realisee".into(), period: "a_venir".into() };
        assert_eq!((f.participant(), f.status(), f.period()), (None, Some(Done), Some(Period::Upcoming)));
        let f = RegistrationFilter { participant: "lea@x.fr".into(), status: "Done".into(), period: "hier".into() };
        assert_eq!((f.participant(), f.status(), f.period()), (Some("lea@x.fr"), None, None));
        assert_eq!(Period::Past.code(), "passees");
        assert_eq!(RegistrationFilter::default().status(), None);
    }

    #[test]
    fn rules_of_each_state() {
        let holding: Vec<_> = RegistrationStatus::ALL.iter().copied().filter(|s| s.holds_seat()).collect();
        assert_eq!(holding, [Cart, Pending, Confirmed]);
        let firm: Vec<_> = RegistrationStatus::ALL.iter().copied().filter(|s| s.is_firm()).collect();
        assert_eq!(firm, [Pending, Confirmed, Done]);
        let planned: Vec<_> = RegistrationStatus::ALL.iter().copied().filter(|s| s.is_planned()).collect();
        assert_eq!(planned, [Pending, Confirmed]);
        assert!(Done.is_done() && !Confirmed.is_done());
        assert!(Confirmed.is_confirmed() && !Pending.is_confirmed());
        assert!(Pending.is_confirmable() && !Cart.is_confirmable() && !Confirmed.is_confirmable());
        assert!(!Expired.is_listed() && Cancelled.is_listed() && Cart.is_listed());
        assert_eq!(crate::domain::code::sql_in(&RegistrationStatus::UNCONFIRMED), "'panier', 'en_attente'");
    }
}
