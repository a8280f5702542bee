//! "Assistance à l'utilisation": how to reach the portal's help desk, shown in the
//! footer of every page and beside every error. Set by the operator
//! (`SUPPORT_PHONE`, `SUPPORT_EMAIL`, `SUPPORT_HOURS`).

use super::account::Phone;
use super::Email;
use serde::{Deserialize, Serialize};

/// Default of `SUPPORT_HOURS`.
pub const DEFAULT_HOURS: &str = "Du lundi au vendredi de 9 h à 18 h, hors jours fériés (heure de métropole)";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Support {
    /// As the operator wrote it ("01 59 03 12 61"); empty: not shown.
    pub phone: String,
    /// Empty: not shown.
    pub email: String,
    pub hours: String,
}

impl Support {
    /// From the settings as read (`None`: unset). Without `SUPPORT_EMAIL`, the help desk
    /// is `assistance@<host of the public URL>`; without `SUPPORT_PHONE`, no number is
    /// shown (none can be guessed). A value that is not a phone number or an address
    /// is refused, with the variable's name.
    pub fn from_settings(phone: Option<&str>, email: Option<&str>, hours: Option<&str>, public_url: &str) -> Result<Self, String> {
        let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => {
                Phone::parse(p).map_err(|e| format!("SUPPORT_PHONE: {e}"))?;
                p.to_string()
            }
            None => String::new(),
        };
        let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
            Some(e) => Email::parse(e).map_err(|m| format!("SUPPORT_EMAIL: {m}"))?.to_string(),
            None => host(public_url).map(|h| format!("assistance@{h}")).unwrap_or_default(),
        };
        let hours = hours.map(str::trim).filter(|h| !h.is_empty()).unwrap_or(DEFAULT_HOURS).to_string();
        Ok(Self { phone, email, hours })
    }

    /// Anything to show: a number or an address.
    pub fn is_shown(&self) -> bool {
        !self.phone.is_empty() || !self.email.is_empty()
    }

    /// `tel:` link target: the number without spaces nor dots.
    pub fn tel_href(&self) -> String {
        let number: String = self.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
        format!("tel:{number}")
    }
}

/// "portail.example.fr" of "https://portail.example.fr:8443/x".
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map(|(_, h)| h).unwrap_or(authority);
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next()?
    } else {
        authority.split(':').next()?
    };
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_name_the_portals_own_domain() {
        let s = Support::from_settings(None, None, None, "https://formation.cabinet.fr:8443/").unwrap();
        assert_eq!(s, Support { phone: String::new(), email: "assistance@formation.cabinet.fr".into(), hours: DEFAULT_HOURS.into() });
        assert!(s.is_shown());
        assert_eq!(Support::from_settings(None, Some(" "), Some(""), "http://127.0.0.1:3000").unwrap().email, "assistance@127.0.0.1");
    }

    #[test]
    fn settings_are_checked() {
        let s = Support::from_settings(Some("01 59 03 12 61"), Some("Aide@Cabinet.fr"), Some("24 h sur 24"), "https://x.fr").unwrap();
        assert_eq!((s.phone.as_str(), s.email.as_str(), s.hours.as_str()), ("01 59 03 12 61", "aide@cabinet.fr", "24 h sur 24"));
        assert_eq!(s.tel_href(), "tel:0159031261");
        assert!(Support::from_settings(Some("12"), None, None, "https://x.fr").unwrap_err().starts_with("SUPPORT_PHONE: "));
        assert!(Support::from_settings(None, Some("aide@"), None, "https://x.fr").unwrap_err().starts_with("SUPPORT_EMAIL: "));
        assert!(!Support::default().is_shown());
    }
}
