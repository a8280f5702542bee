//! Knowledge tests ("tests de validation des acquis"): the provider's page of a
//! training's tests and its results per session, the participant's test page and his
//! list in Mes espaces, the company's results. Plain forms: they work without
//! JavaScript.

use crate::api::company::Echo;
use crate::api::knowledge::{
    get_company_tests, get_knowledge_test, get_my_tests, get_session_tests, get_training_tests, DeleteTest, KnowledgePage, SaveTest,
    SubmitTest,
};
use crate::components::form::INPUT_CLASS;
use crate::components::{DataTable, Field, Notice};
use crate::domain::knowledge::{Moment, ParticipantTest, QuestionKind, TestResults, TestState, TestSummary};
use crate::pages::company::{typed, EchoNotice, PageError};
use crate::pages::head::PageHead;
use crate::pages::ErrorBox;
use leptos::prelude::*;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800";
const SECTION: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-5";
const LINK: &str = "text-blue-900 underline";

const FORMAT_HINT: &str = "Une question par bloc. « Q: » ouvre une question à choix multiples, suivie de ses choix : « + » pour un bon choix, \
     « - » pour un mauvais (de 2 à 8 choix, au moins un bon). « VF: » ouvre une affirmation, suivie de « = vrai » ou « = faux ».";

