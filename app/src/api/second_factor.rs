//! The second factor: the log-in's code step, and its set-up in Mon compte.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What Mon compte shows of the second factor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorView {
    pub enabled: bool,
    /// Provider staff, or a role that a company protects with it: it cannot be turned off.
    pub required: bool,
    /// The set-up under way: the key to type into the app, and its otpauth:// link.
    pub pending_secret: Option<String>,
    pub pending_url: Option<String>,
    pub codes_left: i64,
    /// Recovery codes just made, shown once.
    pub fresh_codes: Vec<String>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::server::Caller;
    use crate::error::{AppError, AppResult};
    use crate::server::drafts;

    pub const FRESH_CODES: &str = "second_factor:codes";

    /// The code field's error, kept for a page posted without JavaScript.
    pub fn wrong_code() -> AppError {
        AppError::validation("code", "Code incorrect : saisissez le code à 6 chiffres affiché par votre application.")
    }

    pub async fn keep_codes(caller: &mut Caller, codes: &[String]) -> AppResult<()> {
        let hash = caller.ensure_session().await?;
        drafts::save(caller.db(), &hash, FRESH_CODES, &codes.to_vec()).await?;
        Ok(())
    }
}

/// The logged-in user: his second factor.
#[server(endpoint = "account/second-factor")]
pub async fn get_second_factor() -> Result<SecondFactorView, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::second_factor;
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let pending = if user.second_factor { None } else { second_factor::pending(caller.db(), user.id, user.email()).await? };
        let fresh_codes: Vec<String> = caller.take_draft(ssr::FRESH_CODES).await?.unwrap_or_default();
        Ok(SecondFactorView {
            enabled: user.second_factor,
            required: second_factor::required_for(caller.db(), user.proven_email()).await?,
            pending_secret: pending.as_ref().map(|p| p.secret.clone()),
            pending_url: pending.map(|p| p.url),
            codes_left: second_factor::recovery_codes_left(caller.db(), user.id).await?,
            fresh_codes,
        })
    }
    .await)
    .await
}

/// The logged-in user: starts setting up a second factor (a new key for his app).
#[server(endpoint = "account/second-factor/begin")]
pub async fn begin_second_factor() -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        if user.second_factor {
            return Err(AppError::conflict("La double authentification est déjà activée."));
        }
        crate::server::second_factor::begin(caller.db(), user.id, user.email()).await?;
        Ok(())
    }
    .await)
    .await
}

/// The logged-in user: the first code from his app turns the second factor on; the
/// recovery codes are shown once.
#[server(endpoint = "account/second-factor/confirm")]
pub async fn confirm_second_factor(code: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::security::{self, Event};
        let mut caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        match crate::server::second_factor::confirm(caller.db(), user.id, &code).await? {
            Some(codes) => {
                security::log(Event::SecondFactorEnabled, Some(user.id), None, "");
                ssr::keep_codes(&mut caller, &codes).await
            }
            None => {
                security::log(Event::SecondFactorFailed, Some(user.id), None, "set-up");
                Err(ssr::wrong_code())
            }
        }
    }
    .await)
    .await
}

/// The logged-in user, with a current code: ten new recovery codes.
#[server(endpoint = "account/second-factor/codes")]
pub async fn renew_recovery_codes(code: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::second_factor;
        let mut caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        if !user.second_factor || !second_factor::verify(caller.db(), user.id, &code).await? {
            return Err(ssr::wrong_code());
        }
        let codes = second_factor::renew_recovery_codes(caller.db(), user.id).await?;
        ssr::keep_codes(&mut caller, &codes).await
    }
    .await)
    .await
}

/// The logged-in user, with a current code: turns the second factor off, unless his
/// roles require it.
#[server(endpoint = "account/second-factor/disable")]
pub async fn disable_second_factor(code: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::second_factor;
        use crate::server::security::{self, Event};
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        if second_factor::required_for(caller.db(), user.proven_email()).await? {
            return Err(AppError::forbidden(
                "Vos fonctions exigent la double authentification : elle ne peut pas être désactivée.",
            ));
        }
        if !user.second_factor || !second_factor::verify(caller.db(), user.id, &code).await? {
            return Err(ssr::wrong_code());
        }
        second_factor::disable(caller.db(), user.id).await?;
        security::log(Event::SecondFactorDisabled, Some(user.id), None, "");
        Ok(())
    }
    .await)
    .await
}

/// Public: the second step of a log-in whose password was right, on an account with a
/// second factor: a code from the app, or a recovery code. Five wrong codes end the
/// attempt (the password must be typed again).
#[server(endpoint = "account/login-code")]
pub async fn login_code(code: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::{PendingLogin, PENDING_LOGIN};
        use crate::server::security::{self, Event};
        use crate::server::{db::now, drafts, second_factor};
        let mut caller = crate::auth::server::caller().await?;
        let expired = || AppError::conflict("Votre connexion a expiré : saisissez de nouveau votre adresse et votre mot de passe.");
        let Some(session) = caller.session.clone() else { return Err(expired()) };
        let Some(mut pending) = drafts::load::<PendingLogin>(caller.db(), &session.hash, PENDING_LOGIN).await? else {
            return Err(expired());
        };
        if pending.until < now() {
            drafts::clear(caller.db(), &session.hash, PENDING_LOGIN).await?;
            return Err(expired());
        }
        if second_factor::verify(caller.db(), pending.user_id, &code).await? {
            drafts::clear(caller.db(), &session.hash, PENDING_LOGIN).await?;
            caller.log_in(pending.user_id).await?;
            security::log(Event::LoginSucceeded, Some(pending.user_id), None, "second factor");
            leptos_axum::redirect(&crate::api::safe_next(&pending.next));
            return Ok(());
        }
        security::log(Event::SecondFactorFailed, Some(pending.user_id), None, "log-in");
        pending.failures += 1;
        if pending.failures >= 5 {
            drafts::clear(caller.db(), &session.hash, PENDING_LOGIN).await?;
            return Err(AppError::conflict("Trop de codes incorrects : saisissez de nouveau votre adresse et votre mot de passe."));
        }
        drafts::save(caller.db(), &session.hash, PENDING_LOGIN, &pending).await?;
        Err(ssr::wrong_code())
    }
    .await)
    .await
}

/// Administrators of the company: whether its administrators and billing managers must
/// use a second factor. Turning it on needs one's own second factor first (or the
/// administrator would lock himself out).
#[server(endpoint = "company/second-factor")]
pub async fn set_company_second_factor(company_id: i64, required: Option<String>) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        let caller = crate::auth::server::caller().await?;
        caller.require_company(company_id, Need::Admin).await?;
        let user = caller.user()?.clone();
        let required = required.is_some();
        if required && !user.second_factor {
            return Err(AppError::validation(
                "required",
                "Activez d'abord votre propre double authentification (Mon compte), puis exigez-la.",
            ));
        }
        crate::server::second_factor::set_company_requirement(caller.db(), user.id, company_id, required).await?;
        let notice = if required {
            "La double authentification est désormais exigée des administrateurs et responsables facturation."
        } else {
            "La double authentification n'est plus exigée."
        };
        crate::auth::server::tell_next_page(notice).await;
        Ok(())
    }
    .await)
    .await
}
