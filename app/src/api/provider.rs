//! The provider's space, for its staff only.

use crate::domain::page::PageRequest;
use crate::domain::provider::ProviderHome;
use crate::error::AppError;
use leptos::prelude::*;

/// Staff of a provider: one page of its sessions, the questionnaires of its
/// participants, and the mails about its sessions and invoices that could not be
/// delivered. The provider is the caller's own: nothing here takes an id.
#[server(endpoint = "provider/home")]
pub async fn get_provider_home(#[server(default)] page: PageRequest) -> Result<ProviderHome, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::provider;
        let (caller, provider_id, provider_name) = ssr::staff().await?;
        Ok(ProviderHome {
            provider_name,
            sessions: provider::sessions(caller.db(), provider_id, page).await?,
            surveys: provider::surveys(caller.db(), provider_id).await?,
            undelivered: crate::server::outbox::undelivered(caller.db(), provider_id).await?,
        })
    }
    .await)
    .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::server::{caller, Caller};
    use crate::error::AppResult;
    use crate::server::backoffice::{Notified, SessionRow};
    use crate::server::outbox::Mail;
    use sqlx::AnyConnection;

    /// The caller and his provider (id, name), if he is on a provider's staff
    /// (`Caller::require_provider_staff`).
    pub async fn staff() -> AppResult<(Caller, i64, String)> {
        let caller = caller().await?;
        let staff = caller.require_provider_staff().await?;
        Ok((caller, staff.provider_id, staff.provider_name))
    }

    /// The caller, his provider, and the session if it is one of that provider's
    /// (`Caller::require_provider_session`).
    pub async fn staff_session(session_id: i64) -> AppResult<(Caller, i64, String, SessionRow)> {
        let caller = caller().await?;
        let (staff, session) = caller.require_provider_session(session_id).await?;
        Ok((caller, staff.provider_id, staff.provider_name, session))
    }

    pub fn draft(session_id: i64) -> String {
        format!("organisme:session:{session_id}")
    }

    /// Keeps a notice for the session's page (shown once, with or without JavaScript).
    /// Every change of a session ends here: it goes into the provider's audit log too.
    pub async fn notice(caller: &mut Caller, session_id: i64, text: String) -> AppResult<()> {
        let staff = caller.require_provider_staff().await?;
        let detail = serde_json::json!({ "session": session_id, "result": text }).to_string();
        crate::server::audit::provider_audit(caller.db(), staff.provider_id, caller.user()?.id, "session", &detail).await?;
        let hash = caller.ensure_session().await?;
        let echo = crate::api::company::Echo { notice: Some(text), ..Default::default() };
        crate::server::drafts::save(caller.db(), &hash, &draft(session_id), &echo).await?;
        Ok(())
    }

    /// Tells each participant, whoever registered him, and the administrators and
    /// training managers of his company what happened: one mail per address, written
    /// in the change's transaction.
    pub async fn tell(
        caller: &Caller,
        tx: &mut AnyConnection,
        provider_id: i64,
        session: &SessionRow,
        told: &[Notified],
        what: &str,
    ) -> AppResult<()> {
        let mut companies: Vec<i64> = told.iter().filter_map(|n| n.company_id).collect();
        companies.sort_unstable();
        companies.dedup();
        let mut managers = Vec::new();
        for company in companies {
            managers.extend(crate::server::companies::managers(&mut *tx, company).await?);
        }
        let by = caller.user.as_ref().map(|u| u.id);
        let url = &caller.state.config.public_url;
        for letter in crate::server::mail::registration_news(url, session, told, &managers, what) {
            let mail = Mail::new(letter.to, letter.subject, letter.body).sent_for(by).about_provider(Some(provider_id));
            caller.state.mailer.enqueue(tx, &mail).await?;
        }
        Ok(())
    }
}

