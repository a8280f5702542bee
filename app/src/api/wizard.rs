//! The first-inscription wizard. Its answers live on the server (one draft per
//! browser session): every submission is saved before it is checked, so a reload, the
//! back button, a failed step or a log-in in the middle loses nothing.

use crate::domain::wizard::{CompanyForm, SettingsForm, WizardView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::server::Caller;
    use crate::domain::wizard::{Step, WizardDraft};
    use crate::error::{AppError, AppResult};
    use crate::server::drafts;

    pub const FORM: &str = "wizard";

    pub async fn load(caller: &Caller) -> AppResult<Option<(String, WizardDraft)>> {
        let Some(s) = &caller.session else { return Ok(None) };
        Ok(drafts::load::<WizardDraft>(caller.db(), &s.hash, FORM).await?.map(|d| (s.hash.clone(), d)))
    }

    /// The caller's draft, or a clear error when he has none (expired session, or he
    /// never clicked INSCRIPTION).
    pub async fn require(caller: &Caller) -> AppResult<(String, WizardDraft)> {
        load(caller).await?.ok_or_else(|| {
            AppError::conflict("Aucune inscription en cours : choisissez une session dans le catalogue.")
        })
    }

    pub async fn save(caller: &Caller, hash: &str, draft: &WizardDraft) -> AppResult<()> {
        drafts::save(caller.db(), hash, FORM, draft).await?;
        Ok(())
    }

    /// Saves and sends the browser to `step` (a redirect without JavaScript, a
    /// client-side navigation with it).
    pub async fn save_and_go(caller: &Caller, hash: &str, draft: &mut WizardDraft, step: Step) -> AppResult<()> {
        save(caller, hash, draft).await?;
        leptos_axum::redirect(&step.path());
        Ok(())
    }
}

/// Public: starts (or resumes) a registration for a session, from its INSCRIPTION button.
#[server(endpoint = "wizard/start")]
pub async fn start_registration(session_id: i64) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::wizard::WizardDraft;
        use crate::server::catalogue;
        let mut caller = crate::auth::server::caller().await?;
        let (session, _, title) = catalogue::session(caller.db(), session_id).await?.ok_or(AppError::NotFound)?;
        if session.is_full() {
            return Err(AppError::conflict(format!("La session de « {title} » est complète : choisissez une autre date.")));
        }
        let hash = caller.ensure_session().await?;
        let mut draft = match ssr::load(&caller).await? {
            // Same session, not finished: resume where the visitor was.
            Some((_, d)) if d.session_id == session_id && d.registered.is_empty() => d,
            // A finished or other registration: keep the structure already chosen or
            // created, start the rest afresh.
            Some((_, d)) if d.company_id.is_some() => WizardDraft {
                session_id,
                kind: d.kind,
                structure_mode: "existing".into(),
                existing_company_id: d.company_id,
                ..WizardDraft::new(session_id)
            },
            _ => WizardDraft::new(session_id),
        };
        draft.errors.clear();
        draft.notice = None;
        let step = draft.furthest_step(caller.user.is_some()).min(crate::domain::wizard::Step::Structure);
        ssr::save_and_go(&caller, &hash, &mut draft, step).await
    }
    .await)
    .await
}

