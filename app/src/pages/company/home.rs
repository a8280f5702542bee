//! The home of a company space: the registrations made for the company.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::company::get_company_home;
use crate::domain::registration::status_label;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CompanyHomePage() -> impl IntoView {
    let id = company_id();
    let home = Resource::new(id, get_company_home);
    view! {
        <Title text="Mon espace Entreprise — Espace Entreprise" />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(h) => {
                        let roles = h.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
                        view! {
                            <CompanyNav id=h.id name=h.name.clone() current=Tab::Home admin=h.is_admin() />
                            <p class="mt-3 text-sm text-slate-700">
                                "Mes rôles : " {roles} " · Inscriptions : " {h.policy.label().to_lowercase()}
                            </p>
                            <h2 class="mt-4 text-lg font-semibold">"Formations des collaborateurs"</h2>
                            {if h.registrations.is_empty() {
                                view! { <p class="mt-2">"Aucune inscription pour le moment. Inscrivez des collaborateurs depuis le "<a class="text-blue-900 underline" href="/catalogue">"catalogue"</a>"."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
                                        <table class="min-w-full text-left text-sm">
                                            <thead class="bg-slate-100">
                                                <tr>
                                                    <th scope="col" class="px-3 py-2">"Participant"</th>
                                                    <th scope="col" class="px-3 py-2">"Formation"</th>
                                                    <th scope="col" class="px-3 py-2">"Dates"</th>
                                                    <th scope="col" class="px-3 py-2">"Lieu"</th>
                                                    <th scope="col" class="px-3 py-2">"Statut"</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {h.registrations
                                                    .into_iter()
                                                    .map(|l| view! {
                                                        <tr class="border-t border-slate-200">
                                                            <td class="px-3 py-2">{l.participant_name.clone()}</td>
                                                            <td class="px-3 py-2"><a class="text-blue-900 underline" href=format!("/formations/{}", l.training_id)>{l.training_title.clone()}</a></td>
                                                            <td class="px-3 py-2">{l.period()}<br /><span class="text-slate-600">{l.schedule.clone()}</span></td>
                                                            <td class="px-3 py-2">{l.city.clone()}</td>
                                                            <td class="px-3 py-2">{status_label(&l.status)}</td>
                                                        </tr>
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                                .into_any()
                            }}
                        }
                        .into_any()
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
