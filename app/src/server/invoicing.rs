//! Issuing invoices, down-payment invoices and credit notes, recording payments, and
//! the invoice PDF. An issued invoice is a frozen copy: seller, buyer, lines and amounts
//! are written once and never updated.

use super::db::{new_id, next_in_sequence, now, today, Db};
use super::pdf::Doc;
use crate::domain::code::sql_in;
use crate::domain::date::period_fr;
use crate::domain::invoice::{self, Kind, InvoiceSummary, DOWN_PAYMENT_PERCENT, LATE_PAYMENT, VAT_EXEMPTION, VAT_STANDARD_BP};
use crate::domain::registration::RegistrationStatus;
use crate::domain::{Date, Money};
use sqlx::{Any, Transaction};

#[derive(Debug, PartialEq, Eq)]
pub enum IssueOutcome {
    Issued(String),
    /// Nothing to invoice for this order on this session.
    Nothing,
    /// The final invoice exists already.
    AlreadyInvoiced(String),
}

struct Seller {
    text: String,
    vat_rate_bp: i64,
    vat_mention: String,
    payment_days: i64,
}

async fn seller(tx: &mut Transaction<'_, Any>, provider_id: i64) -> Result<Seller, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        name: String,
        legal_form: String,
        siret: String,
        address_line: String,
        postal_code: String,
        city: String,
        vat_exempt: i64,
        vat_number: Option<String>,
        activity_number: String,
        payment_days: i64,
    }
    let Row {
        name,
        legal_form,
        siret,
        address_line: address,
        postal_code: postal,
        city,
        vat_exempt: exempt,
        vat_number,
        activity_number: activity,
        payment_days: days,
    } = sqlx::query_as(
        "SELECT name, legal_form, siret, address_line, postal_code, city, vat_exempt, vat_number, activity_number, payment_days \
         FROM providers WHERE id = $1",
    )
    .bind(provider_id)
    .fetch_one(&mut **tx)
    .await?;
    let mut text = format!("{name}\n{legal_form} — SIRET {siret}\n{address}\n{postal} {city}");
    if let Some(v) = &vat_number {
        text.push_str(&format!("\nTVA intracommunautaire : {v}"));
    }
    if !activity.is_empty() {
        text.push_str(&format!("\nDéclaration d'activité n° {activity}"));
    }
    let (vat_rate_bp, vat_mention) =
        if exempt != 0 { (0, VAT_EXEMPTION.to_string()) } else { (VAT_STANDARD_BP, format!("TVA {}", invoice::rate_fr(VAT_STANDARD_BP))) };
    Ok(Seller { text, vat_rate_bp, vat_mention, payment_days: days })
}

struct OrderInfo {
    number: String,
    company_id: i64,
    billing_company_id: i64,
    po_reference: String,
    buyer: String,
}

async fn order(tx: &mut Transaction<'_, Any>, order_id: i64) -> Result<Option<OrderInfo>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        number: String,
        company_id: i64,
        billing_company_id: i64,
        po_reference: String,
        legal_name: String,
        vat_number: Option<String>,
        billing_address_line: String,
        billing_postal_code: String,
        billing_city: String,
        name: Option<String>,
        address_line: Option<String>,
        postal_code: Option<String>,
        city: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT o.number, o.company_id, o.billing_company_id, o.po_reference, b.legal_name, b.vat_number, \
         b.billing_address_line, b.billing_postal_code, b.billing_city, e.name, e.address_line, e.postal_code, e.city \
         FROM orders o JOIN companies b ON b.id = o.billing_company_id LEFT JOIN establishments e ON e.id = o.billing_establishment_id \
         WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| {
        let Row { number, company_id, billing_company_id, po_reference, legal_name: name, vat_number: vat, .. } = r;
        let (addr, postal, city) = (r.billing_address_line, r.billing_postal_code, r.billing_city);
        let mut buyer = match (r.name, r.address_line, r.postal_code, r.city) {
            (Some(e), Some(a), Some(p), Some(c)) => format!("{name} — {e}\n{a}\n{p} {c}"),
            _ => format!("{name}\n{addr}\n{postal} {city}"),
        };
        if let Some(v) = vat {
            buyer.push_str(&format!("\nTVA intracommunautaire : {v}"));
        }
        OrderInfo { number, company_id, billing_company_id, po_reference, buyer }
    }))
}

