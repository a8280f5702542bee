//! The waiting list of a full session: where an entry stands, how long an offer lasts,
//! how many offers a session makes, and the lines the firm and the provider see.
//!
//! An entry waits in the order of its arrival. A seat that frees up is offered to the
//! first waiting entry and held for it [`OFFER_SECS`] (the seat stays taken, held by the
//! offer); taken, the offer becomes a cart registration on that seat; lapsed or
//! withdrawn, the seat is offered to the next entry.

use super::code::coded;
use serde::{Deserialize, Serialize};

/// How long an offered seat is held for the entry it is offered to: 48 hours.
pub const OFFER_SECS: i64 = 48 * 3600;

/// Where an entry stands. The codes are those stored in `waitlist_entries.status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WaitlistStatus {
    /// On the list, waiting for a seat.
    Waiting,
    /// A seat is held for it until `offer_expires_at`.
    Offered,
    /// The offer was taken: the seat went into the firm's cart.
    Taken,
    /// The offer ran out: the seat went to the next entry.
    Lapsed,
    /// Taken off the list by the firm (or the participant was registered otherwise).
    Withdrawn,
    /// The session was cancelled, closed or began: the list is over.
    Closed,
}

coded!(serde_as_code WaitlistStatus {
    Waiting => "attend",
    Offered => "proposee",
    Taken => "acceptee",
    Lapsed => "offre_echue",
    Withdrawn => "retiree",
    Closed => "close",
});

impl WaitlistStatus {
    /// Still on the list: waiting, or holding an offered seat.
    pub const ACTIVE: [WaitlistStatus; 2] = [Self::Waiting, Self::Offered];

    pub fn label(self) -> &'static str {
        match self {
            Self::Waiting => "sur liste d'attente",
            Self::Offered => "place proposée",
            Self::Taken => "place acceptée",
            Self::Lapsed => "proposition expirée",
            Self::Withdrawn => "retirée de la liste",
            Self::Closed => "liste close",
        }
    }

    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }

    /// An offered entry holds one seat of the session (counted in `seats_taken`).
    pub fn holds_seat(self) -> bool {
        self == Self::Offered
    }
}

/// How many offers a session makes now: one per free seat, as long as entries wait.
/// A session that is not open to registrations any more makes none.
pub fn offers_to_make(capacity: i64, seats_taken: i64, waiting: u64, open: bool) -> u64 {
    if !open {
        return 0;
    }
    let free = u64::try_from(capacity - seats_taken).unwrap_or(0);
    free.min(waiting)
}

/// Whether an offer made until `expires_at` may still be taken at `now` (the last second
/// included).
pub fn offer_open(expires_at: Option<i64>, now: i64) -> bool {
    expires_at.is_some_and(|t| now <= t)
}

/// Why a join is refused, or the entry's rank once on the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinOutcome {
    /// On the list; its rank among those waiting (1: next to be offered a seat).
    Joined { entry_id: i64, rank: i64 },
    /// Seats are free: register directly.
    NotFull,
    /// Already waiting (or offered a seat) on this session's list.
    AlreadyOnList,
    /// Already registered to the session.
    AlreadyRegistered,
    /// Cancelled, closed, or begun: no list any more.
    SessionClosed,
}

impl JoinOutcome {
    /// What the firm is told.
    pub fn message(&self, participant: &str) -> String {
        match self {
            Self::Joined { rank: 1, .. } => format!("{participant} est inscrit(e) sur liste d'attente, en première position."),
            Self::Joined { rank, .. } => format!("{participant} est inscrit(e) sur liste d'attente, en position {rank}."),
            Self::NotFull => "Des places sont disponibles : inscrivez directement depuis le catalogue (bouton INSCRIPTION).".into(),
            Self::AlreadyOnList => format!("{participant} est déjà sur la liste d'attente de cette session."),
            Self::AlreadyRegistered => format!("{participant} est déjà inscrit(e) à cette session."),
            Self::SessionClosed => "Cette session n'accepte plus d'inscription.".into(),
        }
    }
}

/// What became of a click on "Accepter la place".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimOutcome {
    /// The seat is in the claimer's cart: this registration.
    Claimed { registration_id: i64 },
    /// Nothing is offered to this entry (yet): it still waits for a seat.
    NotOffered,
    /// The offer ran out; the seat went to the next person.
    Lapsed,
    /// The offer was already taken (by another click).
    AlreadyTaken,
    /// The participant was registered to the session otherwise: the seat went on.
    AlreadyRegistered,
    /// Withdrawn, or the session's list is over.
    Ended,
}

impl ClaimOutcome {
    /// The refusal shown for anything but [`ClaimOutcome::Claimed`].
    pub fn refusal(&self) -> Option<&'static str> {
        match self {
            Self::Claimed { .. } => None,
            Self::NotOffered => Some("Aucune place n'est encore proposée à cette personne : elle reste sur la liste d'attente."),
            Self::Lapsed => Some("Le délai de 48 heures pour accepter cette place est dépassé : elle a été proposée à la personne suivante."),
            Self::AlreadyTaken => Some("Cette place a déjà été acceptée."),
            Self::AlreadyRegistered => Some("Cette personne est déjà inscrite à la session : la place a été proposée à la personne suivante."),
            Self::Ended => Some("Cette demande de liste d'attente n'est plus active."),
        }
    }
}

