//! "Mes obligations de formation": the caller's own ledger, his regulated professions,
//! his outside activities; the proofs (to him and to his firms' administrators and
//! training managers) and his yearly declaration. The server functions act on the
//! caller's own account only and take no account id; the upload, the proof and the
//! declaration are plain HTTP routes (`routes`), checked the same way.

use crate::domain::account::FormState;
use crate::domain::obligation::{ActivityForm, Entry, Standing};
use crate::domain::Date;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the full view lives.
pub const PAGE: &str = "/mes-obligations";
/// The upload of an outside activity with its proof (multipart, see `routes`).
pub const UPLOAD: &str = "/mes-obligations/activites";

/// One rule that applies to the caller, for the year shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleView {
    pub profession: String,
    pub label: String,
    pub authority: String,
    pub period_minutes: i64,
    pub year_minutes: i64,
    /// "31/03/2027".
    pub declaration_due: String,
    pub retention_years: i64,
    pub standing: Standing,
    pub sentence: String,
}

/// The page "Mes obligations de formation".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObligationsView {
    pub year: i32,
    pub today: Date,
    /// The years one may look at (and declare), newest first.
    pub years: Vec<i32>,
    pub rules: Vec<RuleView>,
    /// The entries of the periods shown (the longest rule's), oldest first.
    pub entries: Vec<Entry>,
    /// The last refused attempt at adding an activity (values and messages).
    pub form: FormState<ActivityForm>,
    pub notice: Option<String>,
}

/// The one-line summary of "Mes espaces": one sentence per rule that applies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryView {
    /// (profession label, what is missing in minutes, the sentence).
    pub lines: Vec<(String, i64, String)>,
}