/// Staff of the session's provider: the session, its participants and attendance.
#[server(endpoint = "provider/session")]
pub async fn get_provider_session(session_id: i64) -> Result<crate::domain::provider::SessionPage, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::FormState;
        use crate::domain::provider::{ProviderSession, SessionPage};
        use crate::server::backoffice;
        let (caller, _, provider_name, s) = ssr::staff_session(session_id).await?;
        let roster = backoffice::roster(caller.db(), &s).await?;
        let notice = caller
            .take_draft::<FormState<std::collections::BTreeMap<String, String>>>(&ssr::draft(session_id))
            .await?
            .and_then(|e| e.notice);
        Ok(SessionPage {
            provider_name,
            session: ProviderSession {
                id: s.id,
                training_title: s.title.clone(),
                period: crate::domain::date::period_fr(s.start, s.end),
                city: s.city.clone(),
                capacity: s.capacity,
                seats_taken: s.seats_taken,
                status: s.status,
                upcoming: s.start.to_days() > crate::server::db::today().to_days(),
            },
            place: s.place.clone(),
            confirmed: s.confirmed,
            may_close: s.may_close(),
            half_days: s.half_days().into_iter().map(|h| h.label()).collect(),
            roster,
            orders: backoffice::orders(caller.db(), s.id).await?,
            invoices: crate::server::invoicing::for_session(caller.db(), s.id).await?,
            notice,
        })
    }
    .await)
    .await
}

/// Staff of the session's provider: `op` is a [`SessionCommand`](crate::domain::command::SessionCommand)
/// (confirm or cancel the session or one registration, close it, invoice an order).
/// Participants and those who registered them get an email.
#[server(endpoint = "provider/session/op")]
pub async fn provider_session_op(session_id: i64, op: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::backoffice;
        let (mut caller, provider_id, _, s) = ssr::staff_session(session_id).await?;
        use crate::domain::command::SessionCommand;
        use crate::domain::invoice::Kind;
        use crate::server::invoicing::{self, IssueOutcome};
        let command: SessionCommand = op.parse()?;
        // Every operation but closing mails someone (participants, registrants, the
        // invoiced company).
        if command != SessionCommand::Close {
            caller.require_mail_allowance().await?;
        }
        let invoicing = match command {
            SessionCommand::Invoice(order) => Some((Kind::Invoice, order)),
            SessionCommand::DownPayment(order) => Some((Kind::DownPayment, order)),
            _ => None,
        };
        if let Some((kind, order_id)) = invoicing {
            // Invoices are issued whatever the session's state (after closing, typically).
            // The invoice and the mail telling of it, together.
            let mut tx = crate::server::db::begin(caller.db()).await?;
            let notice = match invoicing::issue(&mut tx, provider_id, order_id, s.id, kind).await? {
                IssueOutcome::Issued(n) => {
                    // The invoiced company hears of it at its billing address.
                    if let Some(invoicing::BilledCompany { id: company, billing_email: to, legal_name: name }) =
                        invoicing::billed_company(&mut *tx, order_id).await?
                    {
                        let body = format!(
                            "Bonjour,\n\n{} {n} a été émise pour {name} (formation « {} »).\n\n\
                             Retrouvez-la dans Mon espace Entreprise, onglet Documents : {}/entreprise/{company}/documents\n",
                            kind.label(),
                            s.title,
                            caller.state.config.public_url
                        );
                        let mail = crate::server::outbox::Mail::new(to, format!("{} {n}", kind.label()), body)
                            .sent_for(caller.user.as_ref().map(|u| u.id))
                            .about_provider(Some(provider_id));
                        caller.state.mailer.enqueue(&mut tx, &mail).await?;
                    }
                    caller.state.mailer.commit(tx).await?;
                    format!("{} {n} émise.", kind.label())
                }
                IssueOutcome::AlreadyInvoiced(n) => {
                    tx.rollback().await?;
                    return Err(AppError::conflict(format!("Cette commande est déjà facturée ({n}).")));
                }
                IssueOutcome::Nothing => {
                    tx.rollback().await?;
                    return Err(AppError::conflict("Rien à facturer pour cette commande sur cette session."));
                }
            };
            ssr::notice(&mut caller, session_id, notice).await?;
            return Ok(());
        }
        if !s.status.is_open() {
            return Err(AppError::conflict("Cette session est close ou annulée : elle ne change plus."));
        }
        let notice = match command {
            // The change and the mails telling of it, together.
            SessionCommand::Confirm(registration) => {
                let mut tx = crate::server::db::begin(caller.db()).await?;
                let told = backoffice::confirm(&mut tx, &s, registration).await?;
                ssr::tell(&caller, &mut tx, provider_id, &s, &told, "confirmée").await?;
                caller.state.mailer.commit(tx).await?;
                format!("{} inscription(s) confirmée(s).", told.len())
            }
            SessionCommand::Cancel(registration) => {
                let mut tx = crate::server::db::begin(caller.db()).await?;
                let told = backoffice::cancel(&mut tx, &s, registration).await?;
                ssr::tell(&caller, &mut tx, provider_id, &s, &told, "annulée").await?;
                caller.state.mailer.commit(tx).await?;
                if registration.is_some() {
                    format!("{} inscription annulée.", told.len())
                } else {
                    format!("Session annulée ; {} inscription(s) annulée(s).", told.len())
                }
            }
            SessionCommand::Close => {
                if !backoffice::close(caller.db(), &s).await? {
                    return Err(AppError::conflict("La session se clôture après son dernier jour."));
                }
                "Session clôturée : les inscriptions confirmées sont réalisées, avec les heures suivies.".to_string()
            }
            // Issued above.
            SessionCommand::Invoice(_) | SessionCommand::DownPayment(_) => return Err(AppError::validation("op", "Action inconnue.")),
        };
        // A cancelled or closed session leaves the catalogue.
        caller.state.catalogue.invalidate();
        ssr::notice(&mut caller, session_id, notice).await?;
        Ok(())
    }
    .await)
    .await
}

