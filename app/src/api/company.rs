//! The company space and MON ENTREPRISE. Every function names the right it needs on
//! the company it touches; administrators only, except the home page (any member).

use crate::domain::account::FormState;
use crate::domain::company::{AuditEntry, BillingSettings, CompanyHome, CompanyInfo, CompanyInfoForm, EstablishmentForm, KeyContacts, Person};
use crate::domain::page::{PageRequest, Paged};
use crate::domain::registration::RegistrationFilter;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A form's echo: field -> value typed, field -> French message, and a notice.
pub type Echo = FormState<BTreeMap<String, String>>;

/// A page of MON ENTREPRISE: its data and the answers to its forms since last shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminPage<T> {
    pub company_name: String,
    pub data: T,
    pub forms: BTreeMap<String, Echo>,
}

impl<T> AdminPage<T> {
    pub fn form(&self, name: &str) -> Echo {
        self.forms.get(name).cloned().unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::{AdminPage, Echo};
    use crate::auth::server::{caller, Caller, Need};
    use crate::error::AppResult;
    use crate::domain::directory::CollaboratorInput;
    use crate::domain::rights::Access;
    use crate::domain::Role;
    use crate::server::drafts;
    use crate::server::mail::Addressee;
    use sqlx::AnyConnection;
    use std::collections::BTreeMap;

    fn draft_name(company_id: i64, form: &str) -> String {
        format!("entreprise:{company_id}:{form}")
    }

    /// The caller, if he is an administrator of the company.
    pub async fn admin(company_id: i64) -> AppResult<(Caller, Access)> {
        let caller = caller().await?;
        let access = caller.require_company(company_id, Need::Admin).await?;
        Ok((caller, access))
    }

    /// Keeps a form's answer for the page (shown once, with or without JavaScript).
    pub async fn answer(caller: &mut Caller, company_id: i64, form: &str, echo: Echo) -> AppResult<()> {
        let hash = caller.ensure_session().await?;
        drafts::save(caller.db(), &hash, &draft_name(company_id, form), &echo).await?;
        Ok(())
    }

    /// Tells a person of the roles he was just given (`server::mail::tell_roles`), in
    /// the transaction that gives them.
    pub async fn tell_roles(
        caller: &Caller,
        tx: &mut AnyConnection,
        access: &Access,
        person: &CollaboratorInput,
        roles: &[Role],
    ) -> AppResult<()> {
        let to = Addressee { email: person.email.as_str(), first_name: &person.first_name, last_name: &person.last_name };
        crate::server::mail::tell_roles(tx, &caller.sender()?, access.company_id, &access.name, &to, roles).await?;
        Ok(())
    }

    pub fn notice(message: impl Into<String>) -> Echo {
        Echo { notice: Some(message.into()), ..Default::default() }
    }

    pub fn invalid(values: &[(&str, &str)], field: &str, message: impl Into<String>) -> Echo {
        let mut errors = crate::domain::FieldErrors::new();
        errors.add(field, message);
        refused(values, errors)
    }

    /// A refused form: what was typed, and the message of each refused field.
    pub fn refused(values: &[(&str, &str)], errors: crate::domain::FieldErrors) -> Echo {
        Echo { values: values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), errors: errors.into_map(), notice: None }
    }

    /// An establishment as typed, for the echo of a refused form.
    pub fn typed(f: &crate::domain::company::EstablishmentForm) -> Vec<(&'static str, &str)> {
        vec![
            ("name", f.name.as_str()),
            ("siret", f.siret.as_str()),
            ("address_line", f.address_line.as_str()),
            ("postal_code", f.postal_code.as_str()),
            ("city", f.city.as_str()),
            ("billing_email", f.billing_email.as_str()),
        ]
    }

    /// An establishment parsed for the service, or the echo of the refused form.
    pub fn establishment(f: &crate::domain::company::EstablishmentForm) -> Result<crate::server::admin::NewEstablishment, Echo> {
        match f.parse() {
            Ok(v) => Ok(crate::server::admin::NewEstablishment {
                name: v.name.into(),
                siret: v.siret,
                address_line: v.address_line.into(),
                postal_code: v.postal_code.into_string(),
                city: v.city.into(),
                billing_email: v.billing_email,
            }),
            Err(errors) => Err(refused(&typed(f), errors)),
        }
    }