/// The regulated professions a person may declare, and his.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfessionsView {
    /// (code, label, declared).
    pub options: Vec<(String, String, bool)>,
    pub notice: Option<String>,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::api::documents::{attachment, refusal};
    use crate::auth::server::{caller_from, Caller, Need};
    use crate::domain::obligation::{check_proof, may_read_proof, safe_file_name, MAX_PROOF_BYTES};
    use crate::error::AppResult;
    use crate::server::obligations::{self, declaration, NewProof, ProofInfo};
    use crate::server::{drafts, AppState};
    use axum::extract::multipart::{Multipart, MultipartRejection};
    use axum::extract::{DefaultBodyLimit, Path, State};
    use axum::http::HeaderMap;
    use axum::response::{IntoResponse, Redirect, Response};

    /// The form's echo after a refused attempt.
    pub const FORM: &str = "obligations:activite";
    /// The message of the last change.
    pub const NOTICE: &str = "obligations:notice";

    /// The years one may look at: the last ten.
    pub fn year_or_current(year: Option<i32>, today: Date) -> i32 {
        year.filter(|y| (today.year - 10..=today.year).contains(y)).unwrap_or(today.year)
    }

    pub async fn keep<T: Serialize>(caller: &Caller, form: &str, value: &T) -> AppResult<()> {
        if let Some(s) = &caller.session {
            drafts::save(caller.db(), &s.hash, form, value).await?;
        }
        Ok(())
    }

    /// The routes of the module, merged into the server's router (inside its Origin
    /// check and limits). The upload takes up to a proof's size and a little more.
    pub fn routes() -> axum::Router<AppState> {
        axum::Router::new()
            .route(UPLOAD, axum::routing::post(upload).layer(DefaultBodyLimit::max(MAX_PROOF_BYTES + 64 * 1024)))
            .route("/mes-obligations/justificatif/{id}", axum::routing::get(proof))
            .route("/mes-obligations/declaration/{year}/{format}", axum::routing::get(declaration_file))
    }

    fn to_login() -> Response {
        Redirect::to(&crate::api::login_path(PAGE)).into_response()
    }

    /// What a multipart field holds, at most `limit` bytes; `None` past the limit or on
    /// a broken body.
    async fn read_field(field: &mut axum::extract::multipart::Field<'_>, limit: usize) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if buf.len() + chunk.len() > limit {
                        return None;
                    }
                    buf.extend_from_slice(&chunk);
                }
                Ok(None) => return Some(buf),
                Err(_) => return None,
            }
        }
    }

    /// The form "Ajouter une activité" (multipart, with or without JavaScript): the
    /// caller adds an activity done outside the portal, with its proof (PDF or image,
    /// told by its bytes, 5 Mo at most). Back to the page, with the activity added or
    /// the form as typed and its messages.
    async fn upload(State(state): State<AppState>, headers: HeaderMap, multipart: Result<Multipart, MultipartRejection>) -> Response {
        let caller = match caller_from(state, &headers).await {
            Ok(c) => c,
            Err(e) => return refusal(&e),
        };
        let Ok(user) = caller.user().cloned() else { return to_login() };
        let Ok(mut multipart) = multipart else {
            return refusal(&AppError::validation("proof", "Le formulaire doit être envoyé en multipart/form-data."));
        };
        let mut form = ActivityForm::default();
        let mut file: Option<(String, Vec<u8>)> = None;
        let mut unreadable = false;
        loop {
            let mut field = match multipart.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(_) => {
                    unreadable = true;
                    break;
                }
            };
            let name = field.name().unwrap_or("").to_string();
            if name == "proof" {
                let file_name = field.file_name().unwrap_or("").to_string();
                let Some(bytes) = read_field(&mut field, MAX_PROOF_BYTES).await else {
                    unreadable = true;
                    break;
                };
                if !bytes.is_empty() || !file_name.is_empty() {
                    file = Some((file_name, bytes));
                }
                continue;
            }
            let Some(bytes) = read_field(&mut field, 4096).await else {
                unreadable = true;
                break;
            };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            match name.as_str() {
                "kind" => form.kind = text,
                "title" => form.title = text,
                "organiser" => form.organiser = text,
                "date" => form.date = text,
                "hours" => form.hours = text,
                _ => {}
            }
        }
        let today = crate::server::db::today();
        let parsed = form.parse(today);
        let mut errors = parsed.clone().err().unwrap_or_default();
        let proof = if unreadable {
            errors.add("proof", "Le justificatif dépasse 5 Mo, ou l'envoi n'a pas abouti : réessayez avec un fichier plus léger.");
            None
        } else {
            match &file {
                None => None,
                Some((name, bytes)) => match check_proof(bytes) {
                    Ok(ty) => Some(NewProof { name: safe_file_name(name, ty), ty, bytes: bytes.clone() }),
                    Err(message) => {
                        errors.add("proof", message);
                        None
                    }
                },
            }
        };
        let result = match parsed {
            Ok(valid) if errors.is_empty() => {
                match obligations::add_activity(caller.db(), user.id, &valid, proof.as_ref()).await {
                    Ok(_) => {
                        let notice = format!("L'activité « {} » est ajoutée.", valid.title);
                        keep(&caller, NOTICE, &notice).await.map(|_| format!("{PAGE}?annee={}", valid.date.year))
                    }
                    Err(e) => Err(AppError::from(e)),
                }
            }
            _ => {
                let echo = FormState { values: form, errors: errors.into_map(), notice: None };
                keep(&caller, FORM, &echo).await.map(|_| format!("{PAGE}#ajouter"))
            }
        };
        match result {
            Ok(to) => Redirect::to(&to).into_response(),
            Err(e) => refusal(&e),
        }
    }

    /// Whether the caller may read the proof: his own, or a person's of a firm where he
    /// manages registrations (administrator, training manager: `rights::allows` with
    /// `Need::Manage`, through `Caller::may`). Anyone else is told it does not exist.
    pub async fn require_proof(caller: &Caller, info: &ProofInfo) -> AppResult<()> {
        let user = caller.user()?;
        if user.id == info.owner_id {
            return Ok(());
        }
        let member_of = obligations::member_of(caller.db(), info.owner_id).await?;
        let mut managed = Vec::new();
        for company in &member_of {
            if caller.may(*company, Need::Manage).await? {
                managed.push(*company);
            }
        }
        if may_read_proof(user.id, info.owner_id, &managed, &member_of) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// An activity's proof, to those `require_proof` lets have it.
    pub async fn proof_file(state: AppState, headers: &HeaderMap, activity_id: i64) -> AppResult<(ProofInfo, Vec<u8>)> {
        let caller = caller_from(state, headers).await?;
        caller.user()?;
        let info = obligations::proof_info(caller.db(), activity_id).await?.ok_or(AppError::NotFound)?;
        require_proof(&caller, &info).await?;
        let bytes = obligations::proof_bytes(caller.db(), activity_id).await?.ok_or(AppError::NotFound)?;
        Ok((info, bytes))
    }

    async fn proof(State(state): State<AppState>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
        match proof_file(state, &headers, id).await {
            Ok((info, bytes)) => attachment(info.ty.mime(), &info.name, bytes),
            Err(AppError::Unauthenticated) => to_login(),
            Err(e) => refusal(&e),
        }
    }

    /// The caller's own declaration of `year`: `pdf`, `csv`, or `zip` (both and the proofs).
    pub async fn declaration_of(state: AppState, headers: &HeaderMap, year: i32, format: &str) -> AppResult<(&'static str, String, Vec<u8>)> {
        let caller = caller_from(state, headers).await?;
        let user = caller.user()?;
        let today = crate::server::db::today();
        if year_or_current(Some(year), today) != year {
            return Err(AppError::NotFound);
        }
        let ledger = obligations::ledger_for(caller.db(), user.id, today).await?;
        let name = format!("declaration-formation-{year}.{format}");
        match format {
            "pdf" => {
                let who = declaration::declarant(caller.db(), user.id).await?;
                Ok(("application/pdf", name, declaration::pdf(&ledger, &who, year)))
            }
            "csv" => Ok(("text/csv; charset=utf-8", name, declaration::csv(&ledger, year))),
            "zip" => {
                let who = declaration::declarant(caller.db(), user.id).await?;
                Ok(("application/zip", name, declaration::zip(caller.db(), &ledger, &who, year).await?))
            }
            _ => Err(AppError::NotFound),
        }
    }

    async fn declaration_file(State(state): State<AppState>, Path((year, format)): Path<(i32, String)>, headers: HeaderMap) -> Response {
        match declaration_of(state, &headers, year, &format).await {
            Ok((content_type, name, bytes)) => attachment(content_type, &name, bytes),
            Err(AppError::Unauthenticated) => to_login(),
            Err(e) => refusal(&e),
        }
    }
}

