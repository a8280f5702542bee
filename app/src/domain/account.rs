//! The individual, nominative account: what a person types to create it.

use super::form::{FieldError, FieldErrors, Text};
use super::Email;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The logged-in user, as the pages and the services know him. His address is private:
/// what is granted to an address (roles, staff seat, registrations, documents,
/// questionnaires) is looked up only through `proven_email`, which is `None` until he
/// has proven he owns it; `email` is for showing and writing to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    email: String,
    pub first_name: String,
    pub last_name: String,
    email_confirmed: bool,
    /// A second factor (TOTP) protects the account: every session of it passed it.
    #[serde(default)]
    pub second_factor: bool,
}

impl CurrentUser {
    pub fn new(id: i64, email: String, first_name: String, last_name: String, email_confirmed: bool) -> Self {
        Self { id, email, first_name, last_name, email_confirmed, second_factor: false }
    }

    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The address as the account holds it: to show, to mail, to pre-fill a form —
    /// never to find what is granted to it (see `proven_email`).
    pub fn email(&self) -> &str {
        &self.email
    }

    /// Whether the owner has proven the address (confirmation link or invitation).
    pub fn is_confirmed(&self) -> bool {
        self.email_confirmed
    }

    /// The address to look up what is granted to it, once proven; `None` before, so
    /// that an unproven account matches nothing, like a stranger.
    pub fn proven_email(&self) -> Option<ProvenEmail<'_>> {
        self.email_confirmed.then_some(ProvenEmail(&self.email))
    }
}

/// An address its owner has proven: only `CurrentUser::proven_email` makes one, and
/// every lookup of what is granted to the caller's address takes one, so a lookup by an
/// unproven address does not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProvenEmail<'a>(&'a str);

impl<'a> ProvenEmail<'a> {
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

pub const PROFESSIONS: [(&str, &str); 4] = [
    ("cac", "Commissaire aux comptes"),
    ("ec", "Expert-comptable"),
    ("collaborateur", "Collaborateur de cabinet"),
    ("autre", "Autre"),
];

pub const CIVILITIES: [(&str, &str); 2] = [("mme", "Madame"), ("m", "Monsieur")];

pub const MIN_PASSWORD_LEN: usize = 10;

/// The account form as typed (the password is never kept here).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub profession: String,
    pub professional_number: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
}

/// A form's last submission: values to show again and a French message per field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormState<T> {
    pub values: T,
    pub errors: BTreeMap<String, String>,
    pub notice: Option<String>,
}

/// A signup form that parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSignup {
    pub civility: String,
    pub first_name: Text,
    pub last_name: Text,
    pub email: Email,
    pub phone: Phone,
    pub profession: String,
    /// Empty for professions without a register.
    pub professional_number: String,
    pub address_line: Text,
    pub postal_code: PostalCode,
    pub city: Text,
}

/// A new password, typed twice.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(password: &str, confirm: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        if password.chars().count() < MIN_PASSWORD_LEN {
            e.add("password", "Le mot de passe doit compter au moins 10 caractères.");
        } else if password.len() > 256 {
            e.add("password", "Le mot de passe est trop long (256 caractères au plus).");
        } else if password != confirm {
            e.add("password_confirm", "Les deux mots de passe ne sont pas identiques.");
        }
        e.finish(Some(Self(password.to_string())))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// A French telephone number (10 digits from 0) or an international one (+ and 8 to 15
