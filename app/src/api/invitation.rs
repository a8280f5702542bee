use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub first_name: String,
    /// Messages from the visitor's last attempt on this link.
    pub errors: BTreeMap<String, String>,
}

/// Public, but only to the holder of the link: who the invitation is for.
#[server(endpoint = "invitation/get")]
pub async fn get_invitation(token: String) -> Result<Option<InvitationView>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::FormState;
        use crate::server::{drafts, invitations};
        let caller = crate::auth::server::caller().await?;
        let Some(inv) = invitations::find(caller.db(), &token).await? else { return Ok(None) };
        let errors = match &caller.session {
            Some(s) => drafts::load::<FormState<()>>(caller.db(), &s.hash, "invitation").await?.unwrap_or_default().errors,
            None => BTreeMap::new(),
        };
        Ok(Some(InvitationView { email: inv.email, first_name: inv.first_name, errors }))
    }
    .await)
    .await
}

/// The invitee chooses his password: the account is created (or completed), he is
/// logged in and lands in his spaces. The link works once.
#[server(endpoint = "invitation/accept")]
pub async fn accept_invitation(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<BTreeMap<String, String>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::{FormState, NewPassword};
        use crate::server::{accounts, drafts, invitations};
        let mut caller = crate::auth::server::caller().await?;
        let session = caller.ensure_session().await?;
        let password = match NewPassword::parse(&password, &password_confirm) {
            Ok(p) => p,
            Err(e) => {
                let errors = e.into_map();
                drafts::save(caller.db(), &session, "invitation", &FormState { values: (), errors: errors.clone(), notice: None })
                    .await?;
                return Ok(errors);
            }
        };
        let hash = accounts::hash_password(password.into_string()).await;
        let user_id = invitations::accept(caller.db(), &token, hash)
            .await?
            .ok_or_else(|| AppError::conflict("Ce lien d'invitation a déjà servi ou a expiré."))?;
        drafts::clear(caller.db(), &session, "invitation").await?;
        caller.log_in(user_id).await?;
        leptos_axum::redirect("/espaces");
        Ok(BTreeMap::new())
    }
    .await)
    .await
}