struct Line {
    label: String,
    unit_cents: i64,
    registration_id: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    tx: &mut Transaction<'_, Any>,
    provider_id: i64,
    kind: Kind,
    order_id: i64,
    session_id: i64,
    o: &OrderInfo,
    s: &Seller,
    service_date: &str,
    lines: &[Line],
    deducted_cents: i64,
    credited: Option<i64>,
) -> Result<String, sqlx::Error> {
    let today = today();
    let seq = next_in_sequence(tx, &format!("invoice-{provider_id}-{}", today.year)).await?;
    let number = invoice::number(kind, today.year, seq);
    let ht: i64 = lines.iter().map(|l| l.unit_cents).sum();
    let vat = invoice::vat_cents(ht, s.vat_rate_bp);
    let ttc = ht + vat;
    let id = new_id();
    sqlx::query(
        "INSERT INTO invoices (id, provider_id, number, year, seq, kind, order_id, session_id, company_id, billing_company_id, \
         seller, buyer, po_reference, issued_at, issue_date, service_date, due_date, total_ht_cents, vat_rate_bp, vat_cents, \
         total_ttc_cents, deducted_cents, amount_due_cents, vat_mention, credited_invoice_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)",
    )
    .bind(id)
    .bind(provider_id)
    .bind(&number)
    .bind(i64::from(today.year))
    .bind(seq)
    .bind(kind)
    .bind(order_id)
    .bind(session_id)
    .bind(o.company_id)
    .bind(o.billing_company_id)
    .bind(&s.text)
    .bind(&o.buyer)
    .bind(&o.po_reference)
    .bind(now())
    .bind(today.iso())
    .bind(service_date)
    .bind(today.add_days(s.payment_days).iso())
    .bind(ht)
    .bind(s.vat_rate_bp)
    .bind(vat)
    .bind(ttc)
    .bind(deducted_cents)
    .bind(ttc - deducted_cents)
    .bind(&s.vat_mention)
    .bind(credited)
    .execute(&mut **tx)
    .await?;
    for (i, l) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, position, label, quantity, unit_cents, total_cents, registration_id) \
             VALUES ($1, $2, $3, 1, $4, $4, $5)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(&l.label)
        .bind(l.unit_cents)
        .bind(l.registration_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(number)
}

