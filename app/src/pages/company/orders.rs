//! Validated orders: those placed by the company and those invoiced to it.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::orders::get_orders;
use crate::components::Notice;
use crate::domain::date::paris_datetime;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrdersPage() -> impl IntoView {
    let id = company_id();
    let page = Resource::new(id, get_orders);
    view! {
        <Title text="Commandes validées — Mon espace Entreprise" />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! {
                        <CompanyNav id=id() name=p.company_name.clone() current=Tab::Orders tabs=p.tabs />
                        {p.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
                        <h2 class="mt-4 text-lg font-semibold">"Commandes validées"</h2>
                        {if p.orders.is_empty() {
                            view! { <p class="mt-2">"Aucune commande validée."</p> }.into_any()
                        } else {
                            view! {
                                <div class="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
                                    <table class="min-w-full text-left text-sm" data-testid="commandes">
                                        <thead class="bg-slate-100">
                                            <tr>
                                                <th scope="col" class="px-3 py-2">"Numéro"</th>
                                                <th scope="col" class="px-3 py-2">"Date"</th>
                                                <th scope="col" class="px-3 py-2">"Commandée par"</th>
                                                <th scope="col" class="px-3 py-2">"Facturée à"</th>
                                                <th scope="col" class="px-3 py-2">"Bon de commande"</th>
                                                <th scope="col" class="px-3 py-2">"Inscriptions"</th>
                                                <th scope="col" class="px-3 py-2 text-right">"Total HT"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {p.orders.into_iter().map(|o| view! {
                                                <tr class="border-t border-slate-200">
                                                    <td class="px-3 py-2 font-medium">{o.number.clone()}</td>
                                                    <td class="px-3 py-2">{paris_datetime(o.created_at)}</td>
                                                    <td class="px-3 py-2">{o.ordering_company.clone()} {(!o.placed_here).then_some(" (tiers)")}</td>
                                                    <td class="px-3 py-2">{o.billing_entity.clone()}</td>
                                                    <td class="px-3 py-2">{if o.po_reference.is_empty() { "—".to_string() } else { o.po_reference.clone() }}</td>
                                                    <td class="px-3 py-2">{o.registrations}</td>
                                                    <td class="px-3 py-2 text-right">{o.total.format_eur()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
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
