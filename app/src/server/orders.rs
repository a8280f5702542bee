//! The cart and validated orders. A cart line holds its seat until `held_until`; an
//! expired hold is released (by the sweeper, or before a seat is taken).

use super::db::{new_id, now, today, Db};
use crate::domain::date::period_fr;
use crate::domain::order::{BillingOption, CartLine, FirmCartLine, OrderSummary};
use crate::domain::page::{per_page, PageRequest, Paged};
use crate::domain::registration::RegistrationStatus;
use crate::domain::{Date, Money};

/// How long a cart holds its seats.
pub const HOLD_SECS: i64 = 30 * 60;

/// Releases every expired hold (status expired, seat freed); returns how many.
pub async fn release_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let sessions: Vec<(i64,)> =
        sqlx::query_as("SELECT DISTINCT session_id FROM registrations WHERE status = $1 AND held_until < $2")
            .bind(RegistrationStatus::Cart)
            .bind(now())
            .fetch_all(db)
            .await?;
    let mut released = 0;
    for (session_id,) in sessions {
        let mut tx = super::db::begin(db).await?;
        released += release_in(&mut tx, session_id).await?;
        tx.commit().await?;
    }
    Ok(released)
}

/// Inside a transaction: releases the expired holds of one session.
pub async fn release_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, session_id: i64) -> Result<u64, sqlx::Error> {
    let n = sqlx::query("UPDATE registrations SET status = $3 WHERE session_id = $1 AND status = $4 AND held_until < $2")
        .bind(session_id)
        .bind(now())
        .bind(RegistrationStatus::Expired)
        .bind(RegistrationStatus::Cart)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n > 0 {
        super::seats::free_seats(tx, session_id, n).await?;
        // The seats go to the session's waiting list first, if anyone waits.
        super::waitlist::seats_changed(tx, session_id).await?;
    }
    Ok(n)
}

#[derive(sqlx::FromRow)]
struct CartRow {
    id: i64,
    participant_first_name: String,
    participant_last_name: String,
    title: String,
    start_date: String,
    end_date: String,
    city: String,
    price_cents: i64,
    held_until: i64,
    registered_by: i64,
    owner_first_name: String,
    owner_last_name: String,
}

impl CartRow {
    fn period(&self) -> String {
        period_of(&self.start_date, &self.end_date)
    }
}

/// A session's dates as the portal writes them, from their stored text.
fn period_of(start: &str, end: &str) -> String {
    match (Date::parse(start), Date::parse(end)) {
        (Some(s), Some(e)) => period_fr(s, e),
        _ => start.to_string(),
    }
}

/// The company's cart lines whose hold is still valid; of one user only with `only_by`.
async fn cart_rows(db: &Db, company_id: i64, only_by: Option<i64>) -> Result<Vec<CartRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.participant_first_name, r.participant_last_name, t.title, s.start_date, s.end_date, s.city, t.price_cents, r.held_until, \
         r.registered_by, u.first_name AS owner_first_name, u.last_name AS owner_last_name \
         FROM registrations r JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id \
         JOIN users u ON u.id = r.registered_by \
         WHERE r.company_id = $1 AND ($2 = 0 OR r.registered_by = $3) AND r.status = $5 AND r.held_until >= $4 \
         ORDER BY s.start_date, r.participant_last_name, r.participant_first_name, r.id",
    )
    .bind(company_id)
    .bind(only_by.unwrap_or(0))
    .bind(only_by.unwrap_or(0))
    .bind(now())
    .bind(RegistrationStatus::Cart)
    .fetch_all(db)
    .await
}

/// The user's cart for a company (holds still valid).
pub async fn cart(db: &Db, company_id: i64, user_id: i64) -> Result<Vec<CartLine>, sqlx::Error> {
    Ok(cart_rows(db, company_id, Some(user_id))
        .await?
        .into_iter()
        .map(|r| CartLine {
            registration_id: r.id,
            participant: format!("{} {}", r.participant_first_name, r.participant_last_name),
            training_title: r.title.clone(),
            period: r.period(),
            city: r.city,
            price: Money(r.price_cents),
            held_until: r.held_until,
        })
        .collect())
}

