//! Personal data: the person's own export ("Mes données", a plain GET download routed
//! by the server binary), the erasure of his own account ("Supprimer mon compte"), and
//! an administrator removing a former collaborator. Services: `server::export`,
//! `server::privacy`.

use crate::error::AppError;
use leptos::prelude::*;

/// Where the browser goes once the account is erased.
pub const AFTER_ERASURE: &str = "/confidentialite?compte=supprime";

/// The caller himself: everything the portal holds about him, as `mes-donnees.zip`
/// (JSON plus CSV). What reached him through an address is exported only when the
/// address is proven.
#[cfg(feature = "ssr")]
pub async fn my_data(state: crate::server::AppState, headers: &http::HeaderMap) -> crate::error::AppResult<crate::server::documents::File> {
    use crate::server::export;
    let caller = crate::auth::server::caller_from(state, headers).await?;
    let user = caller.user()?;
    let data = export::collect(caller.db(), user.id, user.proven_email(), crate::server::db::now()).await?.ok_or(AppError::NotFound)?;
    let bytes = export::zip(&export::files(&data)).map_err(|e| {
        tracing::error!("export of account {}: {e}", user.id);
        AppError::Internal
    })?;
    Ok(("mes-donnees.zip".to_string(), bytes))
}

/// The caller himself, his current password typed: erases his account (personal data
/// deleted or pseudonymised, what the law keeps stays; `server::privacy`) and logs him
/// out. Refused while he is the last administrator of a company.
#[server(endpoint = "account/delete")]
pub async fn delete_account(current_password: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::privacy::{self, Erasure};
        use crate::server::security::{self, Event};
        let mut caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        if confirm.is_none() {
            return Err(AppError::validation("confirm", "Cochez la case pour confirmer la suppression de votre compte."));
        }
        if crate::server::accounts::check_credentials(caller.db(), user.email(), current_password).await? != Some(user.id) {
            return Err(AppError::validation("current_password", "Le mot de passe actuel est incorrect."));
        }
        match privacy::erase_account(caller.db(), user.id, user.proven_email()).await? {
            Erasure::LastAdmin(company) => Err(AppError::conflict(format!(
                "Vous êtes le dernier administrateur de « {company} » : nommez un autre administrateur dans MON ENTREPRISE \
                 (Annuaire de mes collaborateurs) avant de supprimer votre compte."
            ))),
            Erasure::Erased => {
                security::log(Event::AccountErased, Some(user.id), crate::auth::server::client_addr().as_deref(), "by the person");
                caller.log_out().await?;
                leptos_axum::redirect(AFTER_ERASURE);
                Ok(())
            }
        }
    }
    .await)
    .await
}

/// Administrators: removes a former collaborator and erases his personal data when it
/// concerns this company only; someone who belongs elsewhere too is only detached from
/// the company (directory entry and roles).
#[server(endpoint = "company/people/erase")]
pub async fn erase_person(company_id: i64, email: String, confirm: Option<String>) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::api::company::ssr;
        use crate::server::privacy::{self, Removal};
        use crate::server::security::{self, Event};
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user = caller.user()?.clone();
        let echo = if confirm.is_none() {
            ssr::invalid(&[], "roles", format!("Cochez « Je confirme » pour supprimer les données de {email}."))
        } else if user.email() == email {
            ssr::invalid(&[], "roles", "Pour supprimer vos propres données, utilisez « Supprimer mon compte » dans Mon compte.")
        } else {
            match privacy::remove_collaborator(caller.db(), user.id, company_id, &email).await? {
                Removal::Erased => {
                    security::log(Event::AccountErased, Some(user.id), crate::auth::server::client_addr().as_deref(), "by an administrator");
                    ssr::notice(format!(
                        "Les données personnelles de {email} sont supprimées. Ses inscriptions gardent leurs heures, et les \
                         conventions, certificats et factures le nom qui y figure."
                    ))
                }
                Removal::Detached => ssr::notice(format!(
                    "{email} est retiré(e) de l'annuaire et de ses rôles. Ses autres données ne sont pas supprimées : cette \
                     personne a aussi des liens avec une autre structure ou un organisme de formation."
                )),
                Removal::LastAdmin => ssr::invalid(
                    &[],
                    "roles",
                    "La structure doit garder au moins un administrateur : nommez-en un autre avant de retirer celui-ci.",
                ),
                Removal::NotFound => return Err(AppError::NotFound),
            }
        };
        ssr::answer(&mut caller, company_id, "roles", echo).await
    }
    .await)
    .await
}
