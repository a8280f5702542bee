//! The provider's space, for its staff only.

use crate::domain::provider::ProviderHome;
use crate::error::AppError;
use leptos::prelude::*;

/// Staff of a provider: its sessions and the questionnaires of its participants. The
/// provider is the caller's own: nothing here takes an id.
#[server(endpoint = "provider/home")]
pub async fn get_provider_home() -> Result<ProviderHome, AppError> {
    crate::error::respond(async move {
        use crate::server::provider;
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?;
        let Some((provider_id, provider_name)) = provider::of_staff(caller.db(), &user.email).await? else {
            return Err(AppError::forbidden("Cet espace est réservé au personnel des organismes de formation."));
        };
        Ok(ProviderHome {
            provider_name,
            sessions: provider::sessions(caller.db(), provider_id).await?,
            surveys: provider::surveys(caller.db(), provider_id).await?,
        })
    }
    .await)
    .await
}