/// Staff of the session's provider: presence of the confirmed participants per half
/// day; `marks` holds "r<registration>h<half day>" for each one present.
#[server(endpoint = "provider/session/attendance")]
pub async fn record_attendance(session_id: i64, marks: std::collections::BTreeMap<String, String>) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::backoffice;
        let (mut caller, _, _, s) = ssr::staff_session(session_id).await?;
        if !s.status.is_open() {
            return Err(AppError::conflict("Cette session est close ou annulée : elle ne change plus."));
        }
        let present: Vec<(i64, usize)> = marks
            .keys()
            .filter_map(|k| k.strip_prefix('r')?.split_once('h'))
            .filter_map(|(r, h)| Some((r.parse().ok()?, h.parse().ok()?)))
            .collect();
        let actor = caller.user()?.id;
        let n = backoffice::record_attendance(caller.db(), &s, actor, &present).await?;
        ssr::notice(&mut caller, session_id, format!("Présences enregistrées pour {n} participant(s).")).await?;
        Ok(())
    }
    .await)
    .await
}

/// Staff of the session's provider: records a payment of one of its invoices
/// (`amount` in euros, "640" or "640,50").
#[server(endpoint = "provider/payment")]
pub async fn record_payment(session_id: i64, invoice_id: i64, amount: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::invoicing;
        let mut caller = crate::auth::server::caller().await?;
        // Staff of the provider, and the invoice one of the session's.
        let (staff, _) = caller.require_provider_invoice(session_id, invoice_id).await?;
        let cents = crate::domain::money::parse_eur(&amount).ok_or_else(|| AppError::validation("amount", "Saisissez un montant en euros, par exemple 640,00."))?;
        let user = caller.user()?.clone();
        if !invoicing::record_payment(caller.db(), staff.provider_id, invoice_id, cents, &crate::server::db::today().iso(), "virement", user.id).await? {
            return Err(AppError::NotFound);
        }
        ssr::notice(&mut caller, session_id, format!("Paiement de {} enregistré.", crate::domain::Money(cents).format_eur())).await?;
        Ok(())
    }
    .await)
    .await
}