/// Every cart of the company in progress (holds still valid), whose it is, for its
/// administrators and training managers; `viewer`'s own lines are marked.
pub async fn company_carts(db: &Db, company_id: i64, viewer: i64) -> Result<Vec<FirmCartLine>, sqlx::Error> {
    Ok(cart_rows(db, company_id, None)
        .await?
        .into_iter()
        .map(|r| FirmCartLine {
            owner: format!("{} {}", r.owner_first_name, r.owner_last_name),
            mine: r.registered_by == viewer,
            participant: format!("{} {}", r.participant_first_name, r.participant_last_name),
            period: r.period(),
            training_title: r.title,
            city: r.city,
            held_until: r.held_until,
        })
        .collect())
}

/// Where an order of `company_id` may be invoiced: itself, its establishments, and the
/// companies that list it as an authorised third party.
pub async fn billing_options(db: &Db, company_id: i64) -> Result<Vec<BillingOption>, sqlx::Error> {
    let (name,): (String,) = sqlx::query_as("SELECT legal_name FROM companies WHERE id = $1").bind(company_id).fetch_one(db).await?;
    let mut out = vec![BillingOption { code: format!("company:{company_id}"), label: format!("{name} (siège)") }];
    let establishments: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, city FROM establishments WHERE company_id = $1 AND removed_at IS NULL ORDER BY name").bind(company_id).fetch_all(db).await?;
    out.extend(establishments.into_iter().map(|(id, n, city)| BillingOption { code: format!("establishment:{id}"), label: format!("{name} — établissement {n} ({city})") }));
    let third: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.id, c.legal_name FROM third_party_allowed a JOIN companies c ON c.id = a.company_id \
         WHERE a.allowed_company_id = $1 AND c.third_party_mode = 'listed' ORDER BY c.legal_name",
    )
    .bind(company_id)
    .fetch_all(db)
    .await?;
    out.extend(third.into_iter().map(|(id, n)| BillingOption { code: format!("company:{id}"), label: format!("{n} (tiers de facturation)") }));
    Ok(out)
}

#[derive(Debug, PartialEq, Eq)]
pub enum ValidateOutcome {
    /// (order number, order id)
    Validated(String, i64),
    Empty,
}

/// One participant of an order, with what his mail tells him.
pub struct OrderedSeat {
    /// The provider of the training (the mail is about its session).
    pub provider_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub training_title: String,
    pub period: String,
    pub city: String,
}

pub async fn ordered_seats<'e>(db: impl sqlx::Executor<'e, Database = sqlx::Any>, order_id: i64) -> Result<Vec<OrderedSeat>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        provider_id: i64,
        participant_email: String,
        participant_first_name: String,
        participant_last_name: String,
        title: String,
        start_date: String,
        end_date: String,
        city: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.provider_id, r.participant_email, r.participant_first_name, r.participant_last_name, t.title, s.start_date, s.end_date, s.city \
         FROM registrations r JOIN training_sessions s ON s.id = r.session_id JOIN trainings t ON t.id = s.training_id WHERE r.order_id = $1",
    )
    .bind(order_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OrderedSeat {
            provider_id: r.provider_id,
            email: r.participant_email,
            first_name: r.participant_first_name,
            last_name: r.participant_last_name,
            period: period_of(&r.start_date, &r.end_date),
            training_title: r.title,
            city: r.city,
        })
        .collect())
}

