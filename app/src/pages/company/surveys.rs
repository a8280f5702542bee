//! The satisfaction of the company's collaborators, per training.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::survey::{get_company_surveys, CompanySurveys};
use crate::domain::survey::{TrainingSurveys, CRITERIA};
use crate::pages::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn CompanySurveysPage() -> impl IntoView {
    let id = company_id();
    let page = Resource::new(id, get_company_surveys);
    view! {
        <PageHead title="Questionnaires de satisfaction — Mon espace Entreprise" description="Questionnaires de satisfaction de vos collaborateurs : pour chaque formation suivie, les moyennes par critère et les commentaires des participants." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(CompanySurveys { company_name, tabs, trainings }) => view! {
                        <CompanyNav id=id() name=company_name current=Tab::Surveys tabs=tabs />
                        <h2 class="mt-4 text-lg font-semibold">"Questionnaires de satisfaction des collaborateurs"</h2>
                        {if trainings.is_empty() {
                            view! { <p class="mt-2">"Aucune réponse pour le moment."</p> }.into_any()
                        } else {
                            trainings.into_iter().map(|t| view! { <SurveyResults t /> }).collect_view().into_any()
                        }}
                        <crate::pages::knowledge::CompanyTests company_id=id() />
                    }
                    .into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One training's (or session's) answers: the averages per criterion and the comments.
#[component]
pub fn SurveyResults(t: TrainingSurveys) -> impl IntoView {
    let averages = CRITERIA.iter().map(|(k, label)| (*label, t.average_of(k))).collect::<Vec<_>>();
    view! {
        <section class="mt-4 rounded-lg border border-slate-200 bg-white p-4" aria-label=t.training_title.clone()>
            <h3 class="font-semibold">{t.training_title.clone()}</h3>
            <p class="text-sm text-slate-700">{format!("{} réponse(s)", t.answers.len())}</p>
            <dl class="mt-2 grid grid-cols-2 gap-1 text-sm md:grid-cols-4" data-testid="moyennes">
                {averages.into_iter().map(|(label, avg)| view! {
                    <div><dt class="text-slate-600">{label}</dt><dd class="font-semibold">{avg} " / 5"</dd></div>
                }).collect_view()}
            </dl>
            <ul class="mt-2 text-sm">
                {t.answers.into_iter().filter(|(_, _, c)| !c.is_empty()).map(|(who, _, c)| view! { <li>{who} " : « " {c} " »"</li> }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