/// The visitor's own wizard, shown at `step` (or at the furthest step his answers
/// allow). `None`: no registration in progress.
#[server(endpoint = "wizard/get")]
pub async fn get_wizard(step: String) -> Result<Option<WizardView>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::wizard::Step;
        use crate::server::{catalogue, companies};
        let caller = crate::auth::server::caller().await?;
        let Some((_, draft)) = ssr::load(&caller).await? else { return Ok(None) };
        let Some((session, _, title)) = catalogue::session(caller.db(), draft.session_id).await? else {
            return Ok(None);
        };
        let wanted = Step::from_slug(&step).unwrap_or(Step::Login);
        let step = draft.clamp(wanted, caller.user.is_some());
        let (my_companies, directory, company_name) = match &caller.user {
            Some(user) => {
                // An unproven address has no company of its own (like a stranger's).
                let mut mine: Vec<crate::domain::wizard::CompanyChoice> = Vec::new();
                if let Some(email) = user.proven_email() {
                    mine.extend(companies::of_user(caller.db(), email).await?.into_iter().map(|(c, _)| c));
                    // And those that delegated the registration of their participants.
                    for (c, _, scope) in crate::server::delegations::companies_for(caller.db(), email).await? {
                        if scope.register && !mine.iter().any(|m| m.id == c.id) {
                            mine.push(c);
                        }
                    }
                }
                // The directory and the name are shown only to the company's members (and
                // delegates): open mode lets anybody register the participants he types,
                // nothing more.
                let (dir, name) = match draft.company_id {
                    Some(id) => match caller.require_company(id, crate::auth::server::Need::Member).await {
                        Ok(access) => (companies::directory(caller.db(), id).await?, Some(access.name)),
                        Err(_) => (vec![], None),
                    },
                    None => (vec![], None),
                };
                (mine, dir, name)
            }
            None => (vec![], vec![], None),
        };
        Ok(Some(WizardView {
            step,
            training_title: title,
            session_label: format!(
                "{} — {}",
                crate::domain::date::period_fr(session.start, session.end),
                session.city
            ),
            session_start: session.start,
            seats_left: session.seats_left,
            user_email: caller.user.as_ref().map(|u| u.email().to_string()),
            user_confirmed: caller.user.as_ref().is_some_and(|u| u.is_confirmed()),
            my_companies,
            directory,
            company_name,
            draft,
        }))
    }
    .await)
    .await
}

/// Step "Pour quelle structure ?": who registers, and for which structure (one the
/// user already belongs to, or a new one he declares).
#[server(endpoint = "wizard/structure")]
pub async fn wizard_structure(
    kind: String,
    mode: String,
    existing_company_id: Option<String>,
    existing_siret: String,
    company: CompanyForm,
) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::domain::wizard::{RegistrantKind, Step};
        use crate::domain::Siret;
        use crate::server::companies;
        let caller = crate::auth::server::caller().await?;
        caller.user()?;
        let (hash, mut d) = ssr::require(&caller).await?;
        d.errors.clear();
        d.notice = None;
        d.refused_company = None;
        d.kind = RegistrantKind::from_code(&kind);
        d.structure_mode = if mode == "existing" { "existing".into() } else { "new".into() };
        d.company = company;
        d.existing_company_id = existing_company_id.as_deref().and_then(|s| s.parse().ok());
        d.existing_siret = existing_siret.trim().to_string();
        if d.structure_mode == "existing" && d.existing_company_id.is_none() && !d.existing_siret.is_empty() {
            match Siret::parse(&d.existing_siret) {
                Ok(s) => match companies::id_by_siret(caller.db(), &s).await? {
                    Some(id) => d.existing_company_id = Some(id),
                    None => {
                        d.errors.insert(
                            "existing_siret".into(),
                            "Aucun espace entreprise n'existe pour ce SIRET : déclarez la structure.".into(),
                        );
                    }
                },
                Err(m) => {
                    d.errors.insert("existing_siret".into(), m.into());
                }
            }
        }
        if d.kind.is_none() {
            d.errors.insert("kind".into(), "Indiquez à quel titre vous inscrivez.".into());
        }
        if d.structure_mode == "existing" {
            match d.existing_company_id {
                None if d.errors.is_empty() => {
                    d.errors.insert("existing_company_id".into(), "Choisissez une structure ou saisissez son SIRET.".into());
                }
                None => {}
                Some(id) if d.errors.is_empty() => match caller.require_company(id, Need::Register).await {
                    Ok(_) => {
                        d.company_id = Some(id);
                        return ssr::save_and_go(&caller, &hash, &mut d, Step::Participants).await;
                    }
                    Err(AppError::Forbidden(msg)) => {
                        d.notice = Some(msg);
                        d.refused_company = Some(id);
                    }
                    Err(AppError::NotFound) => {
                        d.errors.insert("existing_company_id".into(), "Structure introuvable.".into());
                    }
                    Err(e) => return Err(e),
                },
                Some(_) => {}
            }
            ssr::save(&caller, &hash, &d).await?;
            return Ok(());
        }
        // A new structure: check its identity.
        let mut errors = match d.company.parse() {
            Ok(_) => crate::domain::FieldErrors::new(),
            Err(e) => e,
        };
        if let Ok(s) = Siret::parse(&d.company.siret) {
            if let Some(existing) = companies::id_by_siret(caller.db(), &s).await? {
                errors.add("siret", "Cette structure a déjà son espace entreprise : choisissez « Une structure existante ».");
                d.existing_company_id = Some(existing);
            }
        }
        d.errors.extend(errors.into_map());
        if d.errors.is_empty() {
            if d.settings == SettingsForm::default() {
                // Pre-fill the parameters from what we know.
                let user = caller.user()?;
                d.settings = SettingsForm {
                    billing_email: user.email().to_string(),
                    billing_address_line: d.company.address_line.clone(),
                    billing_postal_code: d.company.postal_code.clone(),
                    billing_city: d.company.city.clone(),
                    direction_contact: user.email().to_string(),
                    training_contact: user.email().to_string(),
                    billing_contact: user.email().to_string(),
                };
            }
            // An independent is his own structure: straight to its parameters.
            let next = if d.skips(Step::Admin) { Step::Review } else { Step::Admin };
            return ssr::save_and_go(&caller, &hash, &mut d, next).await;
        }
        ssr::save(&caller, &hash, &d).await
    }
    .await)
    .await
}

