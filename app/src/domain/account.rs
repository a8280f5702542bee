//! The individual, nominative account: what a person types to create it.

use super::Email;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The logged-in user, as the pages and the services know him.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

impl CurrentUser {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSignup {
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Email,
    pub phone: String,
    pub profession: String,
    pub professional_number: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
}

pub fn check_password(password: &str, confirm: &str) -> Result<(), (&'static str, &'static str)> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(("password", "Le mot de passe doit compter au moins 10 caractères."));
    }
    if password.len() > 256 {
        return Err(("password", "Le mot de passe est trop long (256 caractères au plus)."));
    }
    if password != confirm {
        return Err(("password_confirm", "Les deux mots de passe ne sont pas identiques."));
    }
    Ok(())
}

pub fn parse_phone(raw: &str) -> Result<String, &'static str> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    let ok = (digits.len() == 10 && digits.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit()))
        || (digits.starts_with('+') && (8..=15).contains(&(digits.len() - 1)) && digits[1..].chars().all(|c| c.is_ascii_digit()));
    if ok {
        Ok(digits)
    } else {
        Err("Numéro de téléphone invalide (10 chiffres, ex. 01 23 45 67 89).")
    }
}

pub fn parse_postal_code(raw: &str) -> Result<String, &'static str> {
    let v = raw.trim();
    if v.len() == 5 && v.chars().all(|c| c.is_ascii_digit()) {
        Ok(v.to_string())
    } else {
        Err("Le code postal compte 5 chiffres.")
    }
}

fn required(errors: &mut BTreeMap<String, String>, field: &str, value: &str, msg: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.insert(field.into(), msg.into());
    } else if v.chars().count() > 200 {
        errors.insert(field.into(), "Ce champ est trop long (200 caractères au plus).".into());
    }
    v.to_string()
}

impl SignupForm {
    pub fn validate(&self) -> Result<ValidSignup, BTreeMap<String, String>> {
        let mut e = BTreeMap::new();
        if !CIVILITIES.iter().any(|(c, _)| *c == self.civility) {
            e.insert("civility".into(), "Choisissez une civilité.".into());
        }
        let first_name = required(&mut e, "first_name", &self.first_name, "Saisissez votre prénom.");
        let last_name = required(&mut e, "last_name", &self.last_name, "Saisissez votre nom.");
        let email = Email::parse(&self.email).map_err(|m| e.insert("email".into(), m.into())).ok();
        let phone = parse_phone(&self.phone).map_err(|m| e.insert("phone".into(), m.into())).ok();
        if !PROFESSIONS.iter().any(|(c, _)| *c == self.profession) {
            e.insert("profession".into(), "Choisissez votre profession.".into());
        }
        let professional_number = self.professional_number.trim().to_string();
        if matches!(self.profession.as_str(), "cac" | "ec") && professional_number.is_empty() {
            e.insert(
                "professional_number".into(),
                "Indiquez votre numéro d'inscription (CNCC ou Ordre des experts-comptables).".into(),
            );
        }
        let address_line = required(&mut e, "address_line", &self.address_line, "Saisissez votre adresse.");
        let postal_code = parse_postal_code(&self.postal_code).map_err(|m| e.insert("postal_code".into(), m.into())).ok();
        let city = required(&mut e, "city", &self.city, "Saisissez votre ville.");
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ValidSignup {
            civility: self.civility.clone(),
            first_name,
            last_name,
            email: email.expect("checked"),
            phone: phone.expect("checked"),
            profession: self.profession.clone(),
            professional_number,
            address_line,
            postal_code: postal_code.expect("checked"),
            city,
        })
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
        let v = sample().validate().unwrap();
        assert_eq!(v.email.as_str(), "marie.durand@cabinet-durand.fr");
        assert_eq!(v.phone, "0123456789");
    }

    #[test]
    fn reports_each_bad_field_in_french() {
        let mut f = sample();
        f.email = "marie".into();
        f.postal_code = "750".into();
        f.professional_number.clear();
        let e = f.validate().unwrap_err();
        assert_eq!(e.len(), 3);
        assert!(e["email"].contains("invalide"));
        assert!(e.contains_key("postal_code") && e.contains_key("professional_number"));
    }

    #[test]
    fn passwords() {
        assert!(check_password("court", "court").is_err());
        assert_eq!(check_password("assez-long-1", "autre-chose").unwrap_err().0, "password_confirm");
        assert!(check_password("assez-long-1", "assez-long-1").is_ok());
    }
}
