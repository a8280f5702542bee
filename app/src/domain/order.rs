//! The cart and the orders.

use super::Money;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub registration_id: i64,
    pub participant: String,
    pub training_title: String,
    pub period: String,
    pub city: String,
    pub price: Money,
    /// Unix seconds until which the seat is held.
    pub held_until: i64,
}

/// A possible billing entity: "company:<id>" or "establishment:<id>".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingOption {
    pub code: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: i64,
    pub number: String,
    /// Placed by this company (else: invoiced to it as third party).
    pub placed_here: bool,
    pub ordering_company: String,
    pub billing_entity: String,
    pub po_reference: String,
    pub total: Money,
    pub created_at: i64,
    pub registrations: i64,
}

/// Sum of the lines, in cents.
pub fn total(lines: &[CartLine]) -> Money {
    Money(lines.iter().map(|l| l.price.cents()).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_in_cents() {
        let line = |c| CartLine {
            registration_id: 1,
            participant: String::new(),
            training_title: String::new(),
            period: String::new(),
            city: String::new(),
            price: Money(c),
            held_until: 0,
        };
        assert_eq!(total(&[line(64_000), line(29_050)]), Money(93_050));
        assert_eq!(total(&[]).format_eur(), "0,00\u{a0}€");
    }
}
