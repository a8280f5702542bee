//! Knowledge tests ("tests de validation des acquis"): the provider's staff write the
//! tests of their trainings and see the results per session; the participant takes
//! the tests of his own registrations; a company's administrators and training managers
//! see who of its collaborators passed. The score is computed here, on the server, from
//! the stored right choices, which no page gets before an attempt is submitted.

use crate::api::company::Echo;
use crate::domain::knowledge::{MyTest, ParticipantTest, TestResults, TestSummary};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The provider's page of a training's tests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingTests {
    pub provider_name: String,
    pub training_id: i64,
    pub training_title: String,
    pub tests: Vec<TestSummary>,
    /// The answer to the last form posted, per moment code ("avant", "apres").
    pub forms: BTreeMap<String, Echo>,
}

/// The results of a session's participants, for its provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTests {
    pub training_id: i64,
    pub results: Vec<TestResults>,
}

/// The participant's page of the tests of one of his registrations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgePage {
    pub registration_id: i64,
    pub training_title: String,
    pub period: String,
    pub tests: Vec<ParticipantTest>,
    /// The last refused submission: the test, the choices ticked, the messages.
    pub refused_test: Option<i64>,
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::server::Caller;
    use crate::domain::knowledge::Moment;
    use crate::error::{AppError, AppResult};
    use crate::server::knowledge::{self, OwnRegistration};

    /// One of the caller's own registrations (by his proven address, ordered and not
    /// cancelled); anything else is "not found".
    pub async fn own_registration(caller: &Caller, registration_id: i64) -> AppResult<OwnRegistration> {
        let email = caller.user()?.proven_email().ok_or(AppError::NotFound)?;
        knowledge::own_registration(caller.db(), registration_id, email).await?.ok_or(AppError::NotFound)
    }

    /// The caller's provider (`Caller::require_provider_staff`), if the training is one
    /// of its own: (provider id, provider name, training title).
    pub async fn staff_training(caller: &Caller, training_id: i64) -> AppResult<(i64, String, String)> {
        let staff = caller.require_provider_staff().await?;
        let title = knowledge::training_of_provider(caller.db(), staff.provider_id, training_id).await?.ok_or(AppError::NotFound)?;
        Ok((staff.provider_id, staff.provider_name, title))
    }

    pub fn training_draft(training_id: i64, moment: Moment) -> String {
        format!("organisme:tests:{training_id}:{}", moment.code())
    }

    pub fn participant_draft(registration_id: i64) -> String {
        format!("test-des-acquis:{registration_id}")
    }

    /// Keeps the answer to a provider's form for his page; an accepted change goes into
    /// the provider's audit log.
    pub async fn answer(caller: &mut Caller, provider_id: i64, training_id: i64, moment: Moment, echo: super::Echo) -> AppResult<()> {
        if let (Some(result), true) = (&echo.notice, echo.errors.is_empty()) {
            let detail = serde_json::json!({ "training": training_id, "result": result }).to_string();
            crate::server::audit::provider_audit(caller.db(), provider_id, caller.user()?.id, "knowledge_test", &detail).await?;
        }
        let hash = caller.ensure_session().await?;
        crate::server::drafts::save(caller.db(), &hash, &training_draft(training_id, moment), &echo).await?;
        Ok(())
    }
}

/// Staff of the training's provider: its tests, with their questions and right answers.
#[server(endpoint = "knowledge/training")]
pub async fn get_training_tests(training_id: i64) -> Result<TrainingTests, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::knowledge::Moment;
        let caller = crate::auth::server::caller().await?;
        let (_, provider_name, training_title) = ssr::staff_training(&caller, training_id).await?;
        let mut forms = BTreeMap::new();
        for m in Moment::ALL {
            if let Some(e) = caller.take_draft::<Echo>(&ssr::training_draft(training_id, *m)).await? {
                forms.insert(m.code().to_string(), e);
            }
        }
        let tests = crate::server::knowledge::summaries(caller.db(), training_id).await?;
        Ok(TrainingTests { provider_name, training_id, training_title, tests, forms })
    }
    .await)
    .await
}