    /// Builds a page, taking the answers of its forms.
    pub async fn page<T>(caller: &Caller, access: &Access, forms: &[&str], data: T) -> AppResult<AdminPage<T>> {
        let mut out = BTreeMap::new();
        for form in forms {
            if let Some(echo) = caller.take_draft::<Echo>(&draft_name(access.company_id, form)).await? {
                out.insert(form.to_string(), echo);
            }
        }
        Ok(AdminPage { company_name: access.name.clone(), data, forms: out })
    }
}

/// Any member of the company: its home, with one page of the registrations made for it
/// that `filter` keeps.
#[server(endpoint = "company/home")]
pub async fn get_company_home(
    company_id: i64,
    #[server(default)] filter: RegistrationFilter,
    #[server(default)] page: PageRequest,
) -> Result<CompanyHome, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::domain::rights::allows;
        use crate::server::registrations;
        let caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Member).await?;
        let registrations = registrations::page_of_company(caller.db(), company_id, &filter, page).await?;
        let (participants, registrations_total) = registrations::participants_of_company(caller.db(), company_id).await?;
        let may_register = allows(&access, Need::Manage);
        let delegation = if access.roles.is_empty() {
            Some(format!("Vous agissez pour cette structure par délégation : {}.", access.delegated.label()))
        } else {
            None
        };
        let tabs = access.tabs();
        Ok(CompanyHome {
            id: company_id,
            name: access.name,
            roles: access.roles,
            policy: access.policy,
            may_register,
            tabs,
            delegation,
            registrations,
            registrations_total,
            participants,
        })
    }
    .await)
    .await
}

/// Administrators and training managers of the company (or, in open mode, the user who
/// made the registration): cancels a registration before the session, freeing the seat.
#[server(endpoint = "company/registrations/cancel")]
pub async fn cancel_registration(company_id: i64, registration_id: i64) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        let only_by = caller.registrations_to_cancel(company_id).await?;
        if crate::server::registrations::cancel(caller.db(), company_id, registration_id, only_by).await? {
            Ok(())
        } else if only_by.is_some() {
            Err(AppError::NotFound)
        } else {
            Err(AppError::conflict("Cette inscription ne peut plus être annulée (déjà annulée, passée, ou introuvable)."))
        }
    }
    .await)
    .await
}

/// Administrators: the company's information and registration policy.
#[server(endpoint = "company/info")]
pub async fn get_company_info(company_id: i64) -> Result<AdminPage<CompanyInfo>, AppError> {
    crate::auth::server::respond(async move {
        let (caller, access) = ssr::admin(company_id).await?;
        let info = crate::server::admin::info(caller.db(), company_id).await?.ok_or(AppError::NotFound)?;
        ssr::page(&caller, &access, &["info", "policy"], info).await
    }
    .await)
    .await
}

/// Administrators: changes the company's information (kept in the audit log).
#[server(endpoint = "company/info/update")]
pub async fn update_company_info(company_id: i64, info: CompanyInfoForm) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::Siret;
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let before = crate::server::admin::info(caller.db(), company_id).await?.ok_or(AppError::NotFound)?;
        let siret = Siret::parse(&before.siret).ok();
        let echo = match info.parse(siret.as_ref()) {
            Ok(valid) => {
                crate::server::admin::update_info(caller.db(), user_id, &before, &CompanyInfoForm::from(valid)).await?;
                ssr::notice("Les informations de la structure sont enregistrées.")
            }
            Err(errors) => {
                let values = serde_json::from_value(serde_json::to_value(&info)?)?;
                Echo { values, errors: errors.into_map(), notice: None }
            }
        };
        ssr::answer(&mut caller, company_id, "info", echo).await
    }
    .await)
    .await
}

/// Administrators: who may register participants (open / restricted).
#[server(endpoint = "company/policy")]
pub async fn set_registration_policy(company_id: i64, policy: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::RegistrationPolicy;
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let echo = match RegistrationPolicy::from_code(&policy) {
            Some(p) => {
                crate::server::admin::set_policy(caller.db(), user_id, company_id, p).await?;
                ssr::notice(format!("Droits d'inscription : {}.", p.label()))
            }
            None => ssr::invalid(&[], "policy", "Choisissez qui pourra inscrire des participants."),
        };
        ssr::answer(&mut caller, company_id, "policy", echo).await
    }
    .await)
    .await
}