/// The provider's catalogue page: its information, trainings, and the answers of its forms.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CataloguePage {
    pub settings: crate::domain::provider::ProviderSettings,
    pub trainings: Vec<crate::domain::provider::CatalogueLine>,
    /// The provider's staff, by email.
    pub staff: Vec<String>,
    pub forms: std::collections::BTreeMap<String, crate::api::company::Echo>,
}

impl CataloguePage {
    pub fn form(&self, name: &str) -> crate::api::company::Echo {
        self.forms.get(name).cloned().unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
mod catalogue_ssr {
    use crate::api::company::Echo;
    use crate::auth::server::Caller;
    use crate::error::AppResult;

    /// The caller and his provider, if he is on a provider's staff.
    pub async fn staff() -> AppResult<(Caller, i64)> {
        let (caller, id, _) = super::ssr::staff().await?;
        Ok((caller, id))
    }

    pub fn draft(form: &str) -> String {
        format!("organisme:catalogue:{form}")
    }

    /// What was typed in a form of string fields, to give it back with its errors.
    pub fn typed<T: serde::Serialize>(form: &T) -> std::collections::BTreeMap<String, String> {
        serde_json::to_value(form).ok().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
    }

    /// Every form of the provider's catalogue page ends here; an accepted one (its notice,
    /// no error) goes into the provider's audit log.
    pub async fn answer(caller: &mut Caller, form: &str, echo: Echo) -> AppResult<()> {
        if let (Some(result), true) = (&echo.notice, echo.errors.is_empty()) {
            let staff = caller.require_provider_staff().await?;
            let detail = serde_json::json!({ "result": result }).to_string();
            crate::server::audit::provider_audit(caller.db(), staff.provider_id, caller.user()?.id, form, &detail).await?;
        }
        let hash = caller.ensure_session().await?;
        crate::server::drafts::save(caller.db(), &hash, &draft(form), &echo).await?;
        Ok(())
    }
}

/// Staff: the provider's information and catalogue.
#[server(endpoint = "provider/catalogue")]
pub async fn get_provider_catalogue() -> Result<CataloguePage, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::provider;
        let (caller, provider_id) = catalogue_ssr::staff().await?;
        let mut forms = std::collections::BTreeMap::new();
        for form in ["settings", "training", "session", "staff"] {
            if let Some(e) = caller.take_draft(&catalogue_ssr::draft(form)).await? {
                forms.insert(form.to_string(), e);
            }
        }
        Ok(CataloguePage {
            settings: provider::settings(caller.db(), provider_id).await?,
            trainings: provider::catalogue(caller.db(), provider_id).await?,
            staff: provider::staff(caller.db(), provider_id).await?,
            forms,
        })
    }
    .await)
    .await
}

/// Staff: the provider's VAT regime, identity and payment terms (for the invoices to come).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "provider/settings")]
pub async fn update_provider_settings(
    vat_exempt: Option<String>,
    vat_number: String,
    activity_number: String,
    address_line: String,
    postal_code: String,
    city: String,
    payment_days: String,
) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::api::company::Echo;
        use crate::domain::provider::ProviderSettingsForm;
        let (mut caller, provider_id) = catalogue_ssr::staff().await?;
        let form = ProviderSettingsForm {
            vat_exempt: vat_exempt.is_some(),
            vat_number,
            activity_number,
            address_line,
            postal_code,
            city,
            payment_days,
        };
        let current = crate::server::provider::settings(caller.db(), provider_id).await?;
        let echo = match form.parse(current.name) {
            Ok(s) => {
                crate::server::provider::update_settings(caller.db(), provider_id, &s).await?;
                Echo { notice: Some("Informations enregistrées : elles valent pour les prochaines factures.".into()), ..Default::default() }
            }
            Err(errors) => {
                let values = [
                    ("vat_number", &form.vat_number),
                    ("activity_number", &form.activity_number),
                    ("address_line", &form.address_line),
                    ("postal_code", &form.postal_code),
                    ("city", &form.city),
                    ("payment_days", &form.payment_days),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
                Echo { values, errors: errors.into_map(), notice: None }
            }
        };
        catalogue_ssr::answer(&mut caller, "settings", echo).await
    }
    .await)
    .await
}

