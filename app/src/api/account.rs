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
        use crate::server::drafts;
        let caller = crate::auth::server::caller().await?;
        let Some(s) = &caller.session else { return Ok(None) };
        let message = drafts::load::<String>(caller.db(), &s.hash, crate::auth::server::FLASH).await?;
        if message.is_some() {
            drafts::clear(caller.db(), &s.hash, crate::auth::server::FLASH).await?;
        }
        Ok(message)
    }
    .await)
    .await
}

/// Public: the last submission of the visitor's own signup form (values, errors).
#[server(endpoint = "account/signup-state")]
pub async fn signup_state() -> Result<FormState<SignupForm>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        Ok(match &caller.session {
            Some(s) => crate::server::drafts::load(caller.db(), &s.hash, "signup").await?.unwrap_or_default(),
            None => FormState::default(),
        })
    }
    .await)
    .await
}

/// Public: the last submission of the visitor's own login form.
#[server(endpoint = "account/login-state")]
pub async fn login_state() -> Result<FormState<LoginValues>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        Ok(match &caller.session {
            Some(s) => crate::server::drafts::load(caller.db(), &s.hash, "login").await?.unwrap_or_default(),
            None => FormState::default(),
        })
    }
    .await)
    .await
}

/// Public: creates an individual account and logs it in. Invalid input is kept in the
/// visitor's draft with a message per field, and the form is shown again.
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
        use crate::server::{accounts, drafts};
        let mut caller = crate::auth::server::caller().await?;
        let session = caller.ensure_session().await?;
        let errors = match both(form.parse(), NewPassword::parse(&password, &password_confirm)) {
            Ok((valid, password)) => match accounts::create(caller.db(), &valid, password.into_string()).await? {
                accounts::CreateOutcome::Created(id) => {
                    drafts::clear(caller.db(), &session, "signup").await?;
                    caller.log_in(id).await?;
                    leptos_axum::redirect(&super::safe_next(&next));
                    return Ok(FormState::default());
                }
                accounts::CreateOutcome::EmailTaken => [(
                    "email",
                    "Un compte existe déjà avec cette adresse : connectez-vous, ou choisissez une autre adresse.",
                )]
                .into_iter()
                .collect::<crate::domain::FieldErrors>(),
            },
            Err(errors) => errors,
        };
        let state = FormState { values: form, errors: errors.into_map(), notice: None };
        drafts::save(caller.db(), &session, "signup", &state).await?;
        Ok(state)
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
