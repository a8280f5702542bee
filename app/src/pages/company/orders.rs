//! "Commandes validées" and their "Bon de commande": those placed by the company and
//! those invoiced to it; a training manager sees those he placed.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::orders::get_orders;
use crate::components::pagination::{query_pairs, Pagination};
use crate::components::{DataTable, Notice};
use crate::domain::page::{count_fr, PageRequest};
use crate::domain::date::paris_datetime;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OrdersPage() -> impl IntoView {
    let id = company_id();
    let query = use_query_map();
    let asked = move || PageRequest::from_query(query.read().get_str("page"));
    let page = Resource::new(move || (id(), asked()), |(id, asked)| get_orders(id, asked));
    view! {
        <PageHead title="Commandes validées — Mon espace Entreprise" description="Commandes validées de votre structure, passées par elle ou facturées à elle, avec le bon de commande de chacune à télécharger." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let kept = query_pairs(&query.read());
                match page.await {
                    Ok(p) => view! {
                        <CompanyNav id=id() name=p.company_name.clone() current=Tab::Orders tabs=p.tabs />
                        {p.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
                        <h2 id="bons-de-commande" class="mt-4 text-lg font-semibold">"Commandes validées"</h2>
                        {p.only_mine.then(|| view! { <p class="mt-1 text-sm text-slate-700">"Les commandes que vous avez passées pour la structure."</p> })}
                        {if p.orders.is_empty() {
                            view! { <p class="mt-2">"Aucune commande validée."</p> }.into_any()
                        } else {
                            let info = p.orders.info();
                            view! {
                                <p class="mt-1 text-sm text-slate-700" data-testid="total">{format!("{}, les plus récentes d'abord.", count_fr(info.total, "commande", "commandes"))}</p>
                                <DataTable headers=vec!["Numéro", "Date", "Commandée par", "Facturée à", "Référence", "Inscriptions", "Total HT", "Bon de commande"] testid="commandes">
                                    {p.orders.items.into_iter().map(|o| view! {
                                        <tr class="border-t border-slate-200">
                                            <td class="px-3 py-2 font-medium">{o.number.clone()}</td>
                                            <td class="px-3 py-2">{paris_datetime(o.created_at)}</td>
                                            <td class="px-3 py-2">{o.ordering_company.clone()} {(!o.placed_here).then_some(" (tiers)")}</td>
                                            <td class="px-3 py-2">{o.billing_entity.clone()}</td>
                                            <td class="px-3 py-2">{if o.po_reference.is_empty() { "—".to_string() } else { o.po_reference.clone() }}</td>
                                            <td class="px-3 py-2">{o.registrations}</td>
                                            <td class="px-3 py-2">{o.total.format_eur()}</td>
                                            <td class="px-3 py-2">
                                                <a class="text-blue-900 underline" href=format!("/documents/bon-de-commande/{}", o.id) download="">{format!("Bon de commande {}", o.number)}</a>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                                <Pagination info query=kept />
                            }
                            .into_any()
                        }}
                    }
                    .into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