/// Issues the final invoice (`kind` Invoice, deducting the down payments) or a down
/// payment invoice (30 % of the amount before tax) for an order's registrations on one
/// of the provider's sessions, in `tx` (just begun: its first statement writes), where
/// the mail telling of it is written too; only `Issued` is to be committed.
pub async fn issue(tx: &mut Transaction<'static, Any>, provider_id: i64, order_id: i64, session_id: i64, kind: Kind) -> Result<IssueOutcome, sqlx::Error> {
    // Serialises the invoicing of one session (the row is locked until commit).
    let touched = sqlx::query(
        "UPDATE training_sessions SET seats_taken = seats_taken WHERE id = $1 \
         AND training_id IN (SELECT id FROM trainings WHERE provider_id = $2)",
    )
    .bind(session_id)
    .bind(provider_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let Some(o) = order(tx, order_id).await? else { return Ok(IssueOutcome::Nothing) };
    if touched == 0 {
        return Ok(IssueOutcome::Nothing);
    }
    if kind == Kind::Invoice {
        let existing: Option<(String,)> = sqlx::query_as(
            "SELECT number FROM invoices WHERE order_id = $1 AND session_id = $2 AND kind = $3",
        )
        .bind(order_id)
        .bind(session_id)
        .bind(Kind::Invoice)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((n,)) = existing {
            return Ok(IssueOutcome::AlreadyInvoiced(n));
        }
    }
    // Firm registrations only: a cancelled one is not invoiced.
    let rows: Vec<(i64, String, String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT r.id, r.participant_first_name || ' ' || r.participant_last_name, t.title, s.start_date, s.end_date, t.price_cents \
         FROM registrations r JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id \
         WHERE r.order_id = $1 AND r.session_id = $2 AND r.status IN ({}) \
         ORDER BY r.participant_last_name, r.participant_first_name",
        sql_in(&RegistrationStatus::FIRM)
    ))
    .bind(order_id)
    .bind(session_id)
    .fetch_all(&mut **tx)
    .await?;
    let Some(first) = rows.first() else { return Ok(IssueOutcome::Nothing) };
    let period = match (Date::parse(&first.3), Date::parse(&first.4)) {
        (Some(a), Some(b)) => period_fr(a, b),
        _ => first.3.clone(),
    };
    let service_date = first.4.clone();
    let title = first.2.clone();
    let s = seller(tx, provider_id).await?;
    let (lines, deducted) = match kind {
        Kind::DownPayment => {
            let ht: i64 = rows.iter().map(|r| r.5).sum();
            let label = format!(
                "Acompte de {DOWN_PAYMENT_PERCENT} % sur la commande {} — formation « {title} » ({period})",
                o.number
            );
            (vec![Line { label, unit_cents: invoice::percent_of(ht, DOWN_PAYMENT_PERCENT), registration_id: None }], 0)
        }
        _ => {
            let (down,): (i64,) = sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(total_ttc_cents), 0) AS BIGINT) FROM invoices \
                 WHERE order_id = $1 AND session_id = $2 AND kind = $3",
            )
            .bind(order_id)
            .bind(session_id)
            .bind(Kind::DownPayment)
            .fetch_one(&mut **tx)
            .await?;
            let lines = rows
                .iter()
                .map(|(id, who, title, _, _, price)| Line {
                    label: format!("Formation « {title} » ({period}) — {who}"),
                    unit_cents: *price,
                    registration_id: Some(*id),
                })
                .collect();
            (lines, down)
        }
    };
    let number = insert(tx, provider_id, kind, order_id, session_id, &o, &s, &service_date, &lines, deducted, None).await?;
    Ok(IssueOutcome::Issued(number))
}

/// In the transaction that cancels them: a credit note for each final invoice that
/// billed one of these registrations. Returns the credit notes' numbers.
pub async fn credit_cancelled(tx: &mut Transaction<'_, Any>, registrations: &[i64]) -> Result<Vec<String>, sqlx::Error> {
    let mut numbers = Vec::new();
    for reg in registrations {
        let billed: Option<(i64, i64, i64, i64, String, i64)> = sqlx::query_as(
            "SELECT i.id, i.provider_id, i.order_id, i.session_id, l.label, l.unit_cents FROM invoice_lines l \
             JOIN invoices i ON i.id = l.invoice_id WHERE l.registration_id = $1 AND i.kind = $2 \
             AND NOT EXISTS (SELECT 1 FROM invoices c JOIN invoice_lines cl ON cl.invoice_id = c.id \
                             WHERE c.credited_invoice_id = i.id AND cl.registration_id = $1)",
        )
        .bind(reg)
        .bind(Kind::Invoice)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((invoice_id, provider_id, order_id, session_id, label, cents)) = billed else { continue };
        let Some(o) = order(tx, order_id).await? else { continue };
        let (invoice_number, service_date): (String, String) =
            sqlx::query_as("SELECT number, service_date FROM invoices WHERE id = $1").bind(invoice_id).fetch_one(&mut **tx).await?;
        let s = seller(tx, provider_id).await?;
        let line = Line { label: format!("Annulation — {label} (facture {invoice_number})"), unit_cents: cents, registration_id: Some(*reg) };
        numbers.push(insert(tx, provider_id, Kind::CreditNote, order_id, session_id, &o, &s, &service_date, &[line], 0, Some(invoice_id)).await?);
    }
    Ok(numbers)
}

