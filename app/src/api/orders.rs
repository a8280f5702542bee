//! The cart (panier) and validated orders.

use crate::domain::account::FormState;
use crate::domain::order::{BillingOption, CartLine, FirmCartLine, OrderSummary};
use crate::domain::page::{PageRequest, Paged};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A refusal that names the company becomes "not found" for the cart.
#[cfg(feature = "ssr")]
fn quiet(e: AppError) -> AppError {
    match e {
        AppError::Forbidden(_) => AppError::NotFound,
        e => e,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartPage {
    pub company_name: String,
    pub tabs: crate::domain::rights::Tabs,
    pub lines: Vec<CartLine>,
    /// For those who manage the company (administrators, training managers): every cart
    /// of the company in progress, whose it is and until when its seats are held.
    pub firm: Option<Vec<FirmCartLine>>,
    pub billing_options: Vec<BillingOption>,
    pub echo: FormState<BTreeMap<String, String>>,
}

/// Those who may register for the company: their own cart for it; those who manage it
/// also see every cart of the company in progress (read only).
#[server(endpoint = "orders/cart")]
pub async fn get_cart(company_id: i64) -> Result<CartPage, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::server::orders;
        let caller = crate::auth::server::caller().await?;
        // Someone without the right has no cart here: not even the company's name.
        let access = caller.require_company(company_id, Need::Register).await.map_err(quiet)?;
        let user_id = caller.user()?.id;
        let lines = orders::cart(caller.db(), company_id, user_id).await?;
        let firm = match crate::domain::rights::allows(&access, Need::Manage) {
            true => Some(orders::company_carts(caller.db(), company_id, user_id).await?),
            false => None,
        };
        let member = crate::domain::rights::allows(&access, Need::Member);
        let mut billing_options = orders::billing_options(caller.db(), company_id).await?;
        if !member {
            // Open mode: a stranger registers and orders in the company's name, and learns
            // nothing of it (name, establishments, third parties).
            billing_options.truncate(1);
            if let Some(o) = billing_options.first_mut() {
                o.label = "La structure pour laquelle vous inscrivez (siège)".into();
            }
        }
        let echo = caller.take_draft(&format!("panier:{company_id}")).await?.unwrap_or_default();
        let company_name = if member { access.name.clone() } else { "Structure (inscription ouverte)".to_string() };
        Ok(CartPage { tabs: access.tabs(), company_name, lines, firm, billing_options, echo })
    }
    .await)
    .await
}

