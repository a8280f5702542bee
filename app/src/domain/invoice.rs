//! Invoices, down-payment invoices and credit notes: kinds, amounts in integer cents,
//! the mentions French invoices carry.

use super::code::coded;
use super::Money;
use serde::{Deserialize, Serialize};

/// The mention of a VAT-exempt training provider.
pub const VAT_EXEMPTION: &str = "Exonération de TVA, article 261-4-4° a du CGI";
/// Standard VAT rate, in basis points.
pub const VAT_STANDARD_BP: i64 = 2000;
/// Down payment asked on an order, in percent of the amount before tax.
pub const DOWN_PAYMENT_PERCENT: i64 = 30;
/// Mentions of every invoice (Code de commerce L441-10, D441-5).
pub const LATE_PAYMENT: &str = "En cas de retard de paiement : pénalités au taux de trois fois le taux d'intérêt légal, \
     et indemnité forfaitaire pour frais de recouvrement de 40 €. Pas d'escompte pour paiement anticipé.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Invoice,
    DownPayment,
    CreditNote,
}

coded!(Kind {
    Invoice => "facture",
    DownPayment => "acompte",
    CreditNote => "avoir",
});

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Invoice => "Facture",
            Kind::DownPayment => "Facture d'acompte",
            Kind::CreditNote => "Avoir",
        }
    }

    /// Prefix of the number: invoices and down payments "FA", credit notes "AV"; all
    /// share the provider's yearly sequence.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::CreditNote => "AV",
            _ => "FA",
        }
    }
}

/// "FA-2026-000042".
pub fn number(kind: Kind, year: i32, seq: i64) -> String {
    format!("{}-{year}-{seq:06}", kind.prefix())
}

/// VAT on an amount before tax, rounded half up to the cent.
pub fn vat_cents(ht_cents: i64, rate_bp: i64) -> i64 {
    (ht_cents * rate_bp + 5_000) / 10_000
}

/// `percent` % of an amount, rounded half up to the cent.
pub fn percent_of(cents: i64, percent: i64) -> i64 {
    (cents * percent + 50) / 100
}

/// "20 %", "5,5 %".
pub fn rate_fr(rate_bp: i64) -> String {
    match rate_bp % 100 {
        0 => format!("{} %", rate_bp / 100),
        r if r % 10 == 0 => format!("{},{} %", rate_bp / 100, r / 10),
        r => format!("{},{r:02} %", rate_bp / 100),
    }
}

/// A document of the company's billing list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: i64,
    pub number: String,
    pub kind: Kind,
    pub provider: String,
    pub order_number: String,
    pub issue_date: String,
    pub due_date: String,
    pub total_ttc: Money,
    pub amount_due: Money,
    pub paid: Money,
    /// The invoice a credit note cancels.
    pub credits: Option<String>,
}

/// A payment received for one of the company's invoices ("Règlements").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLine {
    pub invoice_id: i64,
    pub invoice_number: String,
    /// ISO date.
    pub paid_on: String,
    pub amount: Money,
    pub method: String,
}

/// Where a document stands with its payments (computed from them, never stored).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceStatus {
    /// A credit note: nothing to pay, it is deducted.
    CreditNote,
    Unpaid,
    PartlyPaid,
    Paid,
}

impl InvoiceStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::CreditNote => "avoir émis",
            Self::Unpaid => "non acquittée",
            Self::PartlyPaid => "partiellement acquittée",
            Self::Paid => "acquittée",
        }
    }

    /// Something is still to be paid.
    pub fn awaits_payment(self) -> bool {
        matches!(self, Self::Unpaid | Self::PartlyPaid)
    }
}

/// The payment filter of the documents list (`statut` in its URL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentFilter {
    Unpaid,
    Paid,
}

coded!(PaymentFilter {
    Unpaid => "non_acquittees",
    Paid => "acquittees",
});

impl PaymentFilter {
    pub fn label(self) -> &'static str {
        match self {
            Self::Unpaid => "Non acquittées",
            Self::Paid => "Acquittées",
        }
    }

    pub fn keeps(self, status: InvoiceStatus) -> bool {
        match self {
            Self::Unpaid => status.awaits_payment(),
            Self::Paid => status == InvoiceStatus::Paid,
        }
    }
}

impl InvoiceSummary {
    pub fn status(&self) -> InvoiceStatus {
        if self.kind == Kind::CreditNote {
            InvoiceStatus::CreditNote
        } else if self.paid.cents() >= self.amount_due.cents() {
            InvoiceStatus::Paid
        } else if self.paid.cents() > 0 {
            InvoiceStatus::PartlyPaid
        } else {
            InvoiceStatus::Unpaid
        }
    }

    /// The guide's words: "acquittée", "non acquittée", "partiellement acquittée"; a
    /// credit note is "avoir émis".
    pub fn status_label(&self) -> &'static str {
        self.status().label()
    }

    pub fn is_paid(&self) -> bool {
        self.status() == InvoiceStatus::Paid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_amounts() {
        assert_eq!(number(Kind::Invoice, 2026, 42), "FA-2026-000042");
        assert_eq!(number(Kind::CreditNote, 2027, 1), "AV-2027-000001");
        assert_eq!(vat_cents(64_000, 2000), 12_800);
        assert_eq!(vat_cents(1_005, 2000), 201); // 200,999... rounded up
        assert_eq!(vat_cents(64_000, 0), 0);
        assert_eq!(percent_of(64_000, 30), 19_200);
        assert_eq!(percent_of(333, 30), 100);
        assert_eq!(rate_fr(2000), "20 %");
        assert_eq!(rate_fr(550), "5,5 %");
    }

    #[test]
    fn status_follows_payments() {
        let mut s = InvoiceSummary {
            id: 1,
            number: "FA-2026-000001".into(),
            kind: Kind::Invoice,
            provider: "P".into(),
            order_number: "CMD".into(),
            issue_date: "2026-11-28".into(),
            due_date: "2026-12-28".into(),
            total_ttc: Money(1000),
            amount_due: Money(1000),
            paid: Money(0),
            credits: None,
        };
        assert_eq!(s.status_label(), "non acquittée");
        s.paid = Money(400);
        assert_eq!(s.status_label(), "partiellement acquittée");
        assert!(!PaymentFilter::Paid.keeps(s.status()) && PaymentFilter::Unpaid.keeps(s.status()));
        s.paid = Money(1000);
        assert!(s.is_paid());
        assert!(PaymentFilter::Paid.keeps(s.status()) && !PaymentFilter::Unpaid.keeps(s.status()));
        s.kind = Kind::CreditNote;
        assert_eq!(s.status(), InvoiceStatus::CreditNote);
        assert!(!s.is_paid() && !PaymentFilter::Paid.keeps(s.status()) && !PaymentFilter::Unpaid.keeps(s.status()));
    }

    #[test]
    fn codes_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(*k));
        }
        assert_eq!(Kind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>(), ["facture", "acompte", "avoir"]);
        assert_eq!(Kind::from_code("invoice"), None);
        for f in PaymentFilter::ALL {
            assert_eq!(f.code().parse::<PaymentFilter>(), Ok(*f));
        }
        assert_eq!(PaymentFilter::from_code("paid"), None);
    }
}