/// digits), without its separators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        let ok = (digits.len() == 10 && digits.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit()))
            || (digits.starts_with('+')
                && (8..=15).contains(&(digits.len() - 1))
                && digits[1..].chars().all(|c| c.is_ascii_digit()));
        if ok {
            Ok(Self(digits))
        } else {
            Err("Numéro de téléphone invalide (10 chiffres, ex. 01 23 45 67 89).")
        }
    }

    /// An optional number: nothing typed is `None`.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, FieldError> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            Self::parse(raw).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A French postal code: 5 digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let v = raw.trim();
        if v.len() == 5 && v.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(v.to_string()))
        } else {
            Err("Le code postal compte 5 chiffres.")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl SignupForm {
    pub fn parse(&self) -> Result<ValidSignup, FieldErrors> {
        let mut e = FieldErrors::new();
        let civility = e.check(
            "civility",
            CIVILITIES.iter().find(|(c, _)| *c == self.civility).map(|(c, _)| c.to_string()).ok_or("Choisissez une civilité."),
        );
        let first_name = e.check("first_name", Text::parse_short(&self.first_name, "Saisissez votre prénom."));
        let last_name = e.check("last_name", Text::parse_short(&self.last_name, "Saisissez votre nom."));
        let email = e.check("email", Email::parse(&self.email));
        let phone = e.check("phone", Phone::parse(&self.phone));
        let profession = e.check(
            "profession",
            PROFESSIONS.iter().find(|(c, _)| *c == self.profession).map(|(c, _)| c.to_string()).ok_or("Choisissez votre profession."),
        );
        let professional_number = self.professional_number.trim().to_string();
        if matches!(self.profession.as_str(), "cac" | "ec") && professional_number.is_empty() {
            e.add("professional_number", "Indiquez votre numéro d'inscription (CNCC ou Ordre des experts-comptables).");
        }
        let address_line = e.check("address_line", Text::parse_short(&self.address_line, "Saisissez votre adresse."));
        let postal_code = e.check("postal_code", PostalCode::parse(&self.postal_code));
        let city = e.check("city", Text::parse_short(&self.city, "Saisissez votre ville."));
        let valid = (|| {
            Some(ValidSignup {
                civility: civility?,
                first_name: first_name?,
                last_name: last_name?,
                email: email?,
                phone: phone?,
                profession: profession?,
                professional_number,
                address_line: address_line?,
                postal_code: postal_code?,
                city: city?,
            })
        })();
        e.finish(valid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> SignupForm {
        SignupForm {
            civility: "mme".into(),
            first_name: "Marie".into(),
            last_name: "Durand".into(),
            email: "Marie.Durand@cabinet-durand.fr".into(),
            phone: "01 23 45 67 89".into(),
            profession: "ec".into(),
            professional_number: "12345".into(),
            address_line: "3 rue de la Paix".into(),
            postal_code: "75002".into(),
            city: "Paris".into(),
        }
    }

    #[test]
    fn accepts_a_complete_form() {
        let v = sample().parse().unwrap();
        assert_eq!(v.email.as_str(), "marie.durand@cabinet-durand.fr");
        assert_eq!(v.phone.as_str(), "0123456789");
        assert_eq!(v.first_name.as_str(), "Marie");
    }

    #[test]
    fn each_bad_field_has_its_message() {
        let cases: [crate::domain::form::Spoiled<SignupForm>; 10] = [
            ("civility", |f| f.civility = "x".into(), "Choisissez une civilité."),
            ("first_name", |f| f.first_name = " ".into(), "Saisissez votre prénom."),
            ("last_name", |f| f.last_name = "x".repeat(201), "Ce champ est trop long (200 caractères au plus)."),
            ("email", |f| f.email = "marie".into(), "Adresse e-mail invalide (exemple : prenom.nom@cabinet.fr)."),
            ("phone", |f| f.phone = "12".into(), "Numéro de téléphone invalide (10 chiffres, ex. 01 23 45 67 89)."),
            ("profession", |f| f.profession = "x".into(), "Choisissez votre profession."),
            (
                "professional_number",
                |f| f.professional_number = " ".into(),
                "Indiquez votre numéro d'inscription (CNCC ou Ordre des experts-comptables).",
            ),
            ("address_line", |f| f.address_line.clear(), "Saisissez votre adresse."),
            ("postal_code", |f| f.postal_code = "750".into(), "Le code postal compte 5 chiffres."),
            ("city", |f| f.city.clear(), "Saisissez votre ville."),
        ];
        for (field, spoil, message) in cases {
            let mut f = sample();
            spoil(&mut f);
            let e = f.parse().unwrap_err();
            assert_eq!((e.len(), e.get(field)), (1, Some(message)), "{field}");
        }
    }

    #[test]
    fn reports_all_bad_fields_at_once() {
        let mut f = sample();
        f.email = "marie".into();
        f.postal_code = "750".into();
        f.professional_number.clear();
        let e = f.parse().unwrap_err();
        assert_eq!(e.iter().map(|(k, _)| k).collect::<Vec<_>>(), vec!["email", "postal_code", "professional_number"]);
        let mut other = sample();
        other.profession = "autre".into();
        other.professional_number.clear();
        assert!(other.parse().is_ok(), "no register number outside the professions");
    }

    #[test]
    fn an_unproven_address_finds_nothing() {
        let unproven = CurrentUser::new(1, "dupont@cabinet.fr".into(), "Jean".into(), "Dupont".into(), false);
        assert_eq!(unproven.proven_email(), None);
        assert_eq!(unproven.email(), "dupont@cabinet.fr");
        let proven = CurrentUser::new(1, "dupont@cabinet.fr".into(), "Jean".into(), "Dupont".into(), true);
        assert_eq!(proven.proven_email().map(|e| e.as_str()), Some("dupont@cabinet.fr"));
    }

    #[test]
    fn passwords() {
        assert_eq!(NewPassword::parse("court", "court").unwrap_err().iter().next().map(|(k, _)| k), Some("password"));
        assert!(NewPassword::parse(&"x".repeat(257), &"x".repeat(257)).unwrap_err().contains("password"));
        assert!(NewPassword::parse("assez-long-1", "autre-chose").unwrap_err().contains("password_confirm"));
        assert_eq!(NewPassword::parse("assez-long-1", "assez-long-1").unwrap().into_string(), "assez-long-1");
    }

    #[test]
    fn phones_and_postal_codes() {
        assert_eq!(Phone::parse("+33 1 23 45 67 89").unwrap().as_str(), "+33123456789");
        assert_eq!(Phone::parse_optional("  "), Ok(None));
        assert!(Phone::parse_optional("01").is_err());
        assert_eq!(PostalCode::parse(" 75002 ").unwrap().as_str(), "75002");
        assert!(PostalCode::parse("7500A").is_err());
    }
}
