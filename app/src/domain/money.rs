//! Amounts in integer euro cents.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Money(pub i64);

impl Money {
    pub fn cents(self) -> i64 {
        self.0
    }

    /// French display: "1 234,50 €" (narrow no-break space between thousands).
    pub fn format_eur(self) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        format!("{}{},{:02}\u{a0}€", if negative { "-" } else { "" }, grouped, abs % 100)
    }
}

/// Parses an amount typed in euros ("640", "640,5", "1 234,50 €") into cents; positive.
pub fn parse_eur(raw: &str) -> Option<i64> {
    let cleaned: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '€' && *c != '\u{202f}').collect();
    let cleaned = cleaned.replace(',', ".");
    let (euros, cents) = match cleaned.split_once('.') {
        Some((e, c)) if !c.is_empty() && c.len() <= 2 && c.chars().all(|d| d.is_ascii_digit()) => {
            (e, if c.len() == 1 { c.parse::<i64>().ok()? * 10 } else { c.parse::<i64>().ok()? })
        }
        Some(_) => return None,
        None => (cleaned.as_str(), 0),
    };
    if euros.is_empty() || !euros.chars().all(|d| d.is_ascii_digit()) || euros.len() > 9 {
        return None;
    }
    let total = euros.parse::<i64>().ok()? * 100 + cents;
    (total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_typed_euros() {
        assert_eq!(parse_eur("640"), Some(64_000));
        assert_eq!(parse_eur("640,5"), Some(64_050));
        assert_eq!(parse_eur("1 234,50 €"), Some(123_450));
        assert_eq!(parse_eur("0"), None);
        assert_eq!(parse_eur("12,345"), None);
        assert_eq!(parse_eur("abc"), None);
        assert_eq!(parse_eur("-5"), None);
    }

    #[test]
    fn formats_in_french() {
        assert_eq!(Money(0).format_eur(), "0,00\u{a0}€");
        assert_eq!(Money(95000).format_eur(), "950,00\u{a0}€");
        assert_eq!(Money(123456789).format_eur(), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(Money(-5).format_eur(), "-0,05\u{a0}€");
    }
}
