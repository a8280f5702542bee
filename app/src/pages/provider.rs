//! "Espace organisme de formation": the provider staff's sessions and questionnaires.

use crate::api::provider::get_provider_home;
use crate::components::DataTable;
use crate::pages::company::surveys::SurveyResults;
use crate::pages::company::PageError;
use crate::pages::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn ProviderPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_provider_home());
    view! {
        <PageHead title="Espace organisme de formation — Espace Entreprise" description="Espace organisme de formation : vos sessions avec leurs places prises et leur statut, et les réponses aux questionnaires de satisfaction des participants." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! {
                        <p class="text-sm text-slate-600"><a href="/espaces" class="text-blue-900 underline">"Mes espaces"</a> " › Espace organisme"</p>
                        <h1 class="mt-1 text-2xl font-semibold">{p.provider_name.clone()}</h1>
                        <p class="mt-1"><a class="font-medium text-blue-900 underline" href="/organisme/catalogue">"Catalogue et informations de l'organisme"</a></p>
                        <h2 class="mt-4 text-lg font-semibold">"Sessions"</h2>
                        <DataTable headers=vec!["Formation", "Dates", "Lieu", "Places prises", "Statut"] testid="sessions-organisme">
                                    {p.sessions.iter().map(|s| view! {
                                        <tr class="border-t border-slate-200">
                                            <td class="px-3 py-2"><a class="text-blue-900 underline" href=format!("/organisme/session/{}", s.id)>{s.training_title.clone()}</a></td>
                                            <td class="px-3 py-2">{s.period.clone()}</td>
                                            <td class="px-3 py-2">{s.city.clone()}</td>
                                            <td class="px-3 py-2">{format!("{} / {}", s.seats_taken, s.capacity)}</td>
                                            <td class="px-3 py-2">{s.status.label()}</td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                        <h2 class="mt-6 text-lg font-semibold">"Questionnaires de satisfaction"</h2>
                        {if p.surveys.is_empty() {
                            view! { <p class="mt-2">"Aucune réponse pour le moment."</p> }.into_any()
                        } else {
                            p.surveys.clone().into_iter().map(|t| view! { <SurveyResults t /> }).collect_view().into_any()
                        }}
                    }
                    .into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