/// Records a payment of one of the provider's invoices; false if it is not his.
///
/// One statement that checks and writes: a transaction that read the invoice first and
/// then inserted would, on SQLite, be refused its upgrade to a writer ("database is
/// locked", without waiting) whenever another connection committed in between — the
/// crash test saw 30 % of concurrent payments fail that way.
pub async fn record_payment(db: &Db, provider_id: i64, invoice_id: i64, amount: i64, paid_on: &str, method: &str, actor: i64) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO payments (id, invoice_id, amount_cents, paid_on, method, recorded_by, created_at) \
         SELECT $1, id, $2, $3, $4, $5, $6 FROM invoices WHERE id = $7 AND provider_id = $8 AND kind <> $9",
    )
    .bind(new_id())
    .bind(amount)
    .bind(paid_on)
    .bind(method)
    .bind(actor)
    .bind(now())
    .bind(invoice_id)
    .bind(provider_id)
    .bind(Kind::CreditNote)
    .execute(db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

const SUMMARY_SELECT: &str = "SELECT i.id, i.number, i.kind, p.name AS provider, o.number AS order_number, i.issue_date, i.due_date, \
     i.total_ttc_cents, i.amount_due_cents, \
     CAST(COALESCE((SELECT SUM(amount_cents) FROM payments pa WHERE pa.invoice_id = i.id), 0) AS BIGINT) AS paid_cents, c.number AS credits \
     FROM invoices i JOIN providers p ON p.id = i.provider_id JOIN orders o ON o.id = i.order_id \
     LEFT JOIN invoices c ON c.id = i.credited_invoice_id";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    number: String,
    kind: Kind,
    provider: String,
    order_number: String,
    issue_date: String,
    due_date: String,
    total_ttc_cents: i64,
    amount_due_cents: i64,
    paid_cents: i64,
    credits: Option<String>,
}

fn summary(r: SummaryRow) -> InvoiceSummary {
    InvoiceSummary {
        id: r.id,
        number: r.number,
        kind: r.kind,
        provider: r.provider,
        order_number: r.order_number,
        issue_date: r.issue_date,
        due_date: r.due_date,
        total_ttc: Money(r.total_ttc_cents),
        amount_due: Money(r.amount_due_cents),
        paid: Money(r.paid_cents),
        credits: r.credits,
    }
}

/// The payments received for the company's invoices (those of its orders and those
/// invoiced to it), newest first.
pub async fn payments_for_company(db: &Db, company_id: i64) -> Result<Vec<crate::domain::invoice::PaymentLine>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        invoice_id: i64,
        number: String,
        paid_on: String,
        amount_cents: i64,
        method: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT i.id AS invoice_id, i.number, pa.paid_on, pa.amount_cents, pa.method FROM payments pa JOIN invoices i ON i.id = pa.invoice_id \
         WHERE i.company_id = $1 OR i.billing_company_id = $2 ORDER BY pa.paid_on DESC, pa.created_at DESC",
    )
    .bind(company_id)
    .bind(company_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::domain::invoice::PaymentLine {
            invoice_id: r.invoice_id,
            invoice_number: r.number,
            paid_on: r.paid_on,
            amount: Money(r.amount_cents),
            method: r.method,
        })
        .collect())
}

/// The billing documents of a company: those of its orders and those invoiced to it.
pub async fn for_company(db: &Db, company_id: i64) -> Result<Vec<InvoiceSummary>, sqlx::Error> {
    let sql = format!("{SUMMARY_SELECT} WHERE i.company_id = $1 OR i.billing_company_id = $2 ORDER BY i.issued_at DESC, i.seq DESC");
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(company_id).bind(company_id).fetch_all(db).await?;
    Ok(rows.into_iter().map(summary).collect())
}

/// The documents of one of the provider's sessions.
pub async fn for_session(db: &Db, session_id: i64) -> Result<Vec<InvoiceSummary>, sqlx::Error> {
    let sql = format!("{SUMMARY_SELECT} WHERE i.session_id = $1 ORDER BY i.seq");
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(session_id).fetch_all(db).await?;
    Ok(rows.into_iter().map(summary).collect())
}

/// The companies an invoice belongs to (ordering, invoiced), to check a download.
pub async fn owners(db: &Db, invoice_id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT company_id, billing_company_id FROM invoices WHERE id = $1").bind(invoice_id).fetch_optional(db).await
}

/// Who an order is invoiced to, to tell it of an invoice.
#[derive(sqlx::FromRow)]
pub struct BilledCompany {
    pub id: i64,
    pub billing_email: String,
    pub legal_name: String,
}

