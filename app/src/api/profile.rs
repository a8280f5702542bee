//! "Mon compte": the caller's own details, password, address and open sessions. Every
//! function here acts on the caller's own account only; nothing takes an account id.

use crate::domain::account::{FormState, SignupForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A form's echo: field -> value typed, field -> French message, and a notice.
pub type Echo = FormState<BTreeMap<String, String>>;

/// One open session of the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionLine {
    /// What "Terminer" posts (a public name of the session, not its token).
    pub id: String,
    /// "Chrome sur Linux".
    pub device: String,
    /// "29/11/2026 à 18h05" (Paris time).
    pub last_used: String,
    pub started: String,
    /// The session of the browser showing the page.
    pub current: bool,
}

/// The "Mon compte" page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub email: String,
    /// The details as stored, or as typed in a refused attempt, with its messages.
    pub details: FormState<SignupForm>,
    pub password: Echo,
    pub email_form: Echo,
    pub sessions_notice: Option<String>,
    pub sessions: Vec<SessionLine>,
}

/// The page of a link that changes the account's address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailLinkView {
    /// The new address, when the link is this account's and can still be used.
    pub new_email: Option<String>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::server::Caller;
    use crate::error::AppResult;
    use crate::server::drafts;
    use serde::{de::DeserializeOwned, Serialize};

    pub const DETAILS: &str = "compte:details";
    pub const PASSWORD: &str = "compte:password";
    pub const EMAIL: &str = "compte:email";
    pub const SESSIONS: &str = "compte:sessions";

    /// The caller's session hash (a logged-in caller has one).
    pub async fn keep<T: Serialize>(caller: &mut Caller, form: &str, value: &T) -> AppResult<()> {
        let hash = caller.ensure_session().await?;
        drafts::save(caller.db(), &hash, form, value).await?;
        Ok(())
    }

    /// A form's answer, shown once.
    pub async fn take<T: DeserializeOwned>(caller: &Caller, form: &str) -> AppResult<Option<T>> {
        let Some(s) = &caller.session else { return Ok(None) };
        let value = drafts::load(caller.db(), &s.hash, form).await?;
        if value.is_some() {
            drafts::clear(caller.db(), &s.hash, form).await?;
        }
        Ok(value)
    }

    pub fn notice(message: impl Into<String>) -> super::Echo {
        super::Echo { notice: Some(message.into()), ..Default::default() }
    }

    pub fn error(values: &[(&str, &str)], field: &str, message: impl Into<String>) -> super::Echo {
        let mut echo = super::Echo {
            values: values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        };
        echo.errors.insert(field.to_string(), message.into());
        echo
    }
}

/// The caller himself: his details, the answers of his forms, his open sessions.
#[server(endpoint = "account/profile")]
pub async fn get_profile() -> Result<ProfileView, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::date::paris_datetime;
        use crate::domain::device;
        use crate::server::{profile, sessions};
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let stored = profile::details(caller.db(), user.id).await?.ok_or(AppError::NotFound)?;
        let details = ssr::take::<FormState<SignupForm>>(&caller, ssr::DETAILS)
            .await?
            .map(|mut typed| {
                if typed.errors.is_empty() {
                    typed.values = stored.clone();
                }
                typed
            })
            .unwrap_or(FormState { values: stored, ..Default::default() });
        let current = caller.session.as_ref().map(|s| s.hash.as_str());
        let sessions = sessions::of_user(caller.db(), user.id, current)
            .await?
            .into_iter()
            .map(|s| SessionLine {
                id: s.id,
                device: device::describe(&s.user_agent),
                last_used: paris_datetime(s.last_seen_at),
                started: paris_datetime(s.created_at),
                current: s.current,
            })
            .collect();
        Ok(ProfileView {
            email: user.email().to_string(),
            details,
            password: ssr::take(&caller, ssr::PASSWORD).await?.unwrap_or_default(),
            email_form: ssr::take(&caller, ssr::EMAIL).await?.unwrap_or_default(),
            sessions_notice: ssr::take::<Echo>(&caller, ssr::SESSIONS).await?.and_then(|e| e.notice),
            sessions,
        })
    }
    .await)
    .await
}

