//! How long the portal keeps what has no lasting reason to stay: the one table of
//! durations. The daily purge (`server::retention::purge`) deletes by it and the privacy
//! page (`/confidentialite`) shows it, so what is promised is what is done.

/// One day, in seconds.
pub const DAY: i64 = 24 * 3600;

/// A browser session unused for this long is over (1 hour)...
pub const SESSION_IDLE_SECS: i64 = 3600;
/// ...and this long after it began, used or not (12 hours).
pub const SESSION_MAX_SECS: i64 = 12 * 3600;
/// An invitation to create an account can be used for this long (7 days).
pub const INVITATION_SECS: i64 = 7 * DAY;

/// What the purge removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// The text of a mail sent (it may hold a link that still works): blanked, the row
    /// (address, subject, date) stays, for the hourly mail count of each account.
    MailBody,
    /// A browser session that is over (idle or too old), with its drafts.
    EndedSession,
    /// What a visitor typed in a form and did not send (kept per session).
    Draft,
    /// A mailed link (address confirmation, new password, new address), expired or used.
    AccountLink,
    /// An invitation to create an account, expired or used.
    Invitation,
    /// A failed log-in (address and time), counted for the lock-out.
    FailedLogin,
}

/// A kind and how long it stays after its reference moment (`after`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub kind: Kind,
    /// Seconds kept after the reference moment.
    pub secs: i64,
    /// What is removed, as the privacy page says it.
    pub what: &'static str,
    /// The reference moment, as the privacy page says it ("après l'envoi").
    pub after: &'static str,
}

/// The table: every duration of the purge, here and nowhere else.
pub const RULES: [Rule; 6] = [
    Rule { kind: Kind::MailBody, secs: 30 * DAY, what: "Texte des messages envoyés (il peut contenir un lien)", after: "après l'envoi" },
    Rule { kind: Kind::EndedSession, secs: 0, what: "Sessions de connexion terminées", after: "dès la fin de la session" },
    Rule { kind: Kind::Draft, secs: DAY, what: "Brouillons de formulaires non envoyés", after: "après la dernière saisie" },
    Rule { kind: Kind::AccountLink, secs: DAY, what: "Liens envoyés par courriel (confirmation, mot de passe, adresse)", after: "après leur expiration ou leur usage" },
    Rule { kind: Kind::Invitation, secs: DAY, what: "Invitations à créer un compte", after: "après leur expiration ou leur usage" },
    Rule { kind: Kind::FailedLogin, secs: DAY, what: "Tentatives de connexion échouées", after: "après la tentative" },
];

/// How long `kind` stays after its reference moment.
pub const fn keep_secs(kind: Kind) -> i64 {
    let mut i = 0;
    while i < RULES.len() {
        if RULES[i].kind as u8 == kind as u8 {
            return RULES[i].secs;
        }
        i += 1;
    }
    panic!("every kind has its rule")
}

/// A duration in French words: "30 jours", "24 heures", "1 heure", "immédiatement".
pub fn duration_fr(secs: i64) -> String {
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    match secs {
        s if s <= 0 => "immédiatement".to_string(),
        s if s % DAY == 0 && s > DAY => plural(s / DAY, "jour", "jours"),
        s if s % 3600 == 0 => plural(s / 3600, "heure", "heures"),
        s => plural((s + 59) / 60, "minute", "minutes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_rule() {
        for kind in [Kind::MailBody, Kind::EndedSession, Kind::Draft, Kind::AccountLink, Kind::Invitation, Kind::FailedLogin] {
            assert_eq!(RULES.iter().filter(|r| r.kind == kind).count(), 1, "{kind:?}");
        }
        assert_eq!(keep_secs(Kind::MailBody), 30 * DAY, "the issue asks for 30 days");
        assert_eq!(keep_secs(Kind::EndedSession), 0);
    }

    #[test]
    fn durations_in_words() {
        assert_eq!(duration_fr(30 * DAY), "30 jours");
        assert_eq!(duration_fr(DAY), "24 heures");
        assert_eq!(duration_fr(3600), "1 heure");
        assert_eq!(duration_fr(12 * 3600), "12 heures");
        assert_eq!(duration_fr(0), "immédiatement");
        assert_eq!(duration_fr(90), "2 minutes");
    }
}
