//! "Espace organisme de formation": the provider staff's sessions and questionnaires.

use crate::api::provider::get_provider_home;
use crate::components::pagination::{query_pairs, Pagination};
use crate::components::DataTable;
use crate::domain::page::{count_fr, PageRequest};
use crate::pages::company::surveys::SurveyResults;
use crate::pages::company::PageError;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProviderPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || PageRequest::from_query(query.read().get_str("page"));
    let page = Resource::new(asked, get_provider_home);
    view! {
        <PageHead title="Espace organisme de formation — Espace Entreprise" description="Espace organisme de formation : vos sessions avec leurs places prises et leur statut, et les réponses aux questionnaires de satisfaction des participants." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let kept = query_pairs(&query.read());
                match page.await {
                    Ok(p) => {
                        let info = p.sessions.info();
                        view! {
                        <p class="text-sm text-slate-600"><a href="/espaces" class="text-blue-900 underline">"Mes espaces"</a> " › Espace organisme"</p>
                        <h1 class="mt-1 text-2xl font-semibold">{p.provider_name.clone()}</h1>
                        <p class="mt-1"><a class="font-medium text-blue-900 underline" href="/organisme/catalogue">"Catalogue et informations de l'organisme"</a></p>
                        <h2 class="mt-4 text-lg font-semibold">"Sessions"</h2>
                        <p class="mt-1 text-sm text-slate-700" data-testid="total">{format!("{} : les prochaines d'abord, puis les passées.", count_fr(p.sessions.total, "session", "sessions"))}</p>
                        <DataTable headers=vec!["Formation", "Dates", "Lieu", "Places prises", "Statut"] testid="sessions-organisme">
                                    {p.sessions.items.iter().map(|s| view! {
                                        <tr class="border-t border-slate-200">
                                            <td class="px-3 py-2"><a class="text-blue-900 underline" href=format!("/organisme/session/{}", s.id)>{s.training_title.clone()}</a></td>
                                            <td class="px-3 py-2">{s.period.clone()}</td>
                                            <td class="px-3 py-2">{s.city.clone()}</td>
                                            <td class="px-3 py-2">{format!("{} / {}", s.seats_taken, s.capacity)}</td>
                                            <td class="px-3 py-2">{s.status.label()}</td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                        <Pagination info query=kept />
                        <h2 class="mt-6 text-lg font-semibold">"Questionnaires de satisfaction"</h2>
                        {if p.surveys.is_empty() {
                            view! { <p class="mt-2">"Aucune réponse pour le moment."</p> }.into_any()
                        } else {
                            p.surveys.clone().into_iter().map(|t| view! { <SurveyResults t /> }).collect_view().into_any()
                        }}
                        <Undelivered mails=p.undelivered.clone() />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Courriers non remis": the mails about the provider's sessions and invoices the
/// portal gave up sending after 24 hours of attempts (or that the mail server refused
/// for good), so that the staff reach those people another way. Nothing when there is
/// none.
#[component]
fn Undelivered(mails: Vec<crate::domain::provider::UndeliveredMail>) -> impl IntoView {
    (!mails.is_empty()).then(|| {
        view! {
            <h2 class="mt-6 text-lg font-semibold">"Courriers non remis"</h2>
            <p class="mt-1 text-sm text-slate-600">
                "Ces messages n'ont pas pu être remis : le serveur de courrier les a refusés, ou les envois ont échoué pendant 24 heures. Prévenez ces personnes par un autre moyen, ou vérifiez leur adresse."
            </p>
            <DataTable headers=vec!["Destinataire", "Objet", "Dernière erreur", "Tentatives", "Abandonné le"] testid="courriers-non-remis">
                {mails.into_iter().map(|m| view! {
                    <tr class="border-t border-slate-200">
                        <td class="px-3 py-2">{m.to}</td>
                        <td class="px-3 py-2">{m.subject}</td>
                        <td class="px-3 py-2">{m.error}</td>
                        <td class="px-3 py-2">{m.attempts}</td>
                        <td class="px-3 py-2">{m.given_up}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        }
    })
}