/// The caller himself: his personal, professional and contact details (not his address,
/// which changes through a mailed link, nor his password).
#[server(endpoint = "account/profile/details")]
pub async fn update_details(form: SignupForm) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::profile;
        let mut caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        // The form has no address field: the parse checks the account's own.
        let mut form = form;
        form.email = user.email().to_string();
        let state = match form.parse() {
            Ok(valid) => {
                profile::update_details(caller.db(), user.id, &valid).await?;
                FormState { values: form, errors: BTreeMap::new(), notice: Some("Vos informations sont enregistrées.".into()) }
            }
            Err(errors) => FormState { values: form, errors: errors.into_map(), notice: None },
        };
        ssr::keep(&mut caller, ssr::DETAILS, &state).await
    }
    .await)
    .await
}

/// The caller himself: a new password, the current one typed first. Every other session
/// of the account ends; this one stays.
#[server(endpoint = "account/profile/password")]
pub async fn change_password(current_password: String, password: String, password_confirm: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::NewPassword;
        use crate::server::security::{self, Event};
        use crate::server::{accounts, profile};
        let mut caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let current_ok = accounts::check_credentials(caller.db(), user.email(), current_password).await? == Some(user.id);
        let echo = if !current_ok {
            ssr::error(&[], "current_password", "Le mot de passe actuel est incorrect.")
        } else {
            match NewPassword::parse(&password, &password_confirm) {
                Err(e) => Echo { errors: e.into_map(), ..Default::default() },
                Ok(new) => {
                    let keep = caller.ensure_session().await?;
                    let hash = accounts::hash_password(new.into_string()).await;
                    let ended = profile::change_password(caller.db(), user.id, &hash, &keep).await?;
                    security::log(Event::PasswordChanged, Some(user.id), None, &format!("{ended} other session(s) ended"));
                    ssr::notice("Votre mot de passe est changé. Vos autres sessions ouvertes sont terminées.")
                }
            }
        };
        ssr::keep(&mut caller, ssr::PASSWORD, &echo).await
    }
    .await)
    .await
}

/// The caller himself: asks that his address become `new_email`, the current password
/// typed first. A link (24 h) goes to the new address; nothing changes until it is
/// opened. The answer is the same whether or not the address already has an account
/// (its owner is told instead).
#[server(endpoint = "account/profile/email")]
pub async fn ask_email_change(current_password: String, new_email: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::Email;
        use crate::server::outbox::Mail;
        use crate::server::tokens::{self, Purpose};
        use crate::server::{accounts, profile};
        let mut caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let values = [("new_email", new_email.as_str())];
        let current_ok = accounts::check_credentials(caller.db(), user.email(), current_password).await? == Some(user.id);
        let echo = if !current_ok {
            ssr::error(&values, "current_password", "Le mot de passe actuel est incorrect.")
        } else {
            match Email::parse(&new_email) {
                Err(message) => ssr::error(&values, "new_email", message),
                Ok(address) if address.as_str() == user.email() => {
                    ssr::error(&values, "new_email", "C'est déjà l'adresse de votre compte.")
                }
                Ok(address) => {
                    caller.require_mail_allowance().await?;
                    let url = &caller.state.config.public_url;
                    let mailer = &caller.state.mailer;
                    if profile::email_taken(caller.db(), address.as_str(), user.id).await? {
                        let body = format!(
                            "Bonjour,\n\nQuelqu'un a demandé que cette adresse devienne celle d'un autre compte de l'Espace Entreprise. \
                             Elle est déjà celle de votre compte : rien n'a changé.\n\n\
                             Si vous avez oublié votre mot de passe : {url}/mot-de-passe-oublie\n"
                        );
                        let mail = Mail::new(address.as_str(), "Votre adresse sur l'Espace Entreprise", body).sent_for(Some(user.id));
                        mailer.post(caller.db(), &mail).await?;
                    } else {
                        // The link and its mail, together.
                        let mut tx = crate::server::db::begin(caller.db()).await?;
                        let token = tokens::issue(&mut *tx, user.id, Purpose::ChangeEmail, address.as_str()).await?;
                        let body = format!(
                            "Bonjour {},\n\nVous avez demandé que cette adresse devienne celle de votre compte Espace Entreprise \
                             (au lieu de {}). Pour le confirmer, connectez-vous et suivez ce lien (valable 24 heures, une seule fois) :\n\
                             {url}/changer-adresse/{token}\n\n\
                             Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne changera.\n",
                            user.first_name, user.email()
                        );
                        let mail = Mail::new(address.as_str(), "Confirmez votre nouvelle adresse", body).sent_for(Some(user.id));
                        mailer.enqueue(&mut tx, &mail).await?;
                        mailer.commit(tx).await?;
                    }
                    ssr::notice(format!(
                        "Un lien de confirmation a été envoyé à {}. Votre adresse changera quand vous l'aurez ouvert (il est valable 24 heures).",
                        address.as_str()
                    ))
                }
            }
        };
        ssr::keep(&mut caller, ssr::EMAIL, &echo).await
    }
    .await)
    .await
}