/// The caller himself: his obligations for `year` (this year by default), his entries
/// and the answer of his last attempt at adding an activity.
#[server(endpoint = "obligations/mine")]
pub async fn get_obligations(year: Option<i32>) -> Result<ObligationsView, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::obligations;
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let today = crate::server::db::today();
        let year = ssr::year_or_current(year, today);
        let ledger = obligations::ledger_for(caller.db(), user.id, today).await?;
        let rules: Vec<RuleView> = ledger
            .rules
            .iter()
            .map(|r| {
                let standing = ledger.standing(r, year);
                RuleView {
                    profession: r.profession.clone(),
                    label: r.label.clone(),
                    authority: r.authority.clone(),
                    period_minutes: r.period_minutes,
                    year_minutes: r.year_minutes,
                    declaration_due: r.declaration_due(year).short_fr(),
                    retention_years: r.retention_years,
                    sentence: standing.sentence(r, today),
                    standing,
                }
            })
            .collect();
        let first = rules.iter().map(|r| r.standing.first_year).min().unwrap_or(year);
        let entries = ledger.entries.iter().filter(|e| (first..=year).contains(&e.date.year)).cloned().collect();
        Ok(ObligationsView {
            year,
            today,
            years: (today.year - 10..=today.year).rev().collect(),
            rules,
            entries,
            form: caller.take_draft(ssr::FORM).await?.unwrap_or_default(),
            notice: caller.take_draft(ssr::NOTICE).await?,
        })
    }
    .await)
    .await
}

/// The caller himself: one sentence per rule that applies to him this year (Mes espaces).
#[server(endpoint = "obligations/summary")]
pub async fn get_obligations_summary() -> Result<SummaryView, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let today = crate::server::db::today();
        let ledger = crate::server::obligations::ledger_for(caller.db(), user.id, today).await?;
        let lines = ledger
            .rules
            .iter()
            .map(|r| {
                let s = ledger.standing(r, today.year);
                (r.label.clone(), s.missing, s.sentence(r, today))
            })
            .collect();
        Ok(SummaryView { lines })
    }
    .await)
    .await
}

/// The caller himself: deletes one of the activities he declared (never a training of
/// the portal). Another person's activity is not found.
#[server(endpoint = "obligations/activity/delete")]
pub async fn delete_activity(id: i64) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        if !crate::server::obligations::delete_activity(caller.db(), user.id, id).await? {
            return Err(AppError::NotFound);
        }
        ssr::keep(&caller, ssr::NOTICE, &"L'activité est supprimée.".to_string()).await
    }
    .await)
    .await
}

/// The caller himself: the regulated professions he may declare, and his.
#[server(endpoint = "obligations/professions")]
pub async fn get_professions() -> Result<ProfessionsView, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::obligations;
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let mine = obligations::professions_of(caller.db(), user.id).await?;
        let options = obligations::rules(caller.db())
            .await?
            .into_iter()
            .map(|r| {
                let declared = mine.contains(&r.profession);
                (r.profession, r.label, declared)
            })
            .collect();
        Ok(ProfessionsView { options, notice: caller.take_draft(PROFESSIONS_NOTICE).await? })
    }
    .await)
    .await
}

#[cfg(feature = "ssr")]
const PROFESSIONS_NOTICE: &str = "obligations:professions";

/// The caller himself: his regulated professions (`professions[code]=on` for each
/// one ticked; none ticked: none). An unknown code is refused.
#[server(endpoint = "obligations/professions/set")]
pub async fn set_professions(professions: Option<BTreeMap<String, String>>) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::obligations;
        let caller = crate::auth::server::caller().await?;
        let user = caller.user()?.clone();
        let known: Vec<String> = obligations::rules(caller.db()).await?.into_iter().map(|r| r.profession).collect();
        let chosen: Vec<String> = professions.unwrap_or_default().into_keys().collect();
        if let Some(bad) = chosen.iter().find(|c| !known.contains(c)) {
            return Err(AppError::validation("professions", format!("Profession inconnue : {}.", bad.chars().take(40).collect::<String>())));
        }
        obligations::set_professions(caller.db(), user.id, &chosen).await?;
        ssr::keep(&caller, PROFESSIONS_NOTICE, &"Vos professions réglementées sont enregistrées.".to_string()).await
    }
    .await)
    .await
}
