//! The cart: registrations waiting for the order, the billing entity, validation.

use super::{company_id, typed, CompanyNav, PageError, Tab};
use crate::api::orders::{get_cart, ValidateOrder};
use crate::api::company::CancelRegistration;
use crate::components::{Checkbox, DataTable, Field, Notice};
use crate::domain::date::paris_datetime;
use crate::domain::order::{total, FirmCartLine};
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn CartPage() -> impl IntoView {
    let id = company_id();
    let validate = ServerAction::<ValidateOrder>::new();
    let remove = ServerAction::<CancelRegistration>::new();
    let page = Resource::new(move || (id(), validate.version().get(), remove.version().get()), |(id, _, _)| get_cart(id));
    view! {
        <PageHead title="Panier — Mon espace Entreprise" description="Panier de votre structure : inscriptions en attente de commande et places réservées, choix de l'entité de facturation et validation de la commande." />
        {move || validate.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let company = id();
                        let echo = p.echo.clone();
                        let errs = echo.errors.clone();
                        let e = move |k: &str| errs.get(k).cloned();
                        let chosen = typed(&echo, "billing", p.billing_options.first().map(|o| o.code.as_str()).unwrap_or(""));
                        let sum = total(&p.lines);
                        view! {
                            <CompanyNav id=company name=p.company_name.clone() current=Tab::Cart tabs=p.tabs />
                            <h2 class="mt-4 text-lg font-semibold">"Commandes en cours dans le panier"</h2>
                            {p.firm.clone().map(|firm| view! { <FirmCarts lines=firm /> <h3 class="mt-6 font-semibold">"Mon panier"</h3> })}
                            {e("lines").map(|m| view! { <Notice kind="error">{m}</Notice> })}
                            {if p.lines.is_empty() {
                                view! { <p class="mt-2">"Votre panier est vide. Inscrivez des collaborateurs depuis le "<a class="text-blue-900 underline" href="/catalogue">"catalogue"</a>"."</p> }.into_any()
                            } else {
                                let until = p.lines.iter().map(|l| l.held_until).min().unwrap_or(0);
                                view! {
                                    <p class="mt-1 text-sm text-slate-700">"Places réservées jusqu'au " {paris_datetime(until)} "."</p>
                                    <div class="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
                                        <table class="min-w-full text-left text-sm" data-testid="lignes-panier">
                                            <thead class="bg-slate-100">
                                                <tr>
                                                    <th scope="col" class="px-3 py-2">"Participant"</th>
                                                    <th scope="col" class="px-3 py-2">"Formation"</th>
                                                    <th scope="col" class="px-3 py-2">"Session"</th>
                                                    <th scope="col" class="px-3 py-2 text-right">"Prix HT"</th>
                                                    <th scope="col" class="px-3 py-2"><span class="sr-only">"Action"</span></th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {p.lines.clone().into_iter().map(|l| {
                                                    let label = format!("Retirer {} du panier", l.participant);
                                                    view! {
                                                        <tr class="border-t border-slate-200">
                                                            <td class="px-3 py-2">{l.participant.clone()}</td>
                                                            <td class="px-3 py-2">{l.training_title.clone()}</td>
                                                            <td class="px-3 py-2">{l.period.clone()} " — " {l.city.clone()}</td>
                                                            <td class="px-3 py-2 text-right">{l.price.format_eur()}</td>
                                                            <td class="px-3 py-2">
                                                                <ActionForm action=remove>
                                                                    <input type="hidden" name="company_id" value=company.to_string() />
                                                                    <input type="hidden" name="registration_id" value=l.registration_id.to_string() />
                                                                    <button type="submit" class="text-red-800 underline" aria-label=label>"Retirer"</button>
                                                                </ActionForm>
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                            <tfoot>
                                                <tr class="border-t border-slate-300 font-semibold">
                                                    <td class="px-3 py-2" colspan="3">"Total HT"</td>
                                                    <td class="px-3 py-2 text-right" data-testid="total">{sum.format_eur()}</td>
                                                    <td></td>
                                                </tr>
                                            </tfoot>
                                        </table>
                                    </div>
                                    <ActionForm action=validate attr:class="mt-4 max-w-2xl rounded-lg border border-slate-200 bg-white p-5">
                                        <input type="hidden" name="company_id" value=company.to_string() />
                                        <fieldset>
                                            <legend class="font-semibold">"Entité de facturation"</legend>
                                            {p.billing_options.clone().into_iter().map(|o| {
                                                let rid = format!("facturation-{}", o.code.replace(':', "-"));
                                                let checked = o.code == chosen;
                                                view! {
                                                    <div class="flex items-center gap-2 py-1">
                                                        <input type="radio" id=rid.clone() name="billing" value=o.code checked=checked class="h-4 w-4" />
                                                        <label for=rid>{o.label}</label>
                                                    </div>
                                                }
                                            }).collect_view()}
                                            {e("billing").map(|m| view! { <p class="mt-1 text-sm text-red-700" role="alert">{m}</p> })}
                                        </fieldset>
                                        <Field
                                            label="Ou SIRET d'une autre structure qui vous y autorise"
                                            name="billing_siret"
                                            value=typed(&echo, "billing_siret", "")
                                            error=e("billing_siret")
                                            inputmode="numeric"
                                        />
                                        <Field label="Référence du bon de commande (facultatif)" name="po_reference" value=typed(&echo, "po_reference", "") error=e("po_reference") />
                                        <Checkbox label="J'accepte les conditions générales de vente de l'organisme de formation." name="accept_terms" />
                                        {e("accept_terms").map(|m| view! { <p class="text-sm text-red-700" role="alert">{m}</p> })}
                                        <button type="submit" class="mt-3 rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">
                                            "Valider la commande"
                                        </button>
                                    </ActionForm>
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

/// Every cart of the company in progress, for those who manage it: whose it is, and
/// until when its seats are held. Read only: each cart is validated by its owner.
#[component]
fn FirmCarts(lines: Vec<FirmCartLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="mt-2 text-sm text-slate-700">"Aucun panier en cours dans la structure."</p> }.into_any();
    }
    view! {
        <p class="mt-1 text-sm text-slate-700">"Les paniers de la structure : qui les prépare, et jusqu'à quand les places sont réservées."</p>
        <DataTable headers=vec!["Panier de", "Participant", "Formation", "Session", "Places réservées jusqu'au"] testid="paniers-structure">
            {lines.into_iter().map(|l| {
                let owner = if l.mine { format!("{} (vous)", l.owner) } else { l.owner };
                view! {
                    <tr class="border-t border-slate-200">
                        <td class="px-3 py-2">{owner}</td>
                        <td class="px-3 py-2">{l.participant}</td>
                        <td class="px-3 py-2">{l.training_title}</td>
                        <td class="px-3 py-2">{l.period} " — " {l.city}</td>
                        <td class="px-3 py-2">{paris_datetime(l.held_until)}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
