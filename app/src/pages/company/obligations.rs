//! Obligations de formation: administrators and training managers see, for the
//! collaborators who share it with the firm, who is up to date, on pace or behind.
//! The filter is a plain GET form and the export a plain link: no JavaScript needed.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::obligation_sharing::{get_firm_obligations, FirmObligations};
use crate::components::form::INPUT_CLASS;
use crate::domain::attendance::hours_fr;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CompanyObligationsPage() -> impl IntoView {
    let id = company_id();
    let query = use_query_map();
    let profession = move || query.read().get("profession").unwrap_or_default();
    let page = Resource::new(move || (id(), profession()), |(id, p)| get_firm_obligations(id, p));
    view! {
        <PageHead title="Obligations de formation — Mon espace Entreprise" description="Obligations de formation des collaborateurs qui partagent leur suivi avec le cabinet : qui est à jour, qui est en retard et de combien." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <CompanyNav id=id() name=p.company_name.clone() current=Tab::Obligations tabs=p.tabs /> <Obligations p /> }.into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Obligations(p: FirmObligations) -> impl IntoView {
    let csv = match p.filter.as_str() {
        "" => format!("/entreprise/{}/obligations.csv", p.company_id),
        f => format!("/entreprise/{}/obligations.csv?profession={f}", p.company_id),
    };
    let behind = p.rows.iter().filter(|r| r.pace.is_behind()).count();
    let summary = format!("{} collaborateur(s) partagent leur suivi ; {behind} obligation(s) en retard en {}.", p.people, p.year);
    view! {
        <h2 class="mt-4 text-lg font-semibold">"Obligations de formation des collaborateurs"</h2>
        <p class="mt-1 text-sm text-slate-700">
            "Seuls figurent les collaborateurs qui ont choisi de partager leur suivi avec le cabinet (depuis « Mes obligations de formation »). "
            "« En retard » : en deçà d'un rythme régulier vers le minimum annuel et le total de la période."
        </p>
        <form method="get" class="mt-3 flex flex-wrap items-end gap-3">
            <div>
                <label for="profession" class="block text-sm font-medium">"Profession"</label>
                <select id="profession" name="profession" class=INPUT_CLASS>
                    <option value="" selected=p.filter.is_empty()>"Toutes"</option>
                    {p.professions.iter().map(|(code, label)| view! {
                        <option value=code.clone() selected=*code == p.filter>{label.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="rounded-md border border-blue-900 px-3 py-2 text-sm font-medium text-blue-900 hover:bg-blue-50">"Filtrer"</button>
            <a class="text-blue-900 underline" href=csv download="">"Exporter en CSV"</a>
        </form>
        <p class="mt-3" data-testid="resume-obligations">{summary}</p>
        {if p.rows.is_empty() {
            view! { <p class="mt-2">"Aucun collaborateur ne partage son suivi pour le moment."</p> }.into_any()
        } else {
            view! {
                <div class="mt-3 overflow-x-auto">
                    <table class="min-w-full border border-slate-200 bg-white text-sm" data-testid="obligations">
                        <caption class="sr-only">{format!("Obligations de formation {}", p.year)}</caption>
                        <thead class="bg-slate-100 text-left">
                            <tr>
                                <th scope="col" class="px-3 py-2">"Collaborateur"</th>
                                <th scope="col" class="px-3 py-2">"Profession"</th>
                                <th scope="col" class="px-3 py-2">{format!("Heures {}", p.year)}</th>
                                <th scope="col" class="px-3 py-2">"Heures sur la période"</th>
                                <th scope="col" class="px-3 py-2">"Reste à faire"</th>
                                <th scope="col" class="px-3 py-2">"Situation"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {p.rows.into_iter().map(|r| view! {
                                <tr class="border-t border-slate-200">
                                    <th scope="row" class="px-3 py-2 text-left font-normal">{r.name.clone()} <span class="block text-xs text-slate-600">{r.email.clone()}</span></th>
                                    <td class="px-3 py-2">{r.profession.clone()}</td>
                                    <td class="px-3 py-2">{hours_fr(r.year_counted)}</td>
                                    <td class="px-3 py-2">{format!("{} ({})", hours_fr(r.period_counted), r.period)}</td>
                                    <td class="px-3 py-2">{hours_fr(r.pace.missing())}</td>
                                    <td class=if r.pace.is_behind() { "px-3 py-2 font-semibold text-red-800" } else { "px-3 py-2" }>{r.pace.label()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
}