/// An entry as the firm sees it (Mes espaces, the session's waiting-list page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitlistLine {
    pub id: i64,
    pub session_id: i64,
    pub training_id: i64,
    pub training_title: String,
    /// "du 14/01/2027 au 15/01/2027".
    pub period: String,
    pub city: String,
    pub company_id: i64,
    pub company_name: String,
    pub participant_name: String,
    pub participant_email: String,
    pub status: WaitlistStatus,
    /// Among the entries waiting, its rank (1: the next to be offered a seat).
    pub rank: Option<i64>,
    /// Until when the offered seat is held.
    pub offer_expires_at: Option<i64>,
    /// Whether the viewer may take the offer or withdraw the entry (he may register for
    /// its company).
    pub may_act: bool,
}

impl WaitlistLine {
    /// "Rang 2 sur la liste d'attente", "Place proposée jusqu'au 14/01/2027 à 10h30"…
    pub fn standing(&self) -> String {
        match (self.status, self.rank, self.offer_expires_at) {
            (WaitlistStatus::Waiting, Some(rank), _) => format!("Rang {rank} sur la liste d'attente"),
            (WaitlistStatus::Offered, _, Some(until)) => format!("Place proposée jusqu'au {}", super::date::paris_datetime(until)),
            (s, _, _) => capitalised(s.label()),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// An entry of a session's list as the provider's staff see it, in the list's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderWaitlistLine {
    /// Its number in the list's order (1 first), over every entry ever made.
    pub position: i64,
    pub participant_name: String,
    pub participant_email: String,
    pub company_name: String,
    pub status: WaitlistStatus,
    pub requested_at: i64,
    pub offer_expires_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for s in WaitlistStatus::ALL {
            assert_eq!(WaitlistStatus::from_code(s.code()), Some(*s));
            assert!(!s.label().is_empty());
        }
        assert_eq!(WaitlistStatus::from_code("inconnu"), None);
        assert_eq!(serde_json::to_string(&WaitlistStatus::Offered).unwrap(), "\"proposee\"");
    }

    #[test]
    fn only_an_offer_holds_a_seat_and_only_waiting_or_offered_are_active() {
        let holding: Vec<_> = WaitlistStatus::ALL.iter().filter(|s| s.holds_seat()).collect();
        assert_eq!(holding, vec![&WaitlistStatus::Offered]);
        let active: Vec<_> = WaitlistStatus::ALL.iter().copied().filter(|s| s.is_active()).collect();
        assert_eq!(active, WaitlistStatus::ACTIVE.to_vec());
    }

    #[test]
    fn one_offer_per_free_seat_while_people_wait() {
        assert_eq!(offers_to_make(10, 10, 5, true), 0);
        assert_eq!(offers_to_make(10, 9, 5, true), 1);
        assert_eq!(offers_to_make(12, 9, 5, true), 3);
        assert_eq!(offers_to_make(12, 2, 5, true), 5);
        assert_eq!(offers_to_make(12, 9, 0, true), 0);
        // More seats taken than the capacity never happens; it offers nothing.
        assert_eq!(offers_to_make(10, 11, 5, true), 0);
        assert_eq!(offers_to_make(12, 2, 5, false), 0);
    }

    #[test]
    fn an_offer_lasts_48_hours_to_the_second() {
        let made = 1_000_000;
        let until = made + OFFER_SECS;
        assert_eq!(OFFER_SECS, 172_800);
        assert!(offer_open(Some(until), made));
        assert!(offer_open(Some(until), until));
        assert!(!offer_open(Some(until), until + 1));
        assert!(!offer_open(None, made));
    }

    #[test]
    fn messages_say_what_happened() {
        assert_eq!(
            JoinOutcome::Joined { entry_id: 1, rank: 1 }.message("Léa Petit"),
            "Léa Petit est inscrit(e) sur liste d'attente, en première position."
        );
        assert!(JoinOutcome::Joined { entry_id: 1, rank: 3 }.message("Léa Petit").ends_with("en position 3."));
        assert!(JoinOutcome::NotFull.message("x").contains("INSCRIPTION"));
        assert_eq!(ClaimOutcome::Claimed { registration_id: 4 }.refusal(), None);
        for o in [ClaimOutcome::NotOffered, ClaimOutcome::Lapsed, ClaimOutcome::AlreadyTaken, ClaimOutcome::AlreadyRegistered, ClaimOutcome::Ended] {
            assert!(o.refusal().is_some_and(|m| m.ends_with('.')), "{o:?}");
        }
    }

    #[test]
    fn standing_of_a_line() {
        let mut l = WaitlistLine {
            id: 1,
            session_id: 2,
            training_id: 3,
            training_title: "T".into(),
            period: "du 01/02/2027 au 02/02/2027".into(),
            city: "Lyon".into(),
            company_id: 4,
            company_name: "Cabinet".into(),
            participant_name: "Léa Petit".into(),
            participant_email: "lea@x.fr".into(),
            status: WaitlistStatus::Waiting,
            rank: Some(2),
            offer_expires_at: None,
            may_act: true,
        };
        assert_eq!(l.standing(), "Rang 2 sur la liste d'attente");
        l.status = WaitlistStatus::Offered;
        l.offer_expires_at = Some(0);
        assert!(l.standing().starts_with("Place proposée jusqu'au 01/01/1970"), "{}", l.standing());
        l.status = WaitlistStatus::Lapsed;
        assert_eq!(l.standing(), "Proposition expirée");
    }
}
