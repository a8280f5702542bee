//! The participant's satisfaction questionnaire, after the session.

use crate::api::survey::{get_survey, AnswerSurvey};
use crate::components::form::INPUT_CLASS;
use crate::components::Notice;
use crate::domain::survey::CRITERIA;
use crate::pages::company::PageError;
use crate::pages::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn SurveyPage() -> impl IntoView {
    let id = crate::pages::id_param("id");
    let answer = ServerAction::<AnswerSurvey>::new();
    let page = Resource::new(move || (id(), answer.version().get()), |(id, _)| get_survey(id));
    view! {
        <PageHead title="Questionnaire de satisfaction — Espace Entreprise" description="Donnez votre avis sur la formation suivie : contenu, formateur, organisation et appréciation générale, dans ce questionnaire de satisfaction." />
        <h1 class="text-2xl font-semibold">"Questionnaire de satisfaction"</h1>
        {move || answer.value().get().and_then(|r| r.err()).map(|e| view! { <Notice kind="error">{e.to_string()}</Notice> })}
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let s = p.survey.clone();
                        let header = view! { <p class="mt-1 text-slate-700">{s.training_title.clone()} " — " {s.period.clone()}</p> };
                        match s.answer {
                            Some((ratings, comment)) => view! {
                                {header}
                                <Notice kind="success">"Merci : votre réponse est enregistrée."</Notice>
                                <dl class="grid max-w-md grid-cols-2 gap-1 text-sm" data-testid="reponse">
                                    {CRITERIA.iter().map(|(k, label)| view! { <dt>{*label}</dt><dd>{ratings.get(k)} " / 5"</dd> }).collect_view()}
                                </dl>
                                {(!comment.is_empty()).then(|| view! { <p class="mt-2 text-sm">"Commentaire : " {comment}</p> })}
                                <p class="mt-4"><a class="text-blue-900 underline" href="/espaces">"Retour à mes espaces"</a></p>
                            }
                            .into_any(),
                            None => {
                                let values = p.values.clone();
                                let errors = p.errors.clone();
                                view! {
                                    {header}
                                    <ActionForm action=answer attr:class="mt-4 max-w-2xl rounded-lg border border-slate-200 bg-white p-5">
                                        <input type="hidden" name="registration_id" value=s.registration_id.to_string() />
                                        {CRITERIA
                                            .iter()
                                            .map(|(k, label)| {
                                                let current = values.get(*k).cloned().unwrap_or_default();
                                                let error = errors.get(*k).cloned();
                                                view! {
                                                    <fieldset class="mb-4">
                                                        <legend class="font-medium">{*label}</legend>
                                                        <div class="mt-1 flex gap-4">
                                                            {(1..=5)
                                                                .map(|n| {
                                                                    let rid = format!("{k}-{n}");
                                                                    view! {
                                                                        <span class="flex items-center gap-1">
                                                                            <input type="radio" id=rid.clone() name=*k value=n.to_string() checked=current == n.to_string() class="h-4 w-4" />
                                                                            <label for=rid>{n}</label>
                                                                        </span>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </div>
                                                        {error.map(|m| view! { <p class="mt-1 text-sm text-red-700" role="alert">{m}</p> })}
                                                    </fieldset>
                                                }
                                            })
                                            .collect_view()}
                                        <label for="comment" class="block font-medium">"Commentaire (facultatif)"</label>
                                        <textarea id="comment" name="comment" rows="4" class=INPUT_CLASS>{values.get("comment").cloned().unwrap_or_default()}</textarea>
                                        <p class="mt-1 text-xs text-slate-600">"1 = pas du tout satisfait, 5 = très satisfait. Une réponse est définitive."</p>
                                        <button type="submit" class="mt-3 rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">"Envoyer ma réponse"</button>
                                    </ActionForm>
                                }
                                .into_any()
                            }
                        }
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
