//! The portal's help desk ("Assistance à l'utilisation"), shown to everybody.

use crate::domain::support::Support;
use crate::error::AppError;
use leptos::prelude::*;

/// Public: how to reach the help desk (the operator's settings, the same for everybody).
#[server(endpoint = "support")]
pub async fn get_support() -> Result<Support, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        Ok(caller.state.config.support.clone())
    }
    .await)
    .await
}
