//! Sharing one's training obligation with one's firm: the person's consent, given and
//! withdrawn by himself only.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A firm of the caller and whether he shares his obligation data with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmSharing {
    pub company_id: i64,
    pub name: String,
    pub shared: bool,
}

/// The caller's firms (directory or role), each with his consent; empty until his
/// address is proven, since nothing attaches to an address its owner has not proven.
#[server(endpoint = "obligations/sharing")]
pub async fn get_sharing() -> Result<Vec<FirmSharing>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?;
        let Some(email) = user.proven_email() else { return Ok(Vec::new()) };
        let firms = crate::server::obligation_sharing::firms_of(caller.db(), user.id, email).await?;
        Ok(firms.into_iter().map(|f| FirmSharing { company_id: f.company_id, name: f.name, shared: f.shared }).collect())
    }
    .await)
    .await
}

/// The caller shares ("on") or stops sharing (anything else) his obligation data with one
/// of his firms. Another company answers "not found": the consent is his own, for a firm
/// he belongs to.
#[server(endpoint = "obligations/sharing/set")]
pub async fn set_sharing(company_id: i64, share: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?;
        let Some(email) = user.proven_email() else { return Err(AppError::NotFound) };
        let share = share == "on";
        match crate::server::obligation_sharing::set_consent(caller.db(), user.id, email, company_id, share).await? {
            Some(()) => {
                let message = if share {
                    "Votre suivi des obligations de formation est partagé avec votre cabinet."
                } else {
                    "Votre suivi des obligations de formation n'est plus partagé avec ce cabinet."
                };
                crate::auth::server::tell_next_page(message).await;
                Ok(())
            }
            None => Err(AppError::NotFound),
        }
    }
    .await)
    .await
}

/// Obligations de formation: the collaborators who share with the firm, behind first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirmObligations {
    pub company_id: i64,
    pub company_name: String,
    pub tabs: crate::domain::rights::Tabs,
    pub year: i32,
    /// The professions of the rules, for the filter: (code, label).
    pub professions: Vec<(String, String)>,
    /// The profession filtered on ("" for all), as understood.
    pub filter: String,
    /// How many collaborators share with the firm.
    pub people: usize,
    pub rows: Vec<crate::domain::obligation_firm::FirmRow>,
}

/// Administrators and training managers (the rights table's `Manage`): the obligations
/// of the collaborators who share them with the firm, optionally of one profession.
#[server(endpoint = "company/obligations")]
pub async fn get_firm_obligations(company_id: i64, profession: String) -> Result<FirmObligations, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        let caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Manage).await?;
        let today = crate::server::db::today();
        let view = crate::server::obligation_sharing::firm_view(caller.db(), company_id, &profession, today).await?;
        Ok(FirmObligations {
            company_id,
            company_name: access.name.clone(),
            tabs: access.tabs(),
            year: today.year,
            professions: view.professions,
            filter: view.filter,
            people: view.people,
            rows: view.rows,
        })
    }
    .await)
    .await
}

/// The same list as CSV (`/entreprise/{id}/obligations.csv`), for the same people.
#[cfg(feature = "ssr")]
pub async fn firm_csv(
    state: crate::server::AppState,
    headers: &http::HeaderMap,
    company_id: i64,
    profession: &str,
) -> crate::error::AppResult<crate::server::documents::File> {
    use crate::auth::server::{caller_from, Need};
    let caller = caller_from(state, headers).await?;
    caller.require_company(company_id, Need::Manage).await?;
    let today = crate::server::db::today();
    let view = crate::server::obligation_sharing::firm_view(caller.db(), company_id, profession, today).await?;
    Ok((format!("obligations-{}-{company_id}.csv", today.iso()), crate::server::obligation_sharing::firm_csv(&view, today)))
}