/// Validates the caller's cart for the company: the billing entity must be the company,
/// one of its establishments, or a company that authorises it as third party.
#[server(endpoint = "orders/validate")]
pub async fn validate_order(
    company_id: i64,
    billing: String,
    billing_siret: String,
    po_reference: String,
    accept_terms: Option<String>,
) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::domain::order::{BillingChoice, OrderForm};
        use crate::domain::FieldErrors;
        use crate::server::orders::{self, ValidateOutcome};
        use crate::server::{admin, companies, drafts};
        let mut caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Register).await.map_err(quiet)?;
        let user = caller.user()?.clone();
        let user_id = user.id;
        let form = OrderForm {
            billing: billing.clone(),
            billing_siret: billing_siret.clone(),
            po_reference: po_reference.clone(),
            accept_terms: accept_terms.is_some(),
        };
        let (mut errors, order) = match form.parse() {
            Ok(order) => (FieldErrors::new(), Some(order)),
            Err(e) => (e, None),
        };
        // Resolve the billing entity (even when another field is refused: all is said at once).
        let target: Option<(i64, Option<i64>)> = match form.billing_choice() {
            Err(_) => None,
            Ok(BillingChoice::Siret(s)) => match companies::id_by_siret(caller.db(), &s).await? {
                Some(id) => Some((id, None)),
                None => {
                    errors.add("billing_siret", "Aucune structure inscrite n'a ce SIRET.");
                    None
                }
            },
            Ok(BillingChoice::Company(id)) => Some((id, None)),
            Ok(BillingChoice::Establishment(id)) => {
                if admin::establishments(caller.db(), company_id).await?.iter().any(|e| e.id == id) {
                    Some((company_id, Some(id)))
                } else {
                    errors.add("billing", "Choisissez l'entité de facturation.");
                    None
                }
            }
        };
        let member = crate::domain::rights::allows(&access, Need::Member);
        if !member && target.is_some_and(|t| t != (company_id, None)) {
            // A stranger in open mode is offered the company itself only.
            errors.add("billing", "Choisissez l'entité de facturation.");
        }
        if let Some((billing_id, _)) = target {
            if !admin::may_bill(caller.db(), billing_id, company_id).await? {
                errors.add("billing", "Cette structure n'autorise pas votre structure à la choisir comme entité de facturation.");
            }
        }
        let hash = caller.ensure_session().await?;
        let draft = format!("panier:{company_id}");
        if let (Some((billing_id, establishment)), Some(order), true) = (target, order, errors.is_empty()) {
            // The participants are mailed.
            caller.require_mail_allowance().await?;
            // The order and the mails to its participants, together.
            let mut tx = crate::server::db::begin(caller.db()).await?;
            match orders::validate(&mut tx, company_id, user_id, billing_id, establishment, &order.po_reference).await? {
                ValidateOutcome::Validated(number, order_id) => {
                    crate::server::mail::announce_order(&mut tx, &caller.sender()?, order_id, company_id, &access.name).await?;
                    caller.state.mailer.commit(tx).await?;
                    let done: FormState<BTreeMap<String, String>> =
                        FormState { notice: Some(format!("Commande {number} validée.")), ..Default::default() };
                    // The validator sees the order he placed (a training manager too).
                    if crate::domain::rights::allows(&access, Need::PlacedOrders) {
                        drafts::save(caller.db(), &hash, &format!("entreprise:{company_id}:orders"), &done).await?;
                        leptos_axum::redirect(&format!("/entreprise/{company_id}/commandes"));
                    } else {
                        // He may not read the company's orders: his own trainings show it.
                        drafts::save(caller.db(), &hash, crate::auth::server::FLASH, &format!("Commande {number} validée.")).await?;
                        leptos_axum::redirect("/espaces");
                    }
                    return Ok(());
                }
                ValidateOutcome::Empty => {
                    tx.rollback().await?;
                    errors.add("lines", "Votre panier est vide, ou le délai de réservation des places est dépassé.");
                }
            }
        }
        let values: BTreeMap<String, String> = [("billing", billing), ("billing_siret", billing_siret), ("po_reference", po_reference)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        drafts::save(caller.db(), &hash, &draft, &FormState { values, errors: errors.into_map(), notice: None }).await?;
        Ok(())
    }
    .await)
    .await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrdersPage {
    pub company_name: String,
    pub tabs: crate::domain::rights::Tabs,
    /// One page of the orders, the newest first, and their number.
    pub orders: Paged<OrderSummary>,
    /// Only the orders the caller placed (a training manager).
    pub only_mine: bool,
    pub notice: Option<String>,
}

/// The company's validated orders and their purchase orders, one page at a time: all
/// of them to those who see its orders (administrators, billing managers, a
/// delegation), those he placed to a training manager.
#[server(endpoint = "orders/list")]
pub async fn get_orders(company_id: i64, #[server(default)] page: PageRequest) -> Result<OrdersPage, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::server::orders;
        let caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::PlacedOrders).await?;
        let placed_by = if crate::domain::rights::allows(&access, Need::Orders) { None } else { Some(caller.user()?.id) };
        let notice = caller
            .take_draft::<FormState<BTreeMap<String, String>>>(&format!("entreprise:{company_id}:orders"))
            .await?
            .and_then(|e| e.notice);
        Ok(OrdersPage {
            tabs: access.tabs(),
            company_name: access.name,
            orders: orders::orders_for(caller.db(), company_id, placed_by, page).await?,
            only_mine: placed_by.is_some(),
            notice,
        })
    }
    .await)
    .await
}
