//! Satisfaction questionnaires: the participant answers his own, once, after the
//! session; the company's managers see the answers of its collaborators.

use crate::domain::survey::{SurveyView, TrainingSurveys};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyPage {
    pub survey: SurveyView,
    /// The last refused attempt: values typed and messages.
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

/// The caller's own questionnaire (only his registrations, only after the session).
#[server(endpoint = "survey/get")]
pub async fn get_survey(registration_id: i64) -> Result<SurveyPage, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::FormState;
        let caller = crate::auth::server::caller().await?;
        let survey = caller.require_own_survey(registration_id).await?;
        let echo: FormState<BTreeMap<String, String>> = caller.draft(&format!("survey:{registration_id}")).await?.unwrap_or_default();
        Ok(SurveyPage { survey, values: echo.values, errors: echo.errors })
    }
    .await)
    .await
}

/// The participant answers his questionnaire; returns the messages of a refused answer.
#[server(endpoint = "survey/answer")]
pub async fn answer_survey(
    registration_id: i64,
    content: Option<String>,
    trainer: Option<String>,
    organisation: Option<String>,
    overall: Option<String>,
    comment: String,
) -> Result<BTreeMap<String, String>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::FormState;
        use crate::domain::survey::SurveyForm;
        use crate::server::{drafts, surveys};
        let mut caller = crate::auth::server::caller().await?;
        caller.require_own_survey(registration_id).await?;
        let hash = caller.ensure_session().await?;
        let draft = format!("survey:{registration_id}");
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let form = SurveyForm {
            content: s(&content),
            trainer: s(&trainer),
            organisation: s(&organisation),
            overall: s(&overall),
            comment: comment.clone(),
        };
        let errors = match form.parse() {
            Err(errors) => errors.into_map(),
            Ok(answer) => {
                if !surveys::answer(caller.db(), registration_id, &answer.ratings, &answer.comment).await? {
                    return Err(AppError::conflict("Vous avez déjà répondu à ce questionnaire."));
                }
                drafts::clear(caller.db(), &hash, &draft).await?;
                return Ok(BTreeMap::new());
            }
        };
        let values: BTreeMap<String, String> = [("content", s(&content)), ("trainer", s(&trainer)), ("organisation", s(&organisation)), ("overall", s(&overall)), ("comment", comment)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        drafts::save(caller.db(), &hash, &draft, &FormState { values, errors: errors.clone(), notice: None }).await?;
        Ok(errors)
    }
    .await)
    .await
}

/// Administrators and training managers: the answers of the company's collaborators,
/// per training, with the averages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompanySurveys {
    pub company_name: String,
    pub tabs: crate::domain::rights::Tabs,
    pub trainings: Vec<TrainingSurveys>,
}

#[server(endpoint = "survey/company")]
pub async fn get_company_surveys(company_id: i64) -> Result<CompanySurveys, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        let caller = crate::auth::server::caller().await?;
        let access = caller.require_company(company_id, Need::Manage).await?;
        let trainings = crate::server::surveys::of_company(caller.db(), company_id).await?;
        Ok(CompanySurveys { tabs: access.tabs(), company_name: access.name, trainings })
    }
    .await)
    .await
}