/// Administrators: one page of the directory, with each person's roles.
#[server(endpoint = "company/people")]
pub async fn get_people(company_id: i64, #[server(default)] page: PageRequest) -> Result<AdminPage<Paged<Person>>, AppError> {
    crate::auth::server::respond(async move {
        let (caller, access) = ssr::admin(company_id).await?;
        let people = crate::server::admin::people_page(caller.db(), company_id, page).await?;
        ssr::page(&caller, &access, &["person", "roles", "import"], people).await
    }
    .await)
    .await
}

/// Administrators: adds a person to the directory, optionally with a role.
#[server(endpoint = "company/people/add")]
pub async fn add_person(company_id: i64, email: String, first_name: String, last_name: String, role: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::directory::CollaboratorForm;
        use crate::domain::Role;
        let (mut caller, access) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let values = [("email", email.as_str()), ("first_name", first_name.as_str()), ("last_name", last_name.as_str()), ("role", role.as_str())];
        let form = CollaboratorForm { first_name: first_name.clone(), last_name: last_name.clone(), email: email.clone() };
        let echo = match form.parse() {
            Err(errors) => ssr::refused(&values, errors),
            Ok(person) => {
                match Role::from_code(&role) {
                    Some(r) => {
                        // The person is told of a role given, with the change.
                        caller.require_mail_allowance().await?;
                        let mut tx = crate::server::audit::begin_change(caller.db(), company_id).await?;
                        if crate::server::admin::add_grant(&mut tx, user_id, company_id, &person, r).await? {
                            ssr::tell_roles(&caller, &mut tx, &access, &person, &[r]).await?;
                        }
                        caller.state.mailer.commit(tx).await?;
                    }
                    None => {
                        let line = crate::domain::directory::ImportLine { person: person.clone(), roles: Vec::new() };
                        crate::server::admin::import(caller.db(), user_id, company_id, &[line]).await?;
                    }
                }
                ssr::notice(format!("{} {} est dans l'annuaire.", person.first_name, person.last_name))
            }
        };
        ssr::answer(&mut caller, company_id, "person", echo).await
    }
    .await)
    .await
}

/// Administrators: grants or withdraws one role of one person (`op`: a
/// [`RoleCommand`](crate::domain::command::RoleCommand), "grant:ROLE:EMAIL" or
/// "revoke:ROLE:EMAIL"). The last administrator cannot be removed.
#[server(endpoint = "company/roles")]
pub async fn change_role(company_id: i64, op: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::command::RoleCommand;
        use crate::domain::directory::CollaboratorInput;
        use crate::server::admin::{self, RevokeOutcome};
        let (mut caller, access) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let command: RoleCommand = op.parse()?;
        let (role, email) = (command.role(), command.email().clone());
        let people = admin::people(caller.db(), company_id).await?;
        let person = people.iter().find(|p| p.email == email.as_str()).ok_or(AppError::NotFound)?;
        let echo = match command {
            RoleCommand::Grant { .. } => {
                let input = CollaboratorInput { first_name: person.first_name.clone(), last_name: person.last_name.clone(), email };
                // The person is told of a role given (not of one he already held), with
                // the change.
                caller.require_mail_allowance().await?;
                let mut tx = crate::server::audit::begin_change(caller.db(), company_id).await?;
                if admin::add_grant(&mut tx, user_id, company_id, &input, role).await? {
                    ssr::tell_roles(&caller, &mut tx, &access, &input, &[role]).await?;
                }
                caller.state.mailer.commit(tx).await?;
                ssr::notice(format!("{} est désormais {}.", person.name(), role.label().to_lowercase()))
            }
            RoleCommand::Revoke { .. } => match admin::revoke_grant(caller.db(), user_id, company_id, email.as_str(), role).await? {
                RevokeOutcome::Revoked => ssr::notice(format!("{} n'est plus {}.", person.name(), role.label().to_lowercase())),
                RevokeOutcome::NotHeld => ssr::notice(format!("{} n'avait pas ce rôle.", person.name())),
                RevokeOutcome::LastAdmin => ssr::invalid(
                    &[],
                    "roles",
                    "La structure doit garder au moins un administrateur : nommez-en un autre avant de retirer celui-ci.",
                ),
            },
        };
        ssr::answer(&mut caller, company_id, "roles", echo).await
    }
    .await)
    .await
}

