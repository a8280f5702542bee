//! "Factures et avoirs": invoices (down payments included), acquittées or not, credit
//! notes, and the payments received, with filters and a CSV export.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::company::{get_company_invoices, CompanyInvoices};
use crate::components::form::INPUT_CLASS;
use crate::components::DataTable;
use crate::domain::invoice::{InvoiceSummary, Kind, PaymentFilter};
use crate::domain::Date;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

const LINK: &str = "text-blue-900 underline";

fn keep(i: &InvoiceSummary, kind: &str, status: &str) -> bool {
    (kind.is_empty() || i.kind.code() == kind) && PaymentFilter::from_code(status).is_none_or(|f| f.keeps(i.status()))
}

fn date_fr(iso: &str) -> String {
    Date::parse(iso).map(|d| d.short_fr()).unwrap_or_else(|| iso.to_string())
}

#[component]
pub fn CompanyInvoicesPage() -> impl IntoView {
    let id = company_id();
    let query = use_query_map();
    let page = Resource::new(id, get_company_invoices);
    view! {
        <PageHead title="Factures et avoirs — Mon espace Entreprise" description="Factures d'acomptes, factures non acquittées ou acquittées, avoirs et règlements de votre structure, avec des filtres et l'export de la liste en CSV." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let (kind, status) = {
                    let q = query.read();
                    (q.get("type").unwrap_or_default(), q.get("statut").unwrap_or_default())
                };
                match page.await {
                    Ok(p) => view! { <InvoicesView p kind status company=id() /> }.into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InvoicesView(p: CompanyInvoices, kind: String, status: String, company: i64) -> impl IntoView {
    let shown: Vec<InvoiceSummary> = p.invoices.iter().filter(|i| keep(i, &kind, &status)).cloned().collect();
    view! {
        <CompanyNav id=company name=p.company_name.clone() current=Tab::Invoices tabs=p.tabs />
        <h2 id="factures" class="mt-4 text-lg font-semibold">"Factures d'acomptes, factures non acquittées/acquittées, avoirs"</h2>
        <Form action=format!("/entreprise/{company}/factures") attr:class="mt-2 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" attr:aria-label="Filtrer les factures">
            <div>
                <label for="type" class="block text-sm font-medium">"Type"</label>
                <select id="type" name="type" class=INPUT_CLASS>
                    <option value="">"Tous"</option>
                    {Kind::ALL.iter().map(|k| view! { <option value=k.code() selected=kind == k.code()>{k.label()}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label for="statut" class="block text-sm font-medium">"Règlement"</label>
                <select id="statut" name="statut" class=INPUT_CLASS>
                    <option value="">"Tous"</option>
                    {PaymentFilter::ALL.iter().map(|f| view! { <option value=f.code() selected=status == f.code()>{f.label()}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit" class="mb-4 rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-100">"Filtrer"</button>
            <a class=format!("mb-4 {LINK}") href=format!("/documents/export/{company}") download="">"Exporter la liste (CSV)"</a>
        </Form>
        {if shown.is_empty() {
            view! { <p class="mt-2">"Aucun document."</p> }.into_any()
        } else {
            view! {
                <DataTable headers=vec!["Numéro", "Type", "Organisme", "Commande", "Date", "Échéance", "Net à payer", "Réglé", "Statut"] testid="factures">
                    {shown.into_iter().map(|i| view! {
                        <tr class="border-t border-slate-200">
                            <td class="px-3 py-2"><a class=LINK href=format!("/documents/facture/{}", i.id) download="">{i.number.clone()}</a></td>
                            <td class="px-3 py-2">{i.kind.label()} {i.credits.clone().map(|c| format!(" (facture {c})"))}</td>
                            <td class="px-3 py-2">{i.provider.clone()}</td>
                            <td class="px-3 py-2">{i.order_number.clone()}</td>
                            <td class="px-3 py-2">{date_fr(&i.issue_date)}</td>
                            <td class="px-3 py-2">{if i.kind == Kind::CreditNote { "—".to_string() } else { date_fr(&i.due_date) }}</td>
                            <td class="px-3 py-2">{i.amount_due.format_eur()}</td>
                            <td class="px-3 py-2">{if i.kind == Kind::CreditNote { "—".to_string() } else { i.paid.format_eur() }}</td>
                            <td class="px-3 py-2">{i.status_label()}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }
            .into_any()
        }}
        <h2 id="reglements" class="mt-6 text-lg font-semibold">"Règlements"</h2>
        {if p.payments.is_empty() {
            view! { <p class="mt-2 text-sm text-slate-700">"Aucun règlement reçu."</p> }.into_any()
        } else {
            view! {
                <DataTable headers=vec!["Facture", "Date du règlement", "Montant", "Mode"] testid="reglements">
                    {p.payments.into_iter().map(|pa| view! {
                        <tr class="border-t border-slate-200">
                            <td class="px-3 py-2">{pa.invoice_number.clone()}</td>
                            <td class="px-3 py-2">{date_fr(&pa.paid_on)}</td>
                            <td class="px-3 py-2">{pa.amount.format_eur()}</td>
                            <td class="px-3 py-2">{pa.method.clone()}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }
            .into_any()
        }}
    }
    .into_any()
}
