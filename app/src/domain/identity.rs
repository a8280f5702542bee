//! Identifiers typed by users: email addresses and SIRET numbers.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A normalised (trimmed, lower-cased) email address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err("Saisissez une adresse e-mail.");
        }
        let invalid = "Adresse e-mail invalide (exemple : prenom.nom@cabinet.fr).";
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid);
        }
        let (local, domain) = value.split_once('@').ok_or(invalid)?;
        if local.is_empty() || domain.contains('@') || local.len() > 64 {
            return Err(invalid);
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| {
                l.is_empty()
                    || l.starts_with('-')
                    || l.ends_with('-')
                    || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
        {
            return Err(invalid);
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A SIRET: 14 digits whose Luhn key is right (the SIREN is its first nine digits).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Siret(String);

impl Siret {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err("Saisissez le numéro SIRET (14 chiffres).");
        }
        if digits.len() != 14 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("Le SIRET compte exactement 14 chiffres.");
        }
        // La Poste's establishments (SIREN 356000000) may follow another rule: the
        // digits of the SIRET add up to a multiple of 5.
        let la_poste = digits.starts_with("356000000") && digits.bytes().map(|b| u32::from(b - b'0')).sum::<u32>() % 5 == 0;
        let valid = luhn_ok(&digits) || la_poste;
        if !valid {
            return Err("Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez les 14 chiffres.");
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn siren(&self) -> &str {
        &self.0[..9]
    }

    /// "123 456 789 00012", as printed on French documents.
    pub fn formatted(&self) -> String {
        format!("{} {} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..9], &self.0[9..])
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Completes 13 digits with the Luhn key that makes a valid SIRET (demo data, tests).
pub fn siret_with_key(first13: &str) -> String {
    (0..10)
        .map(|k| format!("{first13}{k}"))
        .find(|s| luhn_ok(s))
        .expect("one key digit always fits")
}

/// French intra-community VAT number: FR + 2 key digits + SIREN; optional.
pub fn parse_vat(raw: &str, siret: Option<&Siret>) -> Result<Option<String>, &'static str> {
    let v: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if v.is_empty() {
        return Ok(None);
    }
    let bad = "Numéro de TVA invalide (format : FR + 2 chiffres + SIREN, ex. FR40303265045).";
    if v.len() != 13 || !v.starts_with("FR") || !v[2..].chars().all(|c| c.is_ascii_digit()) {
        return Err(bad);
    }
    let siren: u64 = v[4..].parse().map_err(|_| bad)?;
    let key: u64 = v[2..4].parse().map_err(|_| bad)?;
    if (12 + 3 * (siren % 97)) % 97 != key {
        return Err("La clé du numéro de TVA ne correspond pas au SIREN.");
    }
    if let Some(s) = siret {
        if s.siren() != &v[4..] {
            return Err("Le numéro de TVA doit reprendre le SIREN de la structure.");
        }
    }
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Marie.Durand@Cabinet.FR ").unwrap().as_str(), "marie.durand@cabinet.fr");
        for bad in ["", "marie", "marie@", "@cabinet.fr", "marie@cabinet", "ma rie@cabinet.fr", "a@b@c.fr", "m@-x.fr"] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn siret_luhn_key_is_checked() {
        // A real, published SIRET (INSEE headquarters' SIREN 120027016).
        assert!(Siret::parse("120 027 016 00019").is_ok());
        assert!(Siret::parse("12002701600018").is_err());
        assert!(Siret::parse("1200270160001").is_err());
        assert!(Siret::parse("1200270160001A").is_err());
        let s = Siret::parse("12002701600019").unwrap();
        assert_eq!(s.siren(), "120027016");
        assert_eq!(s.formatted(), "120 027 016 00019");
    }

    #[test]
    fn la_poste_rule() {
        assert!(Siret::parse("35600000000048").is_ok(), "head office, Luhn key");
        assert!(Siret::parse("35600000000001").is_ok(), "digit sum multiple of 5");
        assert!(Siret::parse("35600000000002").is_err());
    }

    #[test]
    fn generated_keys_are_valid() {
        for prefix in ["1234567890001", "8765432100002", "5555555550003"] {
            assert!(Siret::parse(&siret_with_key(prefix)).is_ok());
        }
    }

    #[test]
    fn vat_numbers() {
        let siret = Siret::parse("12002701600019").unwrap();
        let key = (12 + 3 * (120027016u64 % 97)) % 97;
        let good = format!("FR{key:02}120027016");
        assert_eq!(parse_vat(&good, Some(&siret)).unwrap(), Some(good.clone()));
        assert_eq!(parse_vat("", Some(&siret)).unwrap(), None);
        assert!(parse_vat("FR00120027016", Some(&siret)).is_err());
        assert!(parse_vat("DE123", None).is_err());
    }
}