/// Administrators: removes a person from the directory (and his roles).
#[server(endpoint = "company/people/remove")]
pub async fn remove_person(company_id: i64, email: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::admin::{self, RemoveOutcome};
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let echo = match admin::remove_person(caller.db(), user_id, company_id, &email).await? {
            RemoveOutcome::Removed => ssr::notice(format!("{email} est retiré(e) de l'annuaire.")),
            RemoveOutcome::LastAdmin => ssr::invalid(
                &[],
                "roles",
                "La structure doit garder au moins un administrateur : nommez-en un autre avant de retirer celui-ci.",
            ),
        };
        ssr::answer(&mut caller, company_id, "roles", echo).await
    }
    .await)
    .await
}

/// Administrators: imports collaborators from CSV text (prénom;nom;e-mail, and an
/// optional fourth column of roles), with a report of the refused lines; those given a
/// role are told by mail.
#[server(endpoint = "company/people/import")]
pub async fn import_directory(company_id: i64, csv: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        let (mut caller, access) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        if csv.len() > 1_000_000 {
            return Err(AppError::validation("csv", "Le fichier dépasse 1 Mo."));
        }
        // The text comes from a form (or from a file the browser decoded): strip its BOM, read it.
        let (accepted, refused) = crate::server::csv::read_directory(&csv);
        // Those given a role are told.
        if accepted.iter().any(|l| !l.roles.is_empty()) {
            caller.require_mail_allowance().await?;
        }
        let mut tx = crate::server::audit::begin_change(caller.db(), company_id).await?;
        let imported = crate::server::admin::import_in(&mut tx, user_id, company_id, &accepted).await?;
        for (line, roles) in accepted.iter().zip(&imported.granted) {
            ssr::tell_roles(&caller, &mut tx, &access, &line.person, roles).await?;
        }
        caller.state.mailer.commit(tx).await?;
        let added = imported.added;
        let errors: BTreeMap<String, String> =
            refused.iter().map(|r| (format!("ligne {:04}", r.line), format!("{} — « {} »", r.reason, r.content))).collect();
        let echo = Echo {
            values: BTreeMap::new(),
            notice: Some(format!(
                "{added} collaborateur(s) ajouté(s), {} déjà présent(s), {} ligne(s) refusée(s).",
                accepted.len() - added,
                refused.len()
            )),
            errors,
        };
        ssr::answer(&mut caller, company_id, "import", echo).await
    }
    .await)
    .await
}

/// Administrators: invites a person of the directory who has no account yet.
#[server(endpoint = "company/people/invite")]
pub async fn invite_person(company_id: i64, email: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::{accounts, admin, invitations};
        let (mut caller, access) = ssr::admin(company_id).await?;
        let user = caller.user()?.clone();
        let people = admin::people(caller.db(), company_id).await?;
        let person = people.iter().find(|p| p.email == email).ok_or(AppError::NotFound)?;
        let echo = if accounts::by_email(caller.db(), &person.email).await?.is_some() {
            ssr::notice(format!("{} a déjà un compte.", person.name()))
        } else {
            caller.require_mail_allowance().await?;
            // The invitation and its mail, together.
            let mut tx = crate::server::db::begin(caller.db()).await?;
            let token = invitations::create(&mut *tx, &person.email, &person.first_name, &person.last_name, Some(company_id), user.id).await?;
            let body = format!(
                "Bonjour {},\n\n{} vous invite à rejoindre l'espace entreprise de {} sur le portail de formation.\n\
                 Créez votre mot de passe en suivant ce lien (valable 7 jours, une seule fois) :\n{}/invitation/{}\n",
                person.first_name, user.display_name(), access.name, caller.state.config.public_url, token
            );
            let subject = crate::server::mail::space_invitation_subject(&access.name);
            let mail = crate::server::outbox::Mail::new(person.email.as_str(), subject, body).sent_for(Some(user.id));
            caller.state.mailer.enqueue(&mut tx, &mail).await?;
            caller.state.mailer.commit(tx).await?;
            ssr::notice(format!("Invitation envoyée à {}.", person.email))
        };
        ssr::answer(&mut caller, company_id, "roles", echo).await
    }
    .await)
    .await
}

/// Administrators: the key contacts (interlocuteurs clés) and the directory they are
/// chosen from.
#[server(endpoint = "company/contacts")]
pub async fn get_contacts(company_id: i64) -> Result<AdminPage<KeyContacts>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::company::ContactKind;
        let (caller, access) = ssr::admin(company_id).await?;
        let contacts = crate::server::admin::contacts(caller.db(), company_id).await?;
        let forms: Vec<&str> = ContactKind::ALL.iter().map(|k| k.code()).collect();
        ssr::page(&caller, &access, &forms, contacts).await
    }
    .await)
    .await
}