/// Step "Se déclarer en tant qu'administrateur pour cette structure ?".
#[server(endpoint = "wizard/admin")]
pub async fn wizard_admin(attest: Option<String>, op: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::command::AdminCommand;
        use crate::domain::wizard::Step;
        let caller = crate::auth::server::caller().await?;
        caller.user()?;
        let command: AdminCommand = op.parse()?;
        let (hash, mut d) = ssr::require(&caller).await?;
        d.errors.clear();
        d.admin_attested = attest.is_some();
        if command == AdminCommand::Back {
            return ssr::save_and_go(&caller, &hash, &mut d, Step::Structure).await;
        }
        if !d.admin_attested {
            d.errors.insert(
                "attest".into(),
                "Pour créer l'espace entreprise, vous devez vous engager à être habilité par votre structure.".into(),
            );
            return ssr::save(&caller, &hash, &d).await;
        }
        ssr::save_and_go(&caller, &hash, &mut d, Step::Rights).await
    }
    .await)
    .await
}

/// Step "Droits d'inscription": open or restricted, and the listed persons.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "wizard/rights")]
pub async fn wizard_rights(
    op: String,
    policy: Option<String>,
    email: String,
    first_name: String,
    last_name: String,
    role_admin: Option<String>,
    role_training: Option<String>,
    role_billing: Option<String>,
) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::command::RightsCommand;
        use crate::domain::wizard::{AuthorizedPersonForm, Step};
        use crate::domain::{Email, RegistrationPolicy, Role};
        let caller = crate::auth::server::caller().await?;
        let user_email = caller.user()?.email().to_string();
        let command: RightsCommand = op.parse()?;
        let (hash, mut d) = ssr::require(&caller).await?;
        d.errors.clear();
        d.notice = None;
        if let Some(p) = policy.as_deref().and_then(RegistrationPolicy::from_code) {
            d.policy = Some(p);
        }
        let roles: Vec<Role> = [(role_admin, Role::Admin), (role_training, Role::TrainingManager), (role_billing, Role::BillingManager)]
            .into_iter()
            .filter_map(|(v, r)| v.map(|_| r))
            .collect();
        d.person_form = AuthorizedPersonForm { email, first_name, last_name, roles };
        match command {
            RightsCommand::Remove(removed) => {
                d.authorized.retain(|p| Email::parse(&p.email).as_ref() != Ok(&removed));
                ssr::save(&caller, &hash, &d).await
            }
            RightsCommand::Back => ssr::save_and_go(&caller, &hash, &mut d, Step::Admin).await,
            RightsCommand::Add => {
                match d.person_form.parse(&user_email, &d.authorized) {
                    Ok(person) => {
                        d.authorized.push(person);
                        d.person_form = AuthorizedPersonForm::default();
                    }
                    Err(e) => d.errors.extend(e.into_map()),
                }
                ssr::save(&caller, &hash, &d).await
            }
            RightsCommand::Next => {
                if d.policy.is_none() {
                    d.errors.insert("policy".into(), "Choisissez qui pourra inscrire des participants.".into());
                    return ssr::save(&caller, &hash, &d).await;
                }
                ssr::save_and_go(&caller, &hash, &mut d, Step::Review).await
            }
        }
    }
    .await)
    .await
}