/// Staff of the training's provider: creates or replaces its test before or after the
/// session (once taken, only its title and its mention on the certificate change).
#[server(endpoint = "knowledge/save")]
pub async fn save_test(training_id: i64, test: crate::domain::knowledge::TestForm) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::knowledge::Moment;
        use crate::server::knowledge::{self, SaveOutcome};
        let mut caller = crate::auth::server::caller().await?;
        let (provider_id, _, _) = ssr::staff_training(&caller, training_id).await?;
        let moment = Moment::from_code(test.moment.trim()).ok_or_else(|| AppError::validation("moment", "Choisissez : avant ou après la session."))?;
        let values: BTreeMap<String, String> = serde_json::to_value(&test).ok().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
        let refused = |field: &str, message: String| {
            Echo { values: values.clone(), errors: [(field.to_string(), message)].into_iter().collect(), notice: None }
        };
        let echo = match test.parse() {
            Ok(t) => match knowledge::save(caller.db(), training_id, &t).await? {
                SaveOutcome::Created => Echo { notice: Some(format!("Test « {} » créé ({} questions).", t.title, t.questions.len())), ..Default::default() },
                SaveOutcome::Updated => Echo { notice: Some(format!("Test « {} » enregistré.", t.title)), ..Default::default() },
                SaveOutcome::Locked => refused(
                    "questions",
                    "Des participants ont déjà passé ce test : ses questions, son seuil et son nombre de tentatives ne changent plus \
                     (seuls son intitulé et sa mention sur le certificat)."
                        .into(),
                ),
            },
            Err(errors) => Echo { values: values.clone(), errors: errors.into_map(), notice: None },
        };
        ssr::answer(&mut caller, provider_id, training_id, moment, echo).await
    }
    .await)
    .await
}

/// Staff of the training's provider: deletes one of its tests that nobody took.
#[server(endpoint = "knowledge/delete")]
pub async fn delete_test(training_id: i64, test_id: i64) -> Result<(), AppError> {
    crate::auth::server::respond(async move {
        use crate::server::knowledge;
        let mut caller = crate::auth::server::caller().await?;
        let (provider_id, _, _) = ssr::staff_training(&caller, training_id).await?;
        let test = knowledge::tests_of_training(caller.db(), training_id).await?.into_iter().find(|t| t.id == test_id).ok_or(AppError::NotFound)?;
        let echo = match knowledge::delete(caller.db(), training_id, test_id).await? {
            None => return Err(AppError::NotFound),
            Some(true) => Echo { notice: Some(format!("Test « {} » supprimé.", test.title)), ..Default::default() },
            Some(false) => return Err(AppError::conflict("Des participants ont déjà passé ce test : il ne peut plus être supprimé.")),
        };
        ssr::answer(&mut caller, provider_id, training_id, test.moment, echo).await
    }
    .await)
    .await
}

/// Staff of the session's provider: the results of its participants at each test.
#[server(endpoint = "knowledge/session")]
pub async fn get_session_tests(session_id: i64) -> Result<SessionTests, AppError> {
    crate::auth::server::respond(async move {
        use crate::server::knowledge;
        let caller = crate::auth::server::caller().await?;
        let (_, session) = caller.require_provider_session(session_id).await?;
        let training_id = knowledge::training_of_session(caller.db(), session.id).await?.ok_or(AppError::NotFound)?;
        Ok(SessionTests { training_id, results: knowledge::session_results(caller.db(), session.id).await? })
    }
    .await)
    .await
}

/// The caller's own tests, over his registrations (none until his address is proven).
#[server(endpoint = "knowledge/mine")]
pub async fn get_my_tests() -> Result<Vec<MyTest>, AppError> {
    crate::auth::server::respond(async move {
        let caller = crate::auth::server::caller().await?;
        let Some(email) = caller.user()?.proven_email() else { return Ok(Vec::new()) };
        Ok(crate::server::knowledge::mine(caller.db(), email, crate::server::db::today()).await?)
    }
    .await)
    .await
}

/// The caller's own registration: its tests, where he stands on each, the questions of
/// the one he may take (without the answers), the corrections once no attempt is left.
#[server(endpoint = "knowledge/get")]
pub async fn get_knowledge_test(registration_id: i64) -> Result<KnowledgePage, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::FormState;
        use crate::domain::knowledge::{corrections, marks, KeyedQuestion, ParticipantTest, TestState};
        use crate::server::knowledge;
        let caller = crate::auth::server::caller().await?;
        let reg = ssr::own_registration(&caller, registration_id).await?;
        let today = crate::server::db::today();
        let mut tests = Vec::new();
        for t in knowledge::tests_of_training(caller.db(), reg.training_id).await? {
            let attempts = knowledge::attempts(caller.db(), reg.id, t.id).await?;
            let state = TestState::of(t.moment.window(today, reg.start, reg.end), &attempts, t.max_attempts);
            let keyed = knowledge::questions(caller.db(), t.id).await?;
            let last = match attempts.last() {
                Some(a) => Some(knowledge::ticked(caller.db(), reg.id, t.id, a.no).await?),
                None => None,
            };
            let open = state == TestState::Open;
            let missed = match (&last, open) {
                (Some(ticked), true) => marks(&keyed, ticked).iter().enumerate().filter(|(_, right)| !**right).map(|(i, _)| i + 1).collect(),
                _ => Vec::new(),
            };
            let corrections = match &last {
                Some(ticked) if state.shows_corrections() => corrections(&keyed, ticked),
                _ => Vec::new(),
            };
            tests.push(ParticipantTest {
                test_id: t.id,
                moment: t.moment,
                title: t.title,
                pass_mark: t.pass_mark,
                max_attempts: t.max_attempts,
                state,
                attempts,
                questions: if open { keyed.iter().map(KeyedQuestion::public).collect() } else { Vec::new() },
                missed,
                corrections,
            });
        }
        let echo: FormState<BTreeMap<String, String>> = caller.draft(&ssr::participant_draft(reg.id)).await?.unwrap_or_default();
        let mut values = echo.values;
        let refused_test = values.remove("test_id").and_then(|v| v.parse().ok());
        Ok(KnowledgePage {
            registration_id: reg.id,
            training_title: reg.training_title.clone(),
            period: reg.period(),
            tests,
            refused_test,
            values,
            errors: echo.errors,
        })
    }
    .await)
    .await
}