/// Administrators: makes a person of the directory (by address) the company's contact
/// of a kind ("direction", "formation", "facturation"), with a phone number to reach him.
#[server(endpoint = "company/contacts/set")]
pub async fn set_contact(company_id: i64, kind: String, email: String, phone: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::company::{ContactForm, ContactKind};
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let kind = ContactKind::from_code(&kind).ok_or_else(|| AppError::validation("kind", "Interlocuteur inconnu."))?;
        let values = [("email", email.as_str()), ("phone", phone.as_str())];
        let echo = match (ContactForm { email: email.clone(), phone: phone.clone() }).parse() {
            Err(errors) => ssr::refused(&values, errors),
            Ok(c) => {
                let phone = c.phone.map(|p| p.into_string()).unwrap_or_default();
                if crate::server::admin::set_contact(caller.db(), user_id, company_id, kind, &c.email, &phone).await? {
                    ssr::notice(format!("{} enregistré.", kind.label()))
                } else {
                    ssr::invalid(&values, "email", "Choisissez une personne de l'annuaire.")
                }
            }
        };
        ssr::answer(&mut caller, company_id, kind.code(), echo).await
    }
    .await)
    .await
}

/// Administrators: MES ETABLISSEMENTS and the third-party authorisation.
#[server(endpoint = "company/establishments")]
pub async fn get_establishments(company_id: i64) -> Result<AdminPage<BillingSettings>, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::admin;
        let (caller, access) = ssr::admin(company_id).await?;
        let establishments = admin::establishments(caller.db(), company_id).await?;
        let (third_party_mode, allowed) = admin::third_party(caller.db(), company_id).await?;
        let mut forms = vec!["establishment".to_string(), "removal".to_string(), "third_party".to_string()];
        forms.extend(establishments.iter().map(|e| format!("establishment-{}", e.id)));
        let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
        let data = BillingSettings { establishments, third_party_mode, allowed };
        ssr::page(&caller, &access, &forms, data).await
    }
    .await)
    .await
}

/// Administrators: "Autoriser d'autres structures à me choisir comme entité de
/// facturation". `op`: a [`ThirdPartyCommand`](crate::domain::command::ThirdPartyCommand),
/// "mode" (with `mode`), "add" (with `siret`), "remove:<company id>".
#[server(endpoint = "company/third-party")]
pub async fn set_third_party(company_id: i64, op: String, mode: Option<String>, siret: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::command::ThirdPartyCommand;
        use crate::domain::company::ThirdPartyMode;
        use crate::domain::Siret;
        use crate::server::admin::{self, AllowOutcome};
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let values = [("siret", siret.as_str())];
        let echo = match op.parse::<ThirdPartyCommand>()? {
            ThirdPartyCommand::Disallow(other) => {
                admin::disallow_third_party(caller.db(), user_id, company_id, other).await?;
                ssr::notice("La structure n'est plus autorisée.")
            }
            ThirdPartyCommand::Allow => match Siret::parse(&siret) {
                Err(m) => ssr::invalid(&values, "siret", m),
                Ok(s) => match admin::allow_third_party(caller.db(), user_id, company_id, &s).await? {
                    AllowOutcome::Allowed(name) => ssr::notice(format!("« {name} » peut vous choisir comme entité de facturation.")),
                    AllowOutcome::UnknownSiret => ssr::invalid(&values, "siret", "Aucune structure inscrite sur le portail n'a ce SIRET."),
                    AllowOutcome::Itself => ssr::invalid(&values, "siret", "C'est le SIRET de votre propre structure."),
                },
            },
            ThirdPartyCommand::SetMode => match mode.as_deref().and_then(ThirdPartyMode::from_code) {
                Some(m) => {
                    admin::set_third_party_mode(caller.db(), user_id, company_id, m).await?;
                    ssr::notice(format!("Autorisation des tiers : {}.", m.label()))
                }
                None => ssr::invalid(&values, "mode", "Choisissez une option."),
            },
        };
        ssr::answer(&mut caller, company_id, "third_party", echo).await
    }
    .await)
    .await
}

