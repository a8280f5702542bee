use crate::auth::CurrentUser;
use crate::domain::account::{FormState, SignupForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginValues {
    pub email: String,
}

/// Public: who is logged in (None for a visitor).
#[server(endpoint = "account/me")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        Ok(caller.user)
    }
    .await)
    .await
}

/// Public: the message left for the visitor by a form he posted without JavaScript
/// (read once).
#[server(endpoint = "account/flash")]
pub async fn take_flash() -> Result<Option<String>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        caller.take_draft::<String>(crate::auth::server::FLASH).await
    }
    .await)
    .await
}

/// Public: the last submission of the visitor's own signup form (values, errors).
#[server(endpoint = "account/signup-state")]
pub async fn signup_state() -> Result<FormState<SignupForm>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        // "Consultez votre messagerie" stays until the next sign-up or the confirmation:
        // a page may read its state more than once while it renders.
        let state: FormState<SignupForm> = caller.draft("signup").await?.unwrap_or_default();
        Ok(state)
    }
    .await)
    .await
}

/// Public: the last submission of the visitor's own login form.
#[server(endpoint = "account/login-state")]
pub async fn login_state() -> Result<FormState<LoginValues>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        Ok(caller.draft("login").await?.unwrap_or_default())
    }
    .await)
    .await
}

/// What the sign-up page says once the form is valid, whether the address is new or
/// already has an account (which must not be told apart).
pub fn check_your_mail(email: &str) -> String {
    format!("Consultez votre messagerie : un lien de confirmation vous a été envoyé à {email}. Ouvrez-le pour activer votre compte.")
}

/// Public: creates an individual account and mails the link that proves its address.
/// For an address that already has an account, the same answer (same work: the password
/// is hashed alike), no account, and a mail to its owner instead. Nobody is logged in
/// here: confirming does it. Invalid input is kept in the visitor's draft with a message
/// per field, and the form is shown again.
#[server(endpoint = "account/signup")]
pub async fn signup(
    form: SignupForm,
    password: String,
    password_confirm: String,
    next: String,
) -> Result<FormState<SignupForm>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::NewPassword;
        use crate::domain::form::both;
        use crate::server::{accounts, confirmation, drafts};
        let mut caller = crate::auth::server::caller().await?;
        let session = caller.ensure_session().await?;
        let (db, mailer, url) = (&caller.state.db, &caller.state.mailer, caller.state.config.public_url.as_str());
        let state = match both(form.parse(), NewPassword::parse(&password, &password_confirm)) {
            Ok((valid, password)) => {
                // The account and its confirmation link, or nothing.
                let mut tx = crate::server::db::begin(db).await?;
                match accounts::create(&mut *tx, &valid, password.into_string()).await? {
                    accounts::CreateOutcome::Created(id) => {
                        confirmation::send_link(&mut tx, url, id, valid.email.as_str(), valid.first_name.as_str()).await?;
                        mailer.commit(tx).await?;
                    }
                    accounts::CreateOutcome::EmailTaken => {
                        // The refused insert wrote nothing (and ended the transaction on PostgreSQL).
                        tx.rollback().await?;
                        confirmation::mail_existing_owner(db, mailer, url, valid.email.as_str()).await?
                    }
                }
                // Where to go once the address is confirmed, in this browser.
                drafts::save(db, &session, CONFIRM_NEXT, &super::safe_next(&next)).await?;
                FormState { values: SignupForm::default(), errors: Default::default(), notice: Some(check_your_mail(valid.email.as_str())) }
            }
            Err(errors) => FormState { values: form, errors: errors.into_map(), notice: None },
        };
        drafts::save(db, &session, "signup", &state).await?;
        Ok(state)
    }
    .await)
    .await
}

/// The draft that keeps, from sign-up to confirmation, where the visitor was going.
#[cfg(feature = "ssr")]
const CONFIRM_NEXT: &str = "confirm_next";

/// Public, to the holder of the link: the address a confirmation link is for, if it is
/// still usable (the page asks for a click; opening it changes nothing).
#[server(endpoint = "account/confirmation")]
pub async fn get_confirmation(token: String) -> Result<Option<String>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        Ok(crate::server::confirmation::pending(caller.db(), &token).await?)
    }
    .await)
    .await
}

/// Public, to the holder of the link: proves the account's address (once), logs this
/// browser in (its drafts follow, so a registration started before sign-up goes on) and
/// sends it where it was going at sign-up.
#[server(endpoint = "account/confirm")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::security::{self, Event};
        use crate::server::{confirmation, drafts};
        let mut caller = crate::auth::server::caller().await?;
        let user_id = confirmation::confirm(caller.db(), &token)
            .await?
            .ok_or_else(|| AppError::conflict("Ce lien de confirmation n'est pas valable : il a déjà servi, a expiré ou est incomplet."))?;
        security::log(Event::EmailConfirmed, Some(user_id), None, "confirmation link");
        let next = match caller.session.as_ref().map(|s| s.hash.clone()) {
            Some(session) => {
                let next = drafts::load::<String>(caller.db(), &session, CONFIRM_NEXT).await?;
                drafts::clear(caller.db(), &session, CONFIRM_NEXT).await?;
                drafts::clear(caller.db(), &session, "signup").await?;
                next
            }
            None => None,
        };
        caller.log_in(user_id).await?;
        leptos_axum::redirect(&super::safe_next(next.as_deref().unwrap_or("/espaces")));
        Ok(())
    }
    .await)
    .await
}

