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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_french() {
        assert_eq!(Money(0).format_eur(), "0,00\u{a0}€");
        assert_eq!(Money(95000).format_eur(), "950,00\u{a0}€");
        assert_eq!(Money(123456789).format_eur(), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(Money(-5).format_eur(), "-0,05\u{a0}€");
    }
}