/// Administrators: declares an establishment (its own SIRET and billing address).
#[server(endpoint = "company/establishments/add")]
pub async fn add_establishment(company_id: i64, establishment: EstablishmentForm) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let echo = match ssr::establishment(&establishment) {
            Err(echo) => echo,
            Ok(e) => {
                if crate::server::admin::add_establishment(caller.db(), user_id, company_id, &e).await? {
                    ssr::notice(format!("Établissement « {} » ajouté.", e.name))
                } else {
                    ssr::invalid(&ssr::typed(&establishment), "siret", "Cet établissement est déjà déclaré.")
                }
            }
        };
        ssr::answer(&mut caller, company_id, "establishment", echo).await
    }
    .await)
    .await
}

/// Administrators: changes an establishment (checked as when it was declared; audited).
#[server(endpoint = "company/establishments/update")]
pub async fn update_establishment(company_id: i64, establishment_id: i64, establishment: EstablishmentForm) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::admin::{self, EstablishmentOutcome};
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let echo = match ssr::establishment(&establishment) {
            Err(echo) => echo,
            Ok(e) => match admin::update_establishment(caller.db(), user_id, company_id, establishment_id, &e).await? {
                EstablishmentOutcome::Done => ssr::notice(format!("Établissement « {} » modifié.", e.name)),
                EstablishmentOutcome::NotFound => return Err(AppError::NotFound),
                EstablishmentOutcome::SiretTaken | EstablishmentOutcome::InUse(_) => {
                    ssr::invalid(&ssr::typed(&establishment), "siret", "Un autre établissement a déjà ce SIRET.")
                }
            },
        };
        ssr::answer(&mut caller, company_id, &format!("establishment-{establishment_id}"), echo).await
    }
    .await)
    .await
}

/// Administrators: removes an establishment, unless an order that is not cancelled is
/// invoiced to it (audited).
#[server(endpoint = "company/establishments/remove")]
pub async fn remove_establishment(company_id: i64, establishment_id: i64) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::admin::{self, EstablishmentOutcome};
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let echo = match admin::remove_establishment(caller.db(), user_id, company_id, establishment_id).await? {
            EstablishmentOutcome::Done => ssr::notice("Établissement supprimé."),
            EstablishmentOutcome::NotFound => return Err(AppError::NotFound),
            EstablishmentOutcome::InUse(number) => {
                let message = format!(
                    "Cet établissement ne peut pas être supprimé : la commande {number} lui est facturée. \
                     Il pourra l'être quand plus aucune commande en cours ne le désigne."
                );
                Echo { notice: Some(message.clone()), errors: BTreeMap::from([("establishment".to_string(), message)]), ..Default::default() }
            }
            EstablishmentOutcome::SiretTaken => return Err(AppError::Internal),
        };
        ssr::answer(&mut caller, company_id, "removal", echo).await
    }
    .await)
    .await
}

/// Administrators: every change of rights and information (who, what, before, after,
/// when), one page at a time, the newest first.
#[server(endpoint = "company/audit")]
pub async fn get_audit_log(company_id: i64, #[server(default)] page: PageRequest) -> Result<AdminPage<Paged<AuditEntry>>, AppError> {
    crate::auth::server::respond(async move {
        let (caller, access) = ssr::admin(company_id).await?;
        let log = crate::server::admin::audit_log(caller.db(), company_id, page).await?;
        ssr::page(&caller, &access, &[], log).await
    }
    .await)
    .await
}

/// Administrators: the delegations the company granted (and those it received).
#[server(endpoint = "company/delegations")]
pub async fn get_delegations(company_id: i64) -> Result<AdminPage<crate::domain::delegation::Delegations>, AppError> {
    crate::auth::server::respond(async move {
        let (caller, access) = ssr::admin(company_id).await?;
        let data = crate::server::delegations::of_company(caller.db(), company_id).await?;
        ssr::page(&caller, &access, &["delegation"], data).await
    }
    .await)
    .await
}

