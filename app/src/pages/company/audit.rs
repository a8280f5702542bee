//! MON ENTREPRISE — the audit log: who changed what, before, after, when.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::company::get_audit_log;
use crate::components::pagination::{query_pairs, Pagination};
use crate::domain::page::{count_fr, PageRequest};
use crate::domain::date::paris_datetime;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let id = company_id();
    let query = use_query_map();
    let asked = move || PageRequest::from_query(query.read().get_str("page"));
    let page = Resource::new(move || (id(), asked()), |(id, asked)| get_audit_log(id, asked));
    view! {
        <PageHead title="Journal des modifications — MON ENTREPRISE" description="Journal des modifications de votre espace entreprise : qui a changé quoi, quand, et la valeur avant et après chaque modification." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let kept = query_pairs(&query.read());
                match page.await {
                    Ok(p) => view! {
                        <CompanyNav id=id() name=p.company_name.clone() current=Tab::Audit tabs=crate::domain::rights::Tabs::ADMIN />
                        <p class="mt-4 text-sm text-slate-700" data-testid="total">{format!("{}, les plus récentes d'abord.", count_fr(p.data.total, "modification", "modifications"))}</p>
                        <div class="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
                            <table class="min-w-full text-left text-sm" data-testid="journal">
                                <thead class="bg-slate-100">
                                    <tr>
                                        <th scope="col" class="px-3 py-2">"Date"</th>
                                        <th scope="col" class="px-3 py-2">"Par"</th>
                                        <th scope="col" class="px-3 py-2">"Modification"</th>
                                        <th scope="col" class="px-3 py-2">"Avant"</th>
                                        <th scope="col" class="px-3 py-2">"Après"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.data.items.iter().map(|a| view! {
                                        <tr class="border-t border-slate-200 align-top">
                                            <td class="whitespace-nowrap px-3 py-2">{paris_datetime(a.at)}</td>
                                            <td class="px-3 py-2">{a.actor.clone()}</td>
                                            <td class="px-3 py-2">{a.action_label()}</td>
                                            <td class="px-3 py-2 font-mono text-xs break-all">{a.before.clone()}</td>
                                            <td class="px-3 py-2 font-mono text-xs break-all">{a.after.clone()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pagination info=p.data.info() query=kept />
                    }
                    .into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
