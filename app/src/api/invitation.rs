use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether the invited address has an account already, and what accepting does then.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitedAccount {
    /// No account: the invitee chooses his password.
    New,
    /// An account with a proven address: accepting changes no password; he logs in.
    Existing,
    /// An account nobody proved the address of: nothing is granted through the
    /// invitation until its owner confirms the address or chooses a new password.
    Unproven,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub first_name: String,
    pub account: InvitedAccount,
    /// Messages from the visitor's last attempt on this link.
    pub errors: BTreeMap<String, String>,
}

/// What the invitation page says to the owner of an account whose address is not proven.
pub const UNPROVEN_ACCOUNT: &str = "Un compte a déjà été créé avec cette adresse, mais elle n'a pas encore été confirmée. \
     Si vous l'avez créé, ouvrez le lien de confirmation reçu (ou connectez-vous pour en demander un nouveau) ; \
     sinon, choisissez un nouveau mot de passe avec « Mot de passe oublié ? ».";

/// Public, but only to the holder of the link: who the invitation is for.
#[server(endpoint = "invitation/get")]
pub async fn get_invitation(token: String) -> Result<Option<InvitationView>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::FormState;
        use crate::server::{accounts, invitations};
        let caller = crate::auth::server::caller().await?;
        let Some(inv) = invitations::find(caller.db(), &token).await? else { return Ok(None) };
        let errors = caller.draft::<FormState<()>>("invitation").await?.unwrap_or_default().errors;
        let account = match accounts::standing(caller.db(), &inv.email).await? {
            Some(a) if a.has_password && a.confirmed => InvitedAccount::Existing,
            Some(a) if a.has_password => InvitedAccount::Unproven,
            _ => InvitedAccount::New,
        };
        Ok(Some(InvitationView { email: inv.email, first_name: inv.first_name, account, errors }))
    }
    .await)
    .await
}

/// Accepting proves the address (the link reached it). Without an account, the invitee
/// chooses his password, is logged in and lands in his spaces. An existing password is
/// never replaced: its owner is sent to the log-in page. The link works once.
#[server(endpoint = "invitation/accept")]
pub async fn accept_invitation(
    token: String,
    password: Option<String>,
    password_confirm: Option<String>,
) -> Result<BTreeMap<String, String>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::{FormState, NewPassword};
        use crate::server::invitations::{self, Accepted};
        use crate::server::security::{self, Event};
        use crate::server::{accounts, drafts};
        let mut caller = crate::auth::server::caller().await?;
        let session = caller.ensure_session().await?;
        let used = || AppError::conflict("Ce lien d'invitation a déjà servi ou a expiré.");
        let inv = invitations::find(caller.db(), &token).await?.ok_or_else(used)?;
        let needs_password = !accounts::standing(caller.db(), &inv.email).await?.is_some_and(|a| a.has_password);
        let hash = if needs_password {
            match NewPassword::parse(password.as_deref().unwrap_or_default(), password_confirm.as_deref().unwrap_or_default()) {
                Ok(p) => Some(accounts::hash_password(p.into_string()).await),
                Err(e) => {
                    let errors = e.into_map();
                    let state = FormState { values: (), errors: errors.clone(), notice: None };
                    drafts::save(caller.db(), &session, "invitation", &state).await?;
                    return Ok(errors);
                }
            }
        } else {
            None
        };
        match invitations::accept(caller.db(), &token, hash).await?.ok_or_else(used)? {
            Accepted::Proven(user_id) => {
                security::log(Event::EmailConfirmed, Some(user_id), None, "invitation accepted");
                drafts::clear(caller.db(), &session, "invitation").await?;
                caller.log_in(user_id).await?;
                leptos_axum::redirect("/espaces");
                Ok(BTreeMap::new())
            }
            Accepted::Existing => {
                drafts::clear(caller.db(), &session, "invitation").await?;
                leptos_axum::redirect("/connexion?next=/espaces");
                Ok(BTreeMap::new())
            }
            Accepted::Unproven => Err(AppError::conflict(UNPROVEN_ACCOUNT)),
            // An account was removed meanwhile: choose a password on the page again.
            Accepted::PasswordRequired => Err(AppError::validation("password", "Choisissez votre mot de passe.")),
        }
    }
    .await)
    .await
}