/// The company an order's invoices go to.
pub async fn billed_company<'e>(db: impl sqlx::Executor<'e, Database = Any>, order_id: i64) -> Result<Option<BilledCompany>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.billing_email, c.legal_name FROM orders o JOIN companies c ON c.id = o.billing_company_id WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_optional(db)
    .await
}

/// The invoice as a PDF, from what was frozen at issue.
pub async fn pdf(db: &Db, invoice_id: i64) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        number: String,
        kind: Kind,
        seller: String,
        buyer: String,
        po_reference: String,
        issue_date: String,
        service_date: String,
        due_date: String,
        total_ht_cents: i64,
        vat_rate_bp: i64,
        vat_cents: i64,
        total_ttc_cents: i64,
        deducted_cents: i64,
        amount_due_cents: i64,
        vat_mention: String,
        credited: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT i.number, i.kind, i.seller, i.buyer, i.po_reference, i.issue_date, i.service_date, i.due_date, i.total_ht_cents, \
         i.vat_rate_bp, i.vat_cents, i.total_ttc_cents, i.deducted_cents, i.amount_due_cents, i.vat_mention, c.number AS credited \
         FROM invoices i LEFT JOIN invoices c ON c.id = i.credited_invoice_id WHERE i.id = $1",
    )
    .bind(invoice_id)
    .fetch_optional(db)
    .await?;
    let Some(Row {
        number,
        kind,
        seller,
        buyer,
        po_reference: po,
        issue_date: issue,
        service_date: service,
        due_date: due,
        total_ht_cents: ht,
        vat_rate_bp: rate,
        vat_cents: vat,
        total_ttc_cents: ttc,
        deducted_cents: deducted,
        amount_due_cents: amount_due,
        vat_mention: mention,
        credited,
    }) = row
    else {
        return Ok(None);
    };
    let order: (String,) = sqlx::query_as("SELECT o.number FROM invoices i JOIN orders o ON o.id = i.order_id WHERE i.id = $1")
        .bind(invoice_id)
        .fetch_one(db)
        .await?;
    let lines: Vec<(String, i64)> =
        sqlx::query_as("SELECT label, total_cents FROM invoice_lines WHERE invoice_id = $1 ORDER BY position").bind(invoice_id).fetch_all(db).await?;
    let fr = |iso: &str| Date::parse(iso).map(|d| d.short_fr()).unwrap_or_else(|| iso.to_string());
    let mut doc = Doc::new(&format!("{} {number}", kind.label()));
    for l in seller.lines() {
        doc.text(l);
    }
    doc.heading(&format!("{} n° {number}", kind.label()));
    doc.text(&format!("Date : {}", fr(&issue)));
    doc.text(&format!("Date de la prestation : {}", fr(&service)));
    doc.text(&format!("Commande : {}", order.0));
    if !po.is_empty() {
        doc.text(&format!("Bon de commande client : {po}"));
    }
    if let Some(c) = &credited {
        doc.text(&format!("Avoir sur la facture n° {c}"));
    }
    doc.subheading("Client");
    for l in buyer.lines() {
        doc.text(l);
    }
    doc.subheading("Désignation");
    doc.rule();
    for (label, cents) in &lines {
        doc.row(label, &Money(*cents).format_eur(), false);
    }
    doc.rule();
    doc.row("Total HT", &Money(ht).format_eur(), false);
    if rate > 0 {
        doc.row(&format!("TVA {}", invoice::rate_fr(rate)), &Money(vat).format_eur(), false);
    } else {
        doc.row("TVA", &Money(0).format_eur(), false);
    }
    doc.row("Total TTC", &Money(ttc).format_eur(), true);
    if deducted > 0 {
        doc.row("Acomptes déjà facturés", &format!("-{}", Money(deducted).format_eur()), false);
        doc.row("Net à payer", &Money(amount_due).format_eur(), true);
    }
    doc.gap(8.0);
    doc.text(&mention);
    if kind == Kind::CreditNote {
        doc.text("Montant à déduire de vos prochains règlements ou remboursé sur demande.");
    } else {
        doc.text(&format!("Échéance : {} — paiement par virement.", fr(&due)));
        doc.small(LATE_PAYMENT);
    }
    Ok(Some((number, doc.finish())))
}