/// Why the company space is not created for an account whose address is not proven.
pub const UNCONFIRMED: &str =
    "Confirmez d'abord votre adresse e-mail : ouvrez le lien que nous vous avons envoyé, puis revenez créer l'espace entreprise. Vos réponses sont gardées.";

/// Step "Vérifier vos paramètres", then the creation of the company space.
#[server(endpoint = "wizard/review")]
pub async fn wizard_review(op: String, settings: SettingsForm) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::command::ReviewCommand;
        use crate::domain::wizard::{ParticipantDraft, Step};
        use crate::server::companies::{self, Contact, Creator, NewCompany};
        use crate::server::mail::{tell_roles, Addressee};
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let command: ReviewCommand = op.parse()?;
        let (hash, mut d) = ssr::require(&caller).await?;
        d.errors.clear();
        d.notice = None;
        d.settings = settings;
        if command == ReviewCommand::Back {
            let previous = d.previous(Step::Review);
            return ssr::save_and_go(&caller, &hash, &mut d, previous).await;
        }
        // The creator becomes administrator by his address: it must be his, proven.
        let Some(creator_email) = user.proven_email() else {
            d.errors.insert("confirm".into(), UNCONFIRMED.into());
            return ssr::save(&caller, &hash, &d).await;
        };
        if d.furthest_step(true) != Step::Review {
            let furthest = d.furthest_step(true);
            return ssr::save_and_go(&caller, &hash, &mut d, furthest).await;
        }
        let people: Vec<String> =
            d.people((creator_email.as_str(), user.display_name())).into_iter().map(|(email, _)| email).collect();
        let s = match d.settings.parse(&people) {
            Ok(s) => s,
            Err(e) => {
                d.errors = e.into_map();
                return ssr::save(&caller, &hash, &d).await;
            }
        };
        // The identity was checked at its step; check again, the draft is only a draft.
        let c = d.company.parse().map_err(|e| {
            let first = e.iter().next().map(|(field, message)| AppError::validation(field, message));
            first.unwrap_or(AppError::Internal)
        })?;
        let company = NewCompany {
            legal_name: c.legal_name.into(),
            legal_form: c.legal_form.into(),
            siret: c.siret,
            vat_number: c.vat_number,
            address_line: c.address_line.into(),
            postal_code: c.postal_code.into_string(),
            city: c.city.into(),
            policy: d.creation_policy(),
            billing_email: s.billing_email,
            billing_address_line: s.billing_address_line.into(),
            billing_postal_code: s.billing_postal_code.into_string(),
            billing_city: s.billing_city.into(),
            registrant_kind: d.kind,
        };
        let contacts: Vec<Contact> =
            s.contacts.into_iter().map(|(kind, email)| Contact { kind, email: email.to_string(), phone: String::new() }).collect();
        // In open mode the listed persons still get their roles (billing, admin...).
        let creator = Creator { id: user.id, email: creator_email.as_str(), first_name: &user.first_name, last_name: &user.last_name };
        // The listed persons are told of their roles.
        let told: Vec<_> = d.creation_authorized().iter().filter(|p| p.email != creator.email).cloned().collect();
        if !told.is_empty() {
            caller.require_mail_allowance().await?;
        }
        // The company space and the mails to the persons given a role, together.
        let mut tx = crate::server::db::begin(caller.db()).await?;
        match companies::create_in(&mut tx, &creator, &company, d.creation_authorized(), &contacts).await? {
            companies::CreateOutcome::Created(id) => {
                let sender = caller.sender()?;
                for p in &told {
                    let person = Addressee { email: &p.email, first_name: &p.first_name, last_name: &p.last_name };
                    tell_roles(&mut tx, &sender, id, &company.legal_name, &person, &p.roles).await?;
                }
                caller.state.mailer.commit(tx).await?;
                d.company_id = Some(id);
                if d.is_own_structure() && d.participants.is_empty() {
                    // An independent registers himself first (he may remove himself).
                    d.participants.push(ParticipantDraft {
                        email: creator_email.as_str().to_string(),
                        first_name: user.first_name.clone(),
                        last_name: user.last_name.clone(),
                        has_account: true,
                    });
                }
                d.notice = Some(format!("L'espace entreprise de « {} » est créé.", company.legal_name));
                ssr::save_and_go(&caller, &hash, &mut d, Step::Participants).await
            }
            companies::CreateOutcome::SiretTaken => {
                tx.rollback().await?;
                d.errors.insert("siret".into(), "Cette structure a été déclarée entre-temps : choisissez « Une structure existante ».".into());
                ssr::save_and_go(&caller, &hash, &mut d, Step::Structure).await
            }
        }
    }
    .await)
    .await
}