/// The participant submits an attempt at a test of his own registration: scored here;
/// refused beyond the number of attempts allowed, once passed, or outside the test's
/// dates. Returns the messages of a refused form (an unanswered question), which is no
/// attempt.
#[server(endpoint = "knowledge/submit")]
pub async fn submit_test(
    registration_id: i64,
    test_id: i64,
    #[server(default)] answers: BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, AppError> {
    crate::auth::server::respond(async move {
        use crate::domain::account::FormState;
        use crate::domain::knowledge::{parse_answers, score, KeyedQuestion, TestState};
        use crate::server::knowledge::{self, AttemptOutcome};
        let mut caller = crate::auth::server::caller().await?;
        let reg = ssr::own_registration(&caller, registration_id).await?;
        let test = knowledge::tests_of_training(caller.db(), reg.training_id).await?.into_iter().find(|t| t.id == test_id).ok_or(AppError::NotFound)?;
        let window = test.moment.window(crate::server::db::today(), reg.start, reg.end);
        let attempts = knowledge::attempts(caller.db(), reg.id, test.id).await?;
        match TestState::of(window, &attempts, test.max_attempts) {
            TestState::Open => {}
            TestState::NotYet => return Err(AppError::conflict("Ce test s'ouvre le dernier jour de la session.")),
            TestState::Closed => return Err(AppError::conflict("Ce test se passait avant la session : il est clos.")),
            _ => return Err(AppError::conflict("Vous avez déjà passé ce test : aucune nouvelle tentative n'est possible.")),
        }
        let keyed = knowledge::questions(caller.db(), test.id).await?;
        let public: Vec<_> = keyed.iter().map(KeyedQuestion::public).collect();
        let hash = caller.ensure_session().await?;
        let draft = ssr::participant_draft(reg.id);
        match parse_answers(&answers, &public) {
            Err(errors) => {
                let errors = errors.into_map();
                // What was ticked, to tick it again on the page (the form's own fields only).
                let mut values: BTreeMap<String, String> =
                    answers.into_iter().filter(|(k, v)| k.starts_with('q') && k.len() <= 40 && v.len() <= 20).take(400).collect();
                values.insert("test_id".into(), test.id.to_string());
                crate::server::drafts::save(caller.db(), &hash, &draft, &FormState { values, errors: errors.clone(), notice: None }).await?;
                Ok(errors)
            }
            Ok(ticked) => {
                let s = score(&keyed, &ticked);
                match knowledge::record_attempt(caller.db(), reg.id, &test, s, s.passes(test.pass_mark), &ticked).await? {
                    AttemptOutcome::Recorded(_) => {
                        crate::server::drafts::clear(caller.db(), &hash, &draft).await?;
                        Ok(BTreeMap::new())
                    }
                    AttemptOutcome::Refused => Err(AppError::conflict("Vous avez déjà passé ce test : aucune nouvelle tentative n'est possible.")),
                }
            }
        }
    }
    .await)
    .await
}

/// Administrators and training managers of the company: who of its collaborators took
/// which test, and who passed.
#[server(endpoint = "knowledge/company")]
pub async fn get_company_tests(company_id: i64) -> Result<Vec<TestResults>, AppError> {
    crate::auth::server::respond(async move {
        use crate::auth::server::Need;
        let caller = crate::auth::server::caller().await?;
        caller.require_company(company_id, Need::Manage).await?;
        Ok(crate::server::knowledge::company_results(caller.db(), company_id).await?)
    }
    .await)
    .await
}
