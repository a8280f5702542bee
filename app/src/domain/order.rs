//! The cart and the orders.

use super::form::FieldErrors;
use super::{Money, Siret};
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

/// A line of someone's cart in the company, as its administrators and training
/// managers see it ("Commandes en cours dans le panier").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmCartLine {
    /// Whose cart it is: the name of the person who registered.
    pub owner: String,
    /// The viewer's own cart.
    pub mine: bool,
    pub participant: String,
    pub training_title: String,
    pub period: String,
    pub city: String,
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

/// The cart's validation form as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderForm {
    /// A [`BillingOption`] code.
    pub billing: String,
    /// Another structure's SIRET; when typed, it wins over `billing`.
    pub billing_siret: String,
    pub po_reference: String,
    pub accept_terms: bool,
}

/// Who is invoiced, as chosen (it still has to be resolved and allowed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BillingChoice {
    /// A structure named by its SIRET.
    Siret(Siret),
    Company(i64),
    Establishment(i64),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidOrder {
    pub billing: BillingChoice,
    /// Trimmed; may be empty.
    pub po_reference: String,
}

impl OrderForm {
    /// The billing entity chosen: a typed SIRET, else the option picked.
    pub fn billing_choice(&self) -> Result<BillingChoice, FieldErrors> {
        let mut e = FieldErrors::new();
        let choice = if !self.billing_siret.trim().is_empty() {
            e.check("billing_siret", Siret::parse(&self.billing_siret).map(BillingChoice::Siret))
        } else {
            let id = |prefix: &str| self.billing.strip_prefix(prefix).and_then(|v| v.parse::<i64>().ok());
            let choice = id("company:").map(BillingChoice::Company).or_else(|| id("establishment:").map(BillingChoice::Establishment));
            e.check("billing", choice.ok_or("Choisissez l'entité de facturation."))
        };
        e.finish(choice)
    }

    pub fn parse(&self) -> Result<ValidOrder, FieldErrors> {
        let mut e = FieldErrors::new();
        let billing = match self.billing_choice() {
            Ok(b) => Some(b),
            Err(be) => {
                e.merge(be);
                None
            }
        };
        if !self.accept_terms {
            e.add("accept_terms", "Acceptez les conditions générales de vente pour valider la commande.");
        }
        let po_reference = e.check(
            "po_reference",
            if self.po_reference.chars().count() > 50 {
                Err("La référence compte 50 caractères au plus.")
            } else {
                Ok(self.po_reference.trim().to_string())
            },
        );
        let valid = (|| Some(ValidOrder { billing: billing?, po_reference: po_reference? }))();
        e.finish(valid)
    }
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

    fn order() -> OrderForm {
        OrderForm { billing: "company:7".into(), billing_siret: String::new(), po_reference: " BC-12 ".into(), accept_terms: true }
    }

    #[test]
    fn an_order_form_parses() {
        let v = order().parse().unwrap();
        assert_eq!((v.billing, v.po_reference.as_str()), (BillingChoice::Company(7), "BC-12"));
        let f = OrderForm { billing: "establishment:3".into(), ..order() };
        assert_eq!(f.parse().unwrap().billing, BillingChoice::Establishment(3));
        let f = OrderForm { billing_siret: "120 027 016 00019".into(), ..order() };
        assert!(matches!(f.parse().unwrap().billing, BillingChoice::Siret(_)));
    }

    #[test]
    fn an_order_form_reports_each_field() {
        let e = OrderForm { billing: "x".into(), ..order() }.parse().unwrap_err();
        assert_eq!(e.get("billing"), Some("Choisissez l'entité de facturation."));
        let e = OrderForm { billing_siret: "123".into(), ..order() }.parse().unwrap_err();
        assert_eq!(e.get("billing_siret"), Some("Le SIRET compte exactement 14 chiffres."));
        let all = OrderForm { billing: String::new(), billing_siret: String::new(), po_reference: "x".repeat(51), accept_terms: false };
        let e = all.parse().unwrap_err();
        assert_eq!(e.iter().map(|(k, _)| k).collect::<Vec<_>>(), vec!["accept_terms", "billing", "po_reference"]);
        assert_eq!(e.get("po_reference"), Some("La référence compte 50 caractères au plus."));
    }
}