/// Step "Participants": add people (from the directory, existing accounts, or a
/// nominative email), then confirm the registration.
#[server(endpoint = "wizard/participants")]
pub async fn wizard_participants(
    op: String,
    email: String,
    first_name: String,
    last_name: String,
    directory_email: Option<String>,
) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        use crate::domain::command::ParticipantsCommand;
        use crate::domain::wizard::{ParticipantDraft, ParticipantForm, Step};
        use crate::domain::Email;
        use crate::server::mail::{invite_participant, Addressee};
        use crate::server::{accounts, companies, registrations};
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let (hash, mut d) = ssr::require(&caller).await?;
        let company_id = d.company_id.ok_or_else(|| AppError::conflict("Choisissez d'abord la structure."))?;
        // Rights may have changed since the structure was chosen: check at every step.
        let access = caller.require_company(company_id, Need::Register).await?;
        let command: ParticipantsCommand = op.parse()?;
        d.errors.clear();
        d.notice = None;
        d.participant_form = ParticipantForm { email, first_name, last_name };
        if let ParticipantsCommand::Remove(removed) = &command {
            d.participants.retain(|p| Email::parse(&p.email).as_ref() != Ok(removed));
            return ssr::save(&caller, &hash, &d).await;
        }
        // Only a member picks from the directory: a stranger in open mode must not learn
        // a collaborator's names by guessing his address.
        let directory = if caller.may(company_id, Need::Member).await? {
            companies::directory(caller.db(), company_id).await?
        } else {
            Vec::new()
        };
        let add = |d: &mut crate::domain::wizard::WizardDraft, p: ParticipantDraft| {
            if d.participants.iter().any(|x| x.email == p.email) {
                d.errors.insert("email".into(), "Cette personne est déjà dans la liste des participants.".into());
            } else {
                d.participants.push(p);
            }
        };
        match command {
            ParticipantsCommand::AddFromDirectory => {
                let picked = directory_email.unwrap_or_default();
                match directory.iter().find(|e| e.email == picked) {
                    Some(entry) => {
                        let p = ParticipantDraft {
                            email: entry.email.clone(),
                            first_name: entry.first_name.clone(),
                            last_name: entry.last_name.clone(),
                            has_account: entry.has_account,
                        };
                        add(&mut d, p);
                    }
                    None => {
                        d.errors.insert("directory_email".into(), "Choisissez une personne de l'annuaire.".into());
                    }
                }
                ssr::save(&caller, &hash, &d).await
            }
            ParticipantsCommand::Add => {
                match d.participant_form.email() {
                    Err(e) => d.errors.extend(e.into_map()),
                    Ok(e) => {
                        let has_account = accounts::by_email(caller.db(), e.as_str()).await?.is_some();
                        // Names the caller may already see: his own, or those of the
                        // directory he is shown; anybody else's are typed.
                        let known = if e.as_str() == user.email() {
                            Some((user.first_name.clone(), user.last_name.clone()))
                        } else {
                            directory.iter().find(|x| x.email == e.as_str()).map(|x| (x.first_name.clone(), x.last_name.clone()))
                        };
                        let typed_nothing =
                            d.participant_form.first_name.trim().is_empty() && d.participant_form.last_name.trim().is_empty();
                        match known {
                            Some((first_name, last_name)) if typed_nothing => add(
                                &mut d,
                                ParticipantDraft { email: e.to_string(), first_name, last_name, has_account },
                            ),
                            _ => match d.participant_form.person(has_account) {
                                Ok(p) => add(&mut d, p),
                                Err(e) => d.errors.extend(e.into_map()),
                            },
                        }
                    }
                }
                if d.errors.is_empty() {
                    d.participant_form = ParticipantForm::default();
                }
                ssr::save(&caller, &hash, &d).await
            }
            // Removed above.
            ParticipantsCommand::Remove(_) => ssr::save(&caller, &hash, &d).await,
            ParticipantsCommand::Confirm => {
                if d.participants.is_empty() {
                    d.errors.insert("participants".into(), "Ajoutez au moins un participant.".into());
                    return ssr::save(&caller, &hash, &d).await;
                }
                // Those without an account are invited as they are added.
                let mut uninvited = Vec::new();
                for p in &d.participants {
                    if accounts::by_email(caller.db(), &p.email).await?.is_none() {
                        uninvited.push(p.email.clone());
                    }
                }
                if !uninvited.is_empty() {
                    caller.require_mail_allowance().await?;
                }
                let (session, training_id, title) =
                    crate::server::catalogue::session(caller.db(), d.session_id).await?.ok_or(AppError::NotFound)?;
                let provider_id = crate::server::catalogue::provider_of_training(caller.db(), training_id).await?;
                let session_label = format!("{}, {}", crate::domain::date::period_fr(session.start, session.end), session.city);
                let sender = caller.sender()?;
                let mut refused = Vec::new();
                for p in d.participants.clone() {
                    let participant = registrations::Participant {
                        email: p.email.clone(),
                        first_name: p.first_name.clone(),
                        last_name: p.last_name.clone(),
                    };
                    // Each registration, with its directory entry and invitation, on its own.
                    let mut tx = crate::server::db::begin(caller.db()).await?;
                    match registrations::register_in(&mut tx, d.session_id, Some(company_id), &participant, user.id).await? {
                        registrations::RegisterOutcome::Registered(id) => {
                            companies::add_collaborator(&mut tx, company_id, &p.email, &p.first_name, &p.last_name).await?;
                            if uninvited.contains(&p.email) {
                                let added = Addressee { email: &p.email, first_name: &p.first_name, last_name: &p.last_name };
                                invite_participant(&mut tx, &sender, company_id, &access.name, &added, &title, &session_label, provider_id)
                                    .await?;
                            }
                            caller.state.mailer.commit(tx).await?;
                            d.registered.push(id);
                        }
                        registrations::RegisterOutcome::AlreadyRegistered => {
                            tx.rollback().await?;
                            refused.push(format!("{} {} (déjà inscrit(e) à cette session)", p.first_name, p.last_name))
                        }
                        registrations::RegisterOutcome::Full | registrations::RegisterOutcome::SessionClosed => {
                            tx.rollback().await?;
                            refused.push(format!("{} {} (session complète)", p.first_name, p.last_name))
                        }
                    }
                }
                if d.registered.is_empty() {
                    d.notice = Some(format!("Aucune inscription n'a pu être enregistrée : {}.", refused.join(", ")));
                    return ssr::save(&caller, &hash, &d).await;
                }
                d.participants.clear();
                d.notice = (!refused.is_empty()).then(|| format!("Non inscrit(s) : {}.", refused.join(", ")));
                ssr::save_and_go(&caller, &hash, &mut d, Step::Done).await
            }
        }
    }
    .await)
    .await
}