/// Turns the user's valid cart lines into a validated order, numbered without gaps
/// per year ("CMD-2026-000001"); the registrations become "en attente". In `tx`, a
/// transaction just begun whose first statement this is (SQLite takes its write lock
/// at once), where the order's mails are written too; `Empty` leaves nothing to commit.
pub async fn validate(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    company_id: i64,
    user_id: i64,
    billing_company_id: i64,
    billing_establishment_id: Option<i64>,
    po_reference: &str,
) -> Result<ValidateOutcome, sqlx::Error> {
    let order_id = new_id();
    let t = now();
    let take_cart = sqlx::query(
        "UPDATE registrations SET status = $5, held_until = NULL, order_id = $1 \
         WHERE company_id = $2 AND registered_by = $3 AND status = $6 AND held_until >= $4",
    )
    .bind(order_id)
    .bind(company_id)
    .bind(user_id)
    .bind(t)
    .bind(RegistrationStatus::Pending)
    .bind(RegistrationStatus::Cart);
    if take_cart.execute(&mut **tx).await?.rows_affected() == 0 {
        return Ok(ValidateOutcome::Empty);
    }
    let (total,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(t.price_cents), 0) AS BIGINT) FROM registrations r JOIN training_sessions s ON s.id = r.session_id \
         JOIN trainings t ON t.id = s.training_id WHERE r.order_id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    let year = today().year;
    let counter = format!("order-{year}");
    let seq = super::db::next_in_sequence(tx, &counter).await?;
    let number = format!("CMD-{year}-{seq:06}");
    sqlx::query(
        "INSERT INTO orders (id, number, company_id, billing_company_id, billing_establishment_id, po_reference, total_cents, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(order_id)
    .bind(&number)
    .bind(company_id)
    .bind(billing_company_id)
    .bind(billing_establishment_id)
    .bind(po_reference)
    .bind(total)
    .bind(user_id)
    .bind(t)
    .execute(&mut **tx)
    .await?;
    Ok(ValidateOutcome::Validated(number, order_id))
}

/// The validated orders of a company (placed by it or invoiced to it); with `placed_by`,
/// only those that user placed for it: one page (`per_page::ORDERS`), the newest first.
pub async fn orders_for(db: &Db, company_id: i64, placed_by: Option<i64>, page: PageRequest) -> Result<Paged<OrderSummary>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        number: String,
        company_id: i64,
        ordering_name: String,
        billing_name: String,
        establishment: Option<String>,
        po_reference: String,
        total_cents: i64,
        created_at: i64,
        registrations: i64,
    }
    const WHERE: &str = "WHERE (o.company_id = $1 OR o.billing_company_id = $2) AND ($3 = 0 OR (o.created_by = $4 AND o.company_id = $5))";
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM orders o {WHERE}"))
        .bind(company_id)
        .bind(company_id)
        .bind(i64::from(placed_by.is_some()))
        .bind(placed_by.unwrap_or(0))
        .bind(company_id)
        .fetch_one(db)
        .await?;
    let window = page.window(total.max(0) as u64, per_page::ORDERS);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT o.id, o.number, o.company_id, c.legal_name AS ordering_name, b.legal_name AS billing_name, e.name AS establishment, \
         o.po_reference, o.total_cents, o.created_at, (SELECT COUNT(*) FROM registrations r WHERE r.order_id = o.id) AS registrations \
         FROM orders o JOIN companies c ON c.id = o.company_id JOIN companies b ON b.id = o.billing_company_id \
         LEFT JOIN establishments e ON e.id = o.billing_establishment_id \
         {WHERE} ORDER BY o.created_at DESC, o.number DESC, o.id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(company_id)
    .bind(company_id)
    .bind(i64::from(placed_by.is_some()))
    .bind(placed_by.unwrap_or(0))
    .bind(company_id)
    .bind(window.limit())
    .bind(window.offset())
    .fetch_all(db)
    .await?;
    Ok(window.page_of(rows
        .into_iter()
        .map(|r| OrderSummary {
            id: r.id,
            number: r.number,
            placed_here: r.company_id == company_id,
            ordering_company: r.ordering_name,
            billing_entity: match r.establishment {
                Some(est) => format!("{} — {est}", r.billing_name),
                None => r.billing_name,
            },
            po_reference: r.po_reference,
            total: Money(r.total_cents),
            created_at: r.created_at,
            registrations: r.registrations,
        })
        .collect()))
}
