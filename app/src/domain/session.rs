//! Where a training session stands.

use super::code::coded;

/// The codes are those stored in `training_sessions.status` (and the only place they are
/// written in the code).
/// Serialised as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SessionStatus {
    /// Takes registrations; its provider may confirm, cancel or close it.
    Open,
    /// Closed after its last day: its confirmed registrations are done.
    Closed,
    Cancelled,
}

coded!(serde_as_code SessionStatus {
    Open => "open",
    Closed => "closed",
    Cancelled => "cancelled",
});

impl SessionStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Ouverte",
            Self::Closed => "Clôturée",
            Self::Cancelled => "Annulée",
        }
    }

    /// Open: it takes registrations, is shown in the catalogue, and still changes
    /// (confirmation, cancellation, attendance, capacity, closing). Closed and
    /// cancelled sessions no longer change.
    pub fn is_open(self) -> bool {
        self == Self::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_rules() {
        for s in SessionStatus::ALL {
            assert_eq!(SessionStatus::from_code(s.code()), Some(*s));
            assert_eq!(s.code().parse::<SessionStatus>(), Ok(*s));
        }
        let stored: Vec<&str> = SessionStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(stored, ["open", "closed", "cancelled"]);
        assert_eq!(SessionStatus::from_code("Open"), None);
        assert!("".parse::<SessionStatus>().is_err());
        assert_eq!(SessionStatus::Closed.label(), "Clôturée");
        assert!(SessionStatus::Open.is_open() && !SessionStatus::Closed.is_open() && !SessionStatus::Cancelled.is_open());
        // The JSON of the server functions carries the code.
        assert_eq!(serde_json::to_string(&SessionStatus::Cancelled).unwrap(), "\"cancelled\"");
        assert_eq!(serde_json::from_str::<SessionStatus>("\"closed\"").unwrap(), SessionStatus::Closed);
        assert!(serde_json::from_str::<SessionStatus>("\"Closed\"").is_err());
    }
}