/// Staff: a new training in the provider's catalogue.
#[server(endpoint = "provider/training/add")]
pub async fn add_training(training: crate::domain::provider::TrainingForm) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::api::company::Echo;
        let (mut caller, provider_id) = catalogue_ssr::staff().await?;
        let values = catalogue_ssr::typed(&training);
        let echo = match training.parse() {
            Ok(t) => match crate::server::provider::add_training(caller.db(), provider_id, &t).await? {
                Some(_) => {
                    caller.state.catalogue.invalidate();
                    Echo { notice: Some(format!("Formation « {} » ajoutée au catalogue.", t.title)), ..Default::default() }
                }
                None => {
                    let mut errors = std::collections::BTreeMap::new();
                    errors.insert("code".to_string(), "Ce code est déjà utilisé.".to_string());
                    Echo { values, errors, notice: None }
                }
            },
            Err(errors) => Echo { values, errors: errors.into_map(), notice: None },
        };
        catalogue_ssr::answer(&mut caller, "training", echo).await
    }
    .await)
    .await
}

/// Staff: a new session of one of the provider's trainings.
#[server(endpoint = "provider/session/add")]
pub async fn add_session(session: crate::domain::provider::SessionForm) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::api::company::Echo;
        let (mut caller, provider_id) = catalogue_ssr::staff().await?;
        let values = catalogue_ssr::typed(&session);
        let echo = match session.parse(crate::server::db::today()) {
            Ok(s) => match crate::server::provider::add_session(caller.db(), provider_id, &s).await? {
                Some(_) => {
                    caller.state.catalogue.invalidate();
                    Echo {
                        notice: Some(format!("Session du {} ajoutée ({} places).", s.start.short_fr(), s.capacity)),
                        ..Default::default()
                    }
                }
                None => return Err(AppError::NotFound),
            },
            Err(errors) => Echo { values, errors: errors.into_map(), notice: None },
        };
        catalogue_ssr::answer(&mut caller, "session", echo).await
    }
    .await)
    .await
}

/// Staff of the session's provider: its capacity, never below the seats taken.
#[server(endpoint = "provider/session/capacity")]
pub async fn set_session_capacity(session_id: i64, capacity: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        let (mut caller, _, _, s) = ssr::staff_session(session_id).await?;
        let capacity = crate::domain::form::parse_capacity(&capacity).map_err(|m| AppError::validation("capacity", m))?;
        if !crate::server::provider::set_capacity(caller.db(), s.id, capacity).await? {
            return Err(AppError::validation(
                "capacity",
                format!("{} places sont déjà prises : la capacité ne peut descendre en dessous.", s.seats_taken),
            ));
        }
        ssr::notice(&mut caller, session_id, format!("Capacité portée à {capacity} places.")).await?;
        Ok(())
    }
    .await)
    .await
}

/// Staff: puts a colleague on the provider's staff, by the email of his account (one
/// provider each).
#[server(endpoint = "provider/staff/add")]
pub async fn add_staff(email: String) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::api::company::Echo;
        use crate::server::provider::{self, StaffOutcome};
        let (mut caller, provider_id) = catalogue_ssr::staff().await?;
        let invalid = |m: &str| {
            let mut errors = std::collections::BTreeMap::new();
            errors.insert("email".to_string(), m.to_string());
            Echo { values: [("email".to_string(), email.clone())].into_iter().collect(), errors, notice: None }
        };
        let echo = match crate::domain::Email::parse(&email) {
            Err(m) => invalid(m),
            Ok(e) => match provider::add_staff(caller.db(), provider_id, e.as_str()).await? {
                StaffOutcome::Added => Echo { notice: Some(format!("{} fait désormais partie de l'équipe.", e.as_str())), ..Default::default() },
                StaffOutcome::AlreadyHere => invalid("Cette personne fait déjà partie de l'équipe."),
                StaffOutcome::Elsewhere => invalid("Cette personne travaille déjà pour un autre organisme."),
            },
        };
        catalogue_ssr::answer(&mut caller, "staff", echo).await
    }
    .await)
    .await
}