/// Staff of the provider: the tests of one of its trainings, before and after the session.
#[component]
pub fn TrainingTestsPage() -> impl IntoView {
    let id = crate::pages::id_param("id");
    let save = ServerAction::<SaveTest>::new();
    let delete = ServerAction::<DeleteTest>::new();
    let page = Resource::new(move || (id(), save.version().get(), delete.version().get()), |(id, _, _)| get_training_tests(id));
    view! {
        <PageHead title="Tests de validation des acquis — Espace organisme de formation" description="Rédigez les tests de validation des acquis d'une formation : questions à choix multiples ou vrai/faux, seuil de réussite, tentatives." />
        {move || delete.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! {
                        <p class="text-sm text-slate-600">
                            <a href="/organisme" class=LINK>{p.provider_name.clone()}</a> " › Tests de validation des acquis"
                        </p>
                        <h1 class="mt-1 text-2xl font-semibold">"Tests de validation des acquis — " {p.training_title.clone()}</h1>
                        <p class="mt-1 text-sm text-slate-700">
                            "Le participant passe le test avant la session (jusqu'à son premier jour) ou après (à partir de son dernier jour). \
                             Son score est calculé à l'envoi ; les corrections lui sont montrées quand il ne peut plus retenter."
                        </p>
                        {Moment::ALL.iter().map(|m| {
                            let existing = p.tests.iter().find(|t| t.moment == *m).cloned();
                            let echo = p.forms.get(m.code()).cloned().unwrap_or_default();
                            view! { <TestEditor training_id=p.training_id moment=*m existing echo save delete /> }
                        }).collect_view()}
                    }
                    .into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TestEditor(
    training_id: i64,
    moment: Moment,
    existing: Option<TestSummary>,
    echo: Echo,
    save: ServerAction<SaveTest>,
    delete: ServerAction<DeleteTest>,
) -> impl IntoView {
    let code = moment.code();
    let heading = format!("titre-test-{code}");
    let err = |f: &str| echo.errors.get(f).cloned();
    let current = |f: &str, v: String| typed(&echo, f, &v);
    let e = existing.clone();
    let title = current("title", e.as_ref().map(|t| t.title.clone()).unwrap_or_default());
    let pass_mark = current("pass_mark", e.as_ref().map_or("70".into(), |t| t.pass_mark.to_string()));
    let max_attempts = current("max_attempts", e.as_ref().map_or("1".into(), |t| t.max_attempts.to_string()));
    let questions = current("questions", e.as_ref().map(|t| t.questions_text.clone()).unwrap_or_default());
    let on_certificate = match echo.values.get("on_certificate") {
        Some(v) => !v.is_empty(),
        None => e.as_ref().is_some_and(|t| t.on_certificate),
    };
    let questions_id = format!("questions-{code}");
    let certificate_id = format!("certificat-{code}");
    let questions_error = err("questions");
    let (title_error, pass_mark_error, max_attempts_error) = (err("title"), err("pass_mark"), err("max_attempts"));
    let labelled_by = heading.clone();
    view! {
        <section class=SECTION aria-labelledby=labelled_by data-testid=format!("test-{code}")>
            <h2 id=heading class="text-lg font-semibold">{format!("Test {}", moment.label())}</h2>
            {match &existing {
                Some(t) => view! {
                    <p class="text-sm text-slate-700">
                        {format!(
                            "« {} » : {} question(s), seuil de réussite {} %, {} tentative(s) au plus{} — passé {} fois.",
                            t.title, t.question_count, t.pass_mark, t.max_attempts,
                            if t.on_certificate { ", résultat mentionné sur le certificat" } else { "" },
                            t.attempts
                        )}
                    </p>
                }.into_any(),
                None => view! { <p class="text-sm text-slate-700">"Aucun test pour le moment."</p> }.into_any(),
            }}
            <EchoNotice echo=echo.clone() />
            <ActionForm action=save attr:class="mt-3">
                <input type="hidden" name="training_id" value=training_id.to_string() />
                <input type="hidden" name="test[moment]" value=code />
                <div class="grid gap-x-4 md:grid-cols-3">
                    <Field label="Intitulé du test" name="test[title]" id=format!("intitule-{code}") value=title error=title_error required=true />
                    <Field label="Seuil de réussite (%)" name="test[pass_mark]" id=format!("seuil-{code}") value=pass_mark error=pass_mark_error required=true inputmode="numeric" />
                    <Field label="Tentatives autorisées (1 à 5)" name="test[max_attempts]" id=format!("tentatives-{code}") value=max_attempts error=max_attempts_error required=true inputmode="numeric" />
                </div>
                <div class="flex items-start gap-2 py-1">
                    <input id=certificate_id.clone() type="checkbox" name="test[on_certificate]" value="on" checked=on_certificate class="mt-1 h-4 w-4" />
                    <label for=certificate_id class="text-sm text-slate-800">"Mentionner le résultat sur le certificat de réalisation"</label>
                </div>
                <label for=questions_id.clone() class="mt-2 block text-sm font-medium text-slate-800">"Questions"</label>
                <p id=format!("{questions_id}-aide") class="text-xs text-slate-600">{FORMAT_HINT}</p>
                <textarea
                    id=questions_id.clone()
                    name="test[questions]"
                    rows="12"
                    aria-describedby=format!("{questions_id}-aide")
                    aria-invalid=questions_error.is_some().then_some("true")
                    class=format!("{INPUT_CLASS} font-mono text-sm")
                >
                    {questions}
                </textarea>
                {questions_error.map(|m| view! { <p class="mt-1 text-sm text-red-700" role="alert">{m}</p> })}
                <button type="submit" class=format!("mt-3 {BUTTON}")>{format!("Enregistrer le test {}", moment.label())}</button>
            </ActionForm>
            {existing.filter(|t| t.attempts == 0).map(|t| view! {
                <ActionForm action=delete attr:class="mt-2">
                    <input type="hidden" name="training_id" value=training_id.to_string() />
                    <input type="hidden" name="test_id" value=t.id.to_string() />
                    <button type="submit" class="text-red-800 underline">{format!("Supprimer le test {}", moment.label())}</button>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}

/// Staff of the session's provider: each participant's result at each test of the
/// training (placed on the session's page).
#[component]
pub fn SessionTests(session_id: i64) -> impl IntoView {
    let page = Resource::new(move || session_id, get_session_tests);
    view! {
        <section class=SECTION aria-labelledby="titre-tests-session">
            <h2 id="titre-tests-session" class="text-lg font-semibold">"Tests de validation des acquis"</h2>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! {
                            <p class="text-sm">
                                <a class=LINK href=format!("/organisme/formation/{}/tests", p.training_id)>"Rédiger les tests de la formation"</a>
                            </p>
                            {if p.results.is_empty() {
                                view! { <p class="mt-2 text-sm text-slate-700">"Aucun test pour cette formation."</p> }.into_any()
                            } else {
                                p.results.into_iter().map(|r| view! { <Results r /> }).collect_view().into_any()
                            }}
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One test's results: who took it, his best score, whether he passed.
#[component]
fn Results(r: TestResults) -> impl IntoView {
    view! {
        <h3 class="mt-3 font-semibold">{format!("{} — test {} : « {} » (seuil {} %)", r.training, r.moment.label(), r.title, r.pass_mark)}</h3>
        <DataTable headers=vec!["Participant", "Tentatives", "Meilleur score", "Résultat"] testid="resultats-test">
            {r.lines.into_iter().map(|l| view! {
                <tr class="border-t border-slate-200">
                    <td class="px-3 py-2">{l.participant.clone()}</td>
                    <td class="px-3 py-2">{l.attempts}</td>
                    <td class="px-3 py-2">{l.best.map(|s| s.label()).unwrap_or_else(|| "—".into())}</td>
                    <td class="px-3 py-2">{l.verdict()}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

/// Administrators and training managers: the results of the company's collaborators
/// (placed on the questionnaires' page).
#[component]
pub fn CompanyTests(company_id: i64) -> impl IntoView {
    let page = Resource::new(move || company_id, get_company_tests);
    view! {
        <section class="mt-6" aria-labelledby="titre-tests-entreprise">
            <h2 id="titre-tests-entreprise" class="text-lg font-semibold">"Tests de validation des acquis des collaborateurs"</h2>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(results) if results.is_empty() => view! { <p class="mt-2">"Aucun test passé pour le moment."</p> }.into_any(),
                        Ok(results) => results.into_iter().map(|r| view! { <Results r /> }).collect_view().into_any(),
                        // The page around says why (the same right).
                        Err(_) => ().into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The participant's tests, in Mes espaces.
#[component]
pub fn MyTests() -> impl IntoView {
    let tests = Resource::new(|| (), |_| get_my_tests());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                tests.await.ok().filter(|t| !t.is_empty()).map(|tests| view! {
                    <div class="mt-3 rounded-md border border-slate-200 bg-white p-3 text-sm">
                        <p class="font-medium">"Tests de validation des acquis"</p>
                        <ul class="list-disc pl-5" data-testid="mes-tests">
                            {tests.into_iter().map(|t| view! {
                                <li>
                                    <a class=LINK href=format!("/test-des-acquis/{}", t.registration_id)>"Test de validation des acquis"</a>
                                    {format!(" — {} : « {} », {} ({})", t.training, t.title, t.moment.label(), t.state.label())}
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                })
            })}
        </Suspense>
    }
}

/// The participant's page of the tests of one of his registrations.
#[component]
pub fn KnowledgeTestPage() -> impl IntoView {
    let id = crate::pages::id_param("id");
    let submit = ServerAction::<SubmitTest>::new();
    let page = Resource::new(move || (id(), submit.version().get()), |(id, _)| get_knowledge_test(id));
    view! {
        <PageHead title="Test de validation des acquis — Espace Entreprise" description="Passez le test de validation des acquis de votre formation, voyez votre score et, une fois le test terminé, ses corrections." />
        <h1 class="text-2xl font-semibold">"Test de validation des acquis"</h1>
        {move || submit.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <ParticipantTests p submit /> }.into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ParticipantTests(p: KnowledgePage, submit: ServerAction<SubmitTest>) -> impl IntoView {
    let header = view! { <p class="mt-1 text-slate-700">{p.training_title.clone()} " — " {p.period.clone()}</p> };
    let registration_id = p.registration_id;
    let tests = p.tests.clone();
    view! {
        {header}
        {tests.is_empty().then(|| view! { <p class="mt-4">"Cette formation n'a pas de test de validation des acquis."</p> })}
        {tests.into_iter().map(|t| {
            let refused = p.refused_test == Some(t.test_id);
            let (values, errors) = if refused { (p.values.clone(), p.errors.clone()) } else { Default::default() };
            view! { <OneTest t registration_id values errors submit /> }
        }).collect_view()}
        <p class="mt-4"><a class=LINK href="/espaces">"Retour à mes espaces"</a></p>
    }
    .into_any()
}

#[component]
fn OneTest(
    t: ParticipantTest,
    registration_id: i64,
    values: std::collections::BTreeMap<String, String>,
    errors: std::collections::BTreeMap<String, String>,
    submit: ServerAction<SubmitTest>,
) -> impl IntoView {
    let heading = format!("test-{}", t.moment.code());
    let remaining = t.max_attempts - t.attempts.len() as i64;
    let state_note = match t.state {
        TestState::NotYet => Some("Ce test s'ouvre le dernier jour de la session."),
        TestState::Closed if t.attempts.is_empty() => Some("Ce test se passait avant la session : il est clos."),
        _ => None,
    };
    let labelled_by = heading.clone();
    view! {
        <section class=SECTION aria-labelledby=labelled_by data-testid=format!("test-{}", t.moment.code())>
            <h2 id=heading class="text-lg font-semibold">{format!("{} — test {}", t.title, t.moment.label())}</h2>
            <p class="text-sm text-slate-700">
                {format!("Seuil de réussite : {} %. Tentatives : {} sur {}. Statut : {}.", t.pass_mark, t.attempts.len(), t.max_attempts, t.state.label())}
            </p>
            {state_note.map(|n| view! { <p class="mt-2 text-sm">{n}</p> })}
            {(!t.attempts.is_empty()).then(|| view! {
                <ul class="mt-2 text-sm" data-testid="tentatives">
                    {t.attempts.iter().map(|a| view! {
                        <li>{format!("Tentative {} : {} — {}", a.no, a.score.label(), if a.passed { "réussi" } else { "non réussi" })}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!t.missed.is_empty()).then(|| view! {
                <Notice kind="warning">
                    {format!(
                        "Questions manquées à la dernière tentative : {}. Il vous reste {remaining} tentative(s) ; les corrections seront montrées à la fin.",
                        t.missed.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
                    )}
                </Notice>
            })}
            {(!t.corrections.is_empty()).then(|| view! {
                <h3 class="mt-3 font-semibold">"Corrections"</h3>
                <ol class="mt-1 list-decimal pl-5 text-sm" data-testid="corrections">
                    {t.corrections.iter().map(|c| view! {
                        <li class="mt-2">
                            <p class="font-medium">{c.text.clone()} " — " {if c.right { "bonne réponse" } else { "réponse inexacte" }}</p>
                            <ul class="pl-2">
                                {c.choices.iter().map(|(text, right, ticked)| view! {
                                    <li>
                                        {format!("{} {text}", if *ticked { "☑" } else { "☐" })}
                                        {right.then_some(" (bonne réponse)")}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }).collect_view()}
                </ol>
            })}
            {(!t.questions.is_empty()).then(|| {
                let unknown = errors.get("answers").cloned();
                view! {
                    {unknown.map(|m| view! { <Notice kind="error">{m}</Notice> })}
                    <ActionForm action=submit attr:class="mt-3">
                        <input type="hidden" name="registration_id" value=registration_id.to_string() />
                        <input type="hidden" name="test_id" value=t.test_id.to_string() />
                        {t.questions.iter().enumerate().map(|(i, q)| {
                            let qkey = format!("q{}", q.id);
                            let error = errors.get(&qkey).cloned();
                            let hint = match q.kind {
                                QuestionKind::MultipleChoice => "Cochez la ou les bonnes réponses.",
                                QuestionKind::TrueFalse => "Vrai ou faux ?",
                            };
                            view! {
                                <fieldset class="mb-4">
                                    <legend class="font-medium">{format!("{}. {}", i + 1, q.text)}</legend>
                                    <p class="text-xs text-slate-600">{hint}</p>
                                    {q.choices.iter().map(|c| {
                                        let input_id = format!("q{}c{}", q.id, c.id);
                                        let (name, value, kind) = match q.kind {
                                            QuestionKind::MultipleChoice => (format!("answers[q{}c{}]", q.id, c.id), "on".to_string(), "checkbox"),
                                            QuestionKind::TrueFalse => (format!("answers[q{}]", q.id), c.id.to_string(), "radio"),
                                        };
                                        let checked = match q.kind {
                                            QuestionKind::MultipleChoice => values.contains_key(&input_id),
                                            QuestionKind::TrueFalse => values.get(&qkey) == Some(&c.id.to_string()),
                                        };
                                        view! {
                                            <div class="flex items-center gap-2 py-0.5">
                                                <input type=kind id=input_id.clone() name=name value=value checked=checked class="h-4 w-4" />
                                                <label for=input_id>{c.text.clone()}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                    {error.map(|m| view! { <p class="mt-1 text-sm text-red-700" role="alert">{m}</p> })}
                                </fieldset>
                            }
                        }).collect_view()}
                        <p class="text-xs text-slate-600">"Votre score est calculé à l'envoi ; chaque envoi compte pour une tentative."</p>
                        <button type="submit" class=format!("mt-2 {BUTTON}")>"Envoyer mes réponses"</button>
                    </ActionForm>
                }
            })}
        </section>
    }
    .into_any()
}
