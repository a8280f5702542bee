//! Back-office of one session: confirm or cancel it and its registrations, record the
//! attendance per half day, close it.

use crate::api::provider::{get_provider_session, ProviderSessionOp, RecordAttendance, RecordPayment, SetSessionCapacity};
use crate::components::{DataTable, Notice};
use crate::domain::command::SessionCommand;
use crate::domain::provider::SessionPage;
use crate::pages::company::PageError;
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800";
const SECONDARY: &str = "rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-100";

#[component]
pub fn ProviderSessionPage() -> impl IntoView {
    let id = crate::pages::id_param("id");
    let op = ServerAction::<ProviderSessionOp>::new();
    let attendance = ServerAction::<RecordAttendance>::new();
    let payment = ServerAction::<RecordPayment>::new();
    let capacity = ServerAction::<SetSessionCapacity>::new();
    let page = Resource::new(
        move || (id(), op.version().get(), attendance.version().get(), payment.version().get(), capacity.version().get()),
        |(id, _, _, _, _)| get_provider_session(id),
    );
    view! {
        <PageHead title="Session — Espace organisme de formation" description="Gérez une session de formation : places, confirmation ou annulation, inscriptions, présences par demi-journée, facturation et clôture de la session." />
        {move || op.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        {move || attendance.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        {move || payment.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        {move || capacity.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <SessionView p op attendance payment capacity /> }.into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SessionView(
    p: SessionPage,
    op: ServerAction<ProviderSessionOp>,
    attendance: ServerAction<RecordAttendance>,
    payment: ServerAction<RecordPayment>,
    capacity: ServerAction<SetSessionCapacity>,
) -> impl IntoView {
    let s = p.session.clone();
    let sid = s.id;
    let open = s.status.is_open();
    let confirmed_count = p.roster.iter().filter(|r| r.status.is_confirmed()).count();
    let half_days = p.half_days.clone();
    let roster = p.roster.clone();
    view! {
        <p class="text-sm text-slate-600">
            <a href="/espaces" class="text-blue-900 underline">"Mes espaces"</a> " › "
            <a href="/organisme" class="text-blue-900 underline">{p.provider_name.clone()}</a> " › Session"
        </p>
        <h1 class="mt-1 text-2xl font-semibold">{s.training_title.clone()}</h1>
        <p class="text-slate-700">{format!("{} — {} — {}", s.period, s.city, p.place)}</p>
        <p class="text-sm text-slate-700" data-testid="etat-session">
            {format!("Statut : {}{} · {} / {} places prises", s.status.label(), if p.confirmed { ", maintenue" } else { "" }, s.seats_taken, s.capacity)}
        </p>
        {p.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
        {open.then(|| view! {
            <ActionForm action=capacity attr:class="mt-2 flex items-end gap-2">
                <input type="hidden" name="session_id" value=sid.to_string() />
                <div>
                    <label for="capacite" class="block text-sm font-medium">"Nombre de places"</label>
                    <input id="capacite" name="capacity" inputmode="numeric" value=s.capacity.to_string() class="mt-1 w-24 rounded border border-slate-300 px-2 py-1" />
                </div>
                <button type="submit" class=SECONDARY>"Modifier la capacité"</button>
            </ActionForm>
        })}
        {open.then(|| view! {
            <div class="mt-3 flex flex-wrap gap-3">
                <ActionForm action=op>
                    <input type="hidden" name="session_id" value=sid.to_string() />
                    <button type="submit" name="op" value=SessionCommand::Confirm(None).code() class=BUTTON>"Confirmer la session"</button>
                </ActionForm>
                {p.may_close.then(|| view! {
                    <ActionForm action=op>
                        <input type="hidden" name="session_id" value=sid.to_string() />
                        <button type="submit" name="op" value=SessionCommand::Close.code() class=BUTTON>"Clôturer la session"</button>
                    </ActionForm>
                })}
                <ActionForm action=op>
                    <input type="hidden" name="session_id" value=sid.to_string() />
                    <button type="submit" name="op" value=SessionCommand::Cancel(None).code() class="rounded-md border border-red-300 bg-white px-4 py-2 font-medium text-red-800 hover:bg-red-50">
                        "Annuler la session"
                    </button>
                </ActionForm>
            </div>
        })}
        <h2 class="mt-6 text-lg font-semibold">"Participants"</h2>
        {if p.roster.is_empty() {
            view! { <p class="mt-2">"Aucune inscription."</p> }.into_any()
        } else {
            view! {
                <DataTable headers=vec!["Participant", "Structure", "Statut", "Heures suivies", "Actions"] testid="participants-session">
                            {roster.into_iter().map(|r| {
                                let actionable = open && r.status.is_planned();
                                let pending = r.status.is_confirmable();
                                let reg = r.registration_id;
                                let confirm_label = format!("Confirmer l'inscription de {}", r.name);
                                let cancel_label = format!("Annuler l'inscription de {}", r.name);
                                view! {
                                    <tr class="border-t border-slate-200">
                                        <td class="px-3 py-2">{r.name.clone()} <br /> <span class="text-slate-600">{r.email.clone()}</span></td>
                                        <td class="px-3 py-2">{r.company.clone().unwrap_or_default()}</td>
                                        <td class="px-3 py-2">{r.status.label()}</td>
                                        <td class="px-3 py-2">{r.attended.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td class="px-3 py-2">
                                            {actionable.then(move || view! {
                                                <div class="flex gap-3">
                                                    {pending.then(move || view! {
                                                        <ActionForm action=op>
                                                            <input type="hidden" name="session_id" value=sid.to_string() />
                                                            <button type="submit" name="op" value=SessionCommand::Confirm(Some(reg)).code() class="text-blue-900 underline" aria-label=confirm_label>"Confirmer"</button>
                                                        </ActionForm>
                                                    })}
                                                    <ActionForm action=op>
                                                        <input type="hidden" name="session_id" value=sid.to_string() />
                                                        <button type="submit" name="op" value=SessionCommand::Cancel(Some(reg)).code() class="text-red-800 underline" aria-label=cancel_label>"Annuler"</button>
                                                    </ActionForm>
                                                </div>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
            }.into_any()
        }}
        <crate::pages::waitlist::ProviderWaitingList session_id=sid />
        <h2 class="mt-6 text-lg font-semibold">"Facturation"</h2>
        {if p.orders.is_empty() {
            view! { <p class="mt-2">"Aucune commande sur cette session."</p> }.into_any()
        } else {
            view! {
                <ul class="mt-2 text-sm" data-testid="commandes-session">
                    {p.orders.clone().into_iter().map(|(order, number, company)| {
                        let down_label = format!("Facture d'acompte ({number})");
                        let invoice_label = format!("Facturer ({number})");
                        view! {
                        <li class="flex flex-wrap items-center gap-3 py-1">
                            <span>{format!("{number} — {company}")}</span>
                            <ActionForm action=op>
                                <input type="hidden" name="session_id" value=sid.to_string() />
                                <button type="submit" name="op" value=SessionCommand::DownPayment(order).code() class="text-blue-900 underline">{down_label}</button>
                            </ActionForm>
                            <ActionForm action=op>
                                <input type="hidden" name="session_id" value=sid.to_string() />
                                <button type="submit" name="op" value=SessionCommand::Invoice(order).code() class="text-blue-900 underline">{invoice_label}</button>
                            </ActionForm>
                        </li>
                    }}).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!p.invoices.is_empty()).then(|| view! {
            <table class="mt-2 text-left text-sm" data-testid="factures-session">
                <thead><tr><th scope="col" class="pr-4">"Numéro"</th><th scope="col" class="pr-4">"Type"</th><th scope="col" class="pr-4">"Net à payer"</th><th scope="col" class="pr-4">"Statut"</th><th scope="col">"Paiement reçu"</th></tr></thead>
                <tbody>
                    {p.invoices.clone().into_iter().map(|i| {
                        let payable = i.status().awaits_payment();
                        let invoice_id = i.id;
                        let label = format!("Montant reçu pour {}", i.number);
                        view! {
                            <tr>
                                <td class="pr-4">{i.number.clone()}</td>
                                <td class="pr-4">{i.kind.label()}</td>
                                <td class="pr-4">{i.amount_due.format_eur()}</td>
                                <td class="pr-4">{i.status_label()}</td>
                                <td>
                                    {payable.then(move || view! {
                                        <ActionForm action=payment attr:class="flex gap-2">
                                            <input type="hidden" name="session_id" value=sid.to_string() />
                                            <input type="hidden" name="invoice_id" value=invoice_id.to_string() />
                                            <input type="text" name="amount" inputmode="decimal" aria-label=label class="w-28 rounded border border-slate-300 px-2 py-1" />
                                            <button type="submit" class="text-blue-900 underline">"Enregistrer"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {(open && confirmed_count > 0).then(|| view! {
            <section class="mt-6 rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-presences">
                <h2 id="titre-presences" class="text-lg font-semibold">"Feuille de présence"</h2>
                <p class="text-sm text-slate-700">"Cochez, pour chaque demi-journée, les participants présents."</p>
                <ActionForm action=attendance>
                    <input type="hidden" name="session_id" value=sid.to_string() />
                    <input type="hidden" name="marks[aucun]" value="" />
                    <table class="mt-2 text-left text-sm" data-testid="presences">
                        <thead>
                            <tr>
                                <th scope="col" class="pr-4">"Participant"</th>
                                {half_days.iter().map(|h| view! { <th scope="col" class="px-2">{h.clone()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {p.roster.iter().filter(|r| r.status.is_confirmed()).map(|r| view! {
                                <tr>
                                    <th scope="row" class="pr-4 font-normal">{r.name.clone()}</th>
                                    {r.present.iter().enumerate().map(|(i, present)| {
                                        let label = format!("{} présent(e) le {}", r.name, half_days.get(i).cloned().unwrap_or_default());
                                        view! {
                                            <td class="px-2 text-center">
                                                <input type="checkbox" name=format!("marks[r{}h{i}]", r.registration_id) value="on" checked=*present aria-label=label class="h-4 w-4" />
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <button type="submit" class=format!("mt-3 {SECONDARY}")>"Enregistrer les présences"</button>
                </ActionForm>
            </section>
        })}
        <crate::pages::knowledge::SessionTests session_id=sid />
    }
    .into_any()
}
