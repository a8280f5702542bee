//! "Mot de passe oublié": asking for a link (the same answer, after about the same time,
//! whether the address has an account or not) and choosing a new password through it.

use crate::domain::account::FormState;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the visitor typed in the recovery form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryValues {
    pub email: String,
}

/// The one answer to a recovery request, whoever the address belongs to.
pub const RECOVERY_ANSWER: &str = "Si un compte existe pour cette adresse, vous recevrez un lien pour choisir un nouveau mot de passe. \
     Ce lien est valable 1 heure et ne sert qu'une fois. Pensez à regarder dans vos courriers indésirables.";

/// The page of a reset link that can still be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetView {
    pub email: String,
    /// Messages of the visitor's last attempt on this page.
    pub errors: BTreeMap<String, String>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::time::Duration;

    /// Every recovery request answers after this long at least, whether or not it mailed
    /// a link: the time tells nothing of who has an account.
    pub const ANSWER_FLOOR: Duration = Duration::from_millis(300);

    pub const FORM: &str = "recovery";
    pub const RESET_FORM: &str = "reset";
}

/// Public: the visitor's last recovery request (the address typed, the answer).
#[server(endpoint = "account/recovery/state")]
pub async fn recovery_state() -> Result<FormState<RecoveryValues>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        Ok(caller.take_draft(ssr::FORM).await?.unwrap_or_default())
    }
    .await)
    .await
}

/// Public: mails a single-use reset link (1 h) to the address if it has an account. The
/// answer, and the time it takes, are the same either way.
#[server(endpoint = "account/recovery")]
pub async fn ask_recovery(email: String) -> Result<FormState<RecoveryValues>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::Email;
        use crate::server::security::{self, Event};
        use crate::server::tokens::{self, Purpose};
        use crate::server::{drafts, recovery};
        let started = tokio::time::Instant::now();
        let mut caller = crate::auth::server::caller().await?;
        let mut state = FormState { values: RecoveryValues { email: email.clone() }, ..Default::default() };
        match Email::parse(&email) {
            Err(message) => {
                state.errors.insert("email".into(), message.into());
            }
            Ok(address) => {
                match recovery::account_of(caller.db(), address.as_str()).await? {
                    Some((user_id, first_name)) => {
                        // The link and its mail, together.
                        let mut tx = crate::server::db::begin(caller.db()).await?;
                        let token = tokens::issue(&mut *tx, user_id, Purpose::Reset, address.as_str()).await?;
                        let url = &caller.state.config.public_url;
                        let body = format!(
                            "Bonjour {first_name},\n\nUne demande de nouveau mot de passe a été faite pour votre compte Espace Entreprise. \
                             Pour choisir votre nouveau mot de passe, suivez ce lien (valable 1 heure, une seule fois) :\n\
                             {url}/nouveau-mot-de-passe/{token}\n\n\
                             Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe ne change pas.\n"
                        );
                        let mail = crate::server::outbox::Mail::new(address.as_str(), "Choisir un nouveau mot de passe", body);
                        caller.state.mailer.enqueue(&mut tx, &mail).await?;
                        caller.state.mailer.commit(tx).await?;
                        security::log(Event::RecoveryAsked, Some(user_id), None, "reset link mailed");
                    }
                    None => security::log(Event::RecoveryAsked, None, None, "no account for the address"),
                }
                state.notice = Some(RECOVERY_ANSWER.to_string());
            }
        }
        let session = caller.ensure_session().await?;
        drafts::save(caller.db(), &session, ssr::FORM, &state).await?;
        tokio::time::sleep_until(started + ssr::ANSWER_FLOOR).await;
        Ok(state)
    }
    .await)
    .await
}

/// Public, but only to the holder of the link: the reset page, if the link can still
/// be used (`None` for any other text, of any length or bytes).
#[server(endpoint = "account/reset/get")]
pub async fn get_reset(token: String) -> Result<Option<ResetView>, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::tokens::{self, Purpose};
        let caller = crate::auth::server::caller().await?;
        let Some(link) = tokens::peek(caller.db(), &token, Purpose::Reset).await? else { return Ok(None) };
        let errors = caller.draft::<FormState<()>>(ssr::RESET_FORM).await?.unwrap_or_default().errors;
        Ok(Some(ResetView { email: link.email, errors }))
    }
    .await)
    .await
}

/// The holder of a reset link chooses a new password: it is set, every reset link and
/// every session of the account end, the address counts as proven, the failed log-ins
/// are forgotten, and this browser is logged in afresh.
#[server(endpoint = "account/reset")]
pub async fn reset_password(token: String, password: String, password_confirm: String) -> Result<BTreeMap<String, String>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::NewPassword;
        use crate::server::security::{self, Event};
        use crate::server::{accounts, drafts, recovery};
        let mut caller = crate::auth::server::caller().await?;
        let password = match NewPassword::parse(&password, &password_confirm) {
            Ok(p) => p,
            Err(e) => {
                let errors = e.into_map();
                let session = caller.ensure_session().await?;
                let state = FormState { values: (), errors: errors.clone(), notice: None };
                drafts::save(caller.db(), &session, ssr::RESET_FORM, &state).await?;
                return Ok(errors);
            }
        };
        let hash = accounts::hash_password(password.into_string()).await;
        let user_id = recovery::reset_password(caller.db(), &token, &hash)
            .await?
            .ok_or_else(|| AppError::conflict("Ce lien a déjà servi ou a expiré : demandez un nouveau lien depuis « Mot de passe oublié ? »."))?;
        if let Some(s) = &caller.session {
            drafts::clear(caller.db(), &s.hash, ssr::RESET_FORM).await?;
        }
        security::log(Event::RecoveryUsed, Some(user_id), None, "password reset; every session ended");
        // An account with a second factor still asks for its code.
        let to = caller.password_accepted(user_id, "/espaces").await?;
        leptos_axum::redirect(&to);
        Ok(BTreeMap::new())
    }
    .await)
    .await
}