/// Administrators: delegates rights to another structure, by its SIRET ("grant", with
/// `register` and/or `orders` ticked; a second grant changes the scope), or ends one
/// ("revoke:<delegation id>"): `op` is a [`DelegationCommand`](crate::domain::command::DelegationCommand). Audited.
#[server(endpoint = "company/delegations/set")]
pub async fn set_delegation(
    company_id: i64,
    op: String,
    siret: String,
    register: Option<String>,
    orders: Option<String>,
) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::command::DelegationCommand;
        use crate::domain::delegation::Scope;
        use crate::domain::Siret;
        use crate::server::delegations::{self, GrantOutcome};
        let (mut caller, _) = ssr::admin(company_id).await?;
        let user_id = caller.user()?.id;
        let scope = Scope { register: register.is_some(), orders: orders.is_some() };
        let mut values = vec![("siret", siret.as_str())];
        if scope.register {
            values.push(("register", "on"));
        }
        if scope.orders {
            values.push(("orders", "on"));
        }
        let echo = match op.parse::<DelegationCommand>()? {
            DelegationCommand::Revoke(id) => {
                if !delegations::revoke(caller.db(), user_id, company_id, id).await? {
                    return Err(AppError::NotFound);
                }
                ssr::notice("Délégation révoquée : la structure n'agit plus pour vous.")
            }
            DelegationCommand::Grant => match Siret::parse(&siret) {
                Err(m) => ssr::invalid(&values, "siret", m),
                Ok(_) if !scope.any() => ssr::invalid(&values, "scope", "Cochez au moins un droit à déléguer."),
                Ok(s) => match delegations::grant(caller.db(), user_id, company_id, &s, scope).await? {
                    GrantOutcome::Granted(name) => ssr::notice(format!("« {name} » peut désormais : {}.", scope.label())),
                    GrantOutcome::UnknownSiret => {
                        ssr::invalid(&values, "siret", "Aucune structure inscrite sur le portail n'a ce SIRET.")
                    }
                    GrantOutcome::Itself => ssr::invalid(&values, "siret", "C'est le SIRET de votre propre structure."),
                },
            },
        };
        ssr::answer(&mut caller, company_id, "delegation", echo).await
    }
    .await)
    .await
}

/// Documents of the company's trainings: (registration or session id, label), one page
/// of each kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyDocuments {
    pub company_name: String,
    pub tabs: crate::domain::rights::Tabs,
    /// Collective agreements: (session id, "title — period").
    pub agreements: Paged<(i64, String)>,
    /// Completion certificates: (registration id, "participant — title").
    pub certificates: Paged<(i64, String)>,
    /// Individual agreements: (registration id, "participant — title — period").
    pub individual_agreements: Paged<(i64, String)>,
    /// E-learning protocols: (registration id, "participant — title").
    pub protocols: Paged<(i64, String)>,
}

/// Those who organise or pay the trainings (any role): agreements, e-learning
/// protocols and completion certificates of the company, each kind by pages of its own
/// (the sessions to come first).
#[server(endpoint = "company/documents")]
pub async fn get_company_documents(
    company_id: i64,
    #[server(default)] agreements: PageRequest,
    #[server(default)] individual_agreements: PageRequest,
    #[server(default)] protocols: PageRequest,
    #[server(default)] certificates: PageRequest,
) -> Result<CompanyDocuments, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::server::registrations::documents;
        let caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Documents).await?;
        let db = caller.db();
        let agreements = documents::collective(db, company_id, agreements).await?;
        let individual_agreements = documents::individual(db, company_id, individual_agreements)
            .await?
            .map(|l| (l.id, format!("{} — {} — {}", l.participant_name, l.training_title, l.period())));
        let protocols =
            documents::protocols(db, company_id, protocols).await?.map(|l| (l.id, format!("{} — {}", l.participant_name, l.training_title)));
        let certificates = documents::certificates(db, company_id, certificates)
            .await?
            .map(|l| (l.id, format!("{} — {}", l.participant_name, l.training_title)));
        Ok(CompanyDocuments { tabs: access.tabs(), company_name: access.name, agreements, certificates, individual_agreements, protocols })
    }
    .await)
    .await
}

/// The company's billing: invoices (down payments included), credit notes, payments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyInvoices {
    pub company_name: String,
    pub tabs: crate::domain::rights::Tabs,
    pub invoices: Vec<crate::domain::invoice::InvoiceSummary>,
    pub payments: Vec<crate::domain::invoice::PaymentLine>,
}

/// Administrators and billing managers: invoices, down-payment invoices, credit notes
/// and the payments received.
#[server(endpoint = "company/invoices")]
pub async fn get_company_invoices(company_id: i64) -> Result<CompanyInvoices, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::server::invoicing;
        let caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Billing).await?;
        Ok(CompanyInvoices {
            tabs: access.tabs(),
            company_name: access.name,
            invoices: invoicing::for_company(caller.db(), company_id).await?,
            payments: invoicing::payments_for_company(caller.db(), company_id).await?,
        })
    }
    .await)
    .await
}