/// The account that asked for the change, holding the link: the new address, if the
/// link can still be used (any other text gives `None`).
#[server(endpoint = "account/email/get")]
pub async fn get_email_link(token: String) -> Result<EmailLinkView, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::tokens::{self, Purpose};
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?;
        let link = tokens::peek(caller.db(), &token, Purpose::ChangeEmail).await?;
        Ok(EmailLinkView { new_email: link.filter(|l| l.user_id == user.id).map(|l| l.email) })
    }
    .await)
    .await
}

/// The account that asked for the change, holding the link: the address becomes the new
/// one (proven by the link) unless another account took it meanwhile; the old address
/// is told.
#[server(endpoint = "account/email/confirm")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::profile::{self, EmailChange};
        use crate::server::security::{self, Event};
        let mut caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let tell_old = |old: &str, new: &str| {
            let body = format!(
                "Bonjour {},\n\nL'adresse de votre compte Espace Entreprise a été changée : c'est maintenant {new}. \
                 Les messages du portail iront désormais à cette adresse.\n\n\
                 Si vous n'êtes pas à l'origine de ce changement, contactez l'assistance sans attendre \
                 (du lundi au vendredi de 9h à 18h, hors jours fériés).\n",
                user.first_name
            );
            crate::server::outbox::Mail::new(old, "L'adresse de votre compte a changé", body)
        };
        match profile::change_email(caller.db(), &caller.state.mailer, &token, user.id, tell_old).await? {
            EmailChange::Changed { new, .. } => {
                security::log(Event::EmailChanged, Some(user.id), None, "address changed through its link");
                ssr::keep(&mut caller, ssr::EMAIL, &ssr::notice(format!("Votre adresse est maintenant {new}."))).await?;
                leptos_axum::redirect("/mon-compte");
                Ok(())
            }
            EmailChange::Taken => Err(AppError::conflict("Cette adresse est maintenant celle d'un autre compte : elle ne peut pas devenir la vôtre.")),
            EmailChange::Invalid => Err(AppError::conflict("Ce lien a déjà servi, a expiré ou concerne un autre compte.")),
        }
    }
    .await)
    .await
}

/// The caller himself: ends one of his own sessions ("Terminer"). A session of another
/// account is not found; ending his own current one logs him out.
#[server(endpoint = "account/sessions/end")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::security::{self, Event};
        use crate::server::sessions;
        let mut caller = crate::auth::server::caller().await?;
        let user_id = caller.user()?.id;
        let current = caller.session.as_ref().map(|s| s.hash.clone());
        let Some(ended) = sessions::end_one(caller.db(), user_id, &id).await? else { return Err(AppError::NotFound) };
        if current.as_deref() == Some(ended.as_str()) {
            caller.log_out().await?;
            leptos_axum::redirect("/");
            return Ok(());
        }
        security::log(Event::SessionEnded, Some(user_id), None, "ended from Mon compte");
        ssr::keep(&mut caller, ssr::SESSIONS, &ssr::notice("La session est terminée.")).await
    }
    .await)
    .await
}