/// What the page frame shows a logged-in user whose address is not proven yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unconfirmed {
    pub email: String,
    /// The answer to his last request for a new link (read once).
    pub message: Option<String>,
}

/// The logged-in user's unproven address, if it is (None for a visitor or a proven one).
#[server(endpoint = "account/unconfirmed")]
pub async fn get_unconfirmed() -> Result<Option<Unconfirmed>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        let Some(user) = &caller.user else { return Ok(None) };
        if user.is_confirmed() {
            return Ok(None);
        }
        let message = caller.take_draft::<String>(RESEND_NOTICE).await?;
        Ok(Some(Unconfirmed { email: user.email().to_string(), message }))
    }
    .await)
    .await
}

#[cfg(feature = "ssr")]
const RESEND_NOTICE: &str = "resend_notice";

/// Logged-in users whose address is not proven: a new confirmation link, at most one a
/// minute and five a day. Over the limit is an expected answer, not an error: its French
/// message, like the one of a sent link, is returned and shown once in the page frame.
#[server(endpoint = "account/resend")]
pub async fn resend_confirmation() -> Result<String, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::{confirmation, drafts};
        let mut caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let message = if user.is_confirmed() {
            "Votre adresse e-mail est déjà confirmée.".to_string()
        } else {
            match confirmation::may_resend(caller.db(), user.id).await? {
                Err(refusal) => refusal.message().to_string(),
                Ok(()) => {
                    let mut tx = crate::server::db::begin(caller.db()).await?;
                    confirmation::send_link(&mut tx, &caller.state.config.public_url, user.id, user.email(), &user.first_name).await?;
                    caller.state.mailer.commit(tx).await?;
                    format!("Un nouveau lien de confirmation vous a été envoyé à {}.", user.email())
                }
            }
        };
        let session = caller.ensure_session().await?;
        drafts::save(caller.db(), &session, RESEND_NOTICE, &message).await?;
        Ok(message)
    }
    .await)
    .await
}

/// Public: logs in. The same answer, after the same work, for an unknown email and a
/// wrong password.
#[server(endpoint = "account/login")]
pub async fn login(email: String, password: String, next: String) -> Result<FormState<LoginValues>, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::{accounts, drafts};
        let mut caller = crate::auth::server::caller().await?;
        let session = caller.ensure_session().await?;
        use crate::server::accounts::Attempt;
        use crate::server::security::{self, Event};
        let client = crate::auth::server::client_addr();
        let refusal = match accounts::attempt_log_in(caller.db(), &email, password).await? {
            Attempt::Succeeded(id) => {
                security::log(Event::LoginSucceeded, Some(id), client.as_deref(), "");
                drafts::clear(caller.db(), &session, "login").await?;
                let to = caller.password_accepted(id, &super::safe_next(&next)).await?;
                leptos_axum::redirect(&to);
                return Ok(FormState::default());
            }
            Attempt::Failed => {
                security::log(Event::LoginFailed, None, client.as_deref(), "");
                "Adresse e-mail ou mot de passe incorrect.".to_string()
            }
            Attempt::Locked { until } => {
                security::log(Event::LockedOut, None, client.as_deref(), "");
                locked_message(until - crate::server::db::now())
            }
        };
        let mut errors = std::collections::BTreeMap::new();
        errors.insert("password".to_string(), refusal);
        let state = FormState { values: LoginValues { email }, errors, notice: None };
        drafts::save(caller.db(), &session, "login", &state).await?;
        Ok(state)
    }
    .await)
    .await
}

/// The answer to a locked address: the same whether or not it has an account and
/// whether or not the password was right; the owner can still reset his password.
pub fn locked_message(wait_secs: i64) -> String {
    let minutes = (wait_secs.max(1) + 59) / 60;
    let wait = if minutes <= 1 { "une minute".to_string() } else { format!("{minutes} minutes") };
    format!(
        "Trop de tentatives de connexion pour cette adresse. Réessayez dans {wait}, ou choisissez « Mot de passe oublié ? » \
         pour recevoir par e-mail un lien qui vous permet de choisir un nouveau mot de passe."
    )
}

/// Logs out (ends the session on the server).
#[server(endpoint = "account/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        let mut caller = crate::auth::server::caller().await?;
        caller.log_out().await?;
        leptos_axum::redirect("/");
        Ok(())
    }
    .await)
    .await
}
