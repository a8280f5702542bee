//! The waiting list: a full session's page to put participants on it ("M'inscrire sur
//! liste d'attente"), the caller's entries and offers in Mes espaces (accept a seat in
//! one click), and each session's list, in order, for the provider's staff. Plain forms:
//! everything works without JavaScript.

use crate::api::waitlist::{get_my_waitlist, get_provider_waitlist, get_waitlist_page, ClaimOffer, JoinWaitlist, WaitlistPage, WithdrawEntry};
use crate::components::{DataTable, Field, Notice, SelectField};
use crate::domain::date::paris_datetime;
use crate::domain::waitlist::{WaitlistLine, WaitlistStatus};
use crate::pages::head::PageHead;
use crate::pages::ErrorBox;
use leptos::prelude::*;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-semibold text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";

/// `/liste-d-attente/:id`: the session, the form to join its list, the caller's entries.
#[component]
pub fn WaitlistSessionPage() -> impl IntoView {
    let id = crate::pages::id_param("id");
    let join = ServerAction::<JoinWaitlist>::new();
    let claim = ServerAction::<ClaimOffer>::new();
    let withdraw = ServerAction::<WithdrawEntry>::new();
    let page = Resource::new(
        move || (id(), join.version().get(), claim.version().get(), withdraw.version().get()),
        |(id, _, _, _)| get_waitlist_page(id),
    );
    view! {
        <PageHead title="Liste d'attente — Espace Entreprise" description="Session complète : inscrivez vos collaborateurs sur liste d'attente ; une place libérée leur est proposée par e-mail, dans l'ordre, pendant 48 heures." />
        {move || join.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        {move || claim.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        {move || withdraw.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <SessionWaitlist p join claim withdraw /> }.into_any(),
                    Err(e) => view! { <h1 class="text-2xl font-semibold">"Liste d'attente"</h1> <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SessionWaitlist(
    p: WaitlistPage,
    join: ServerAction<JoinWaitlist>,
    claim: ServerAction<ClaimOffer>,
    withdraw: ServerAction<WithdrawEntry>,
) -> impl IntoView {
    let next = format!("/liste-d-attente/{}", p.session_id);
    let waiting = match p.waiting {
        0 => "Personne n'attend pour le moment.".to_string(),
        1 => "1 personne attend une place.".to_string(),
        n => format!("{n} personnes attendent une place."),
    };
    let form = if !p.takes_offers {
        view! { <p class="mt-4">"Cette session n'accepte plus d'inscription."</p> }.into_any()
    } else if p.seats_left > 0 && p.waiting == 0 {
        view! {
            <p class="mt-4">
                "Des places sont disponibles : inscrivez-vous directement depuis la "
                <a class="text-blue-900 underline" href=format!("/formations/{}", p.training_id)>"page de la formation"</a> "."
            </p>
        }
        .into_any()
    } else if !p.logged_in {
        view! {
            <p class="mt-4">
                <a class="font-medium text-blue-900 underline" href=crate::api::login_path(&next)>"Connectez-vous"</a>
                " pour inscrire des participants sur la liste d'attente."
            </p>
        }
        .into_any()
    } else if p.companies.is_empty() {
        view! {
            <p class="mt-4">
                "Vous n'inscrivez pour aucune structure. Pour créer l'espace de votre structure, choisissez une session disponible depuis le "
                <a class="text-blue-900 underline" href="/catalogue">"catalogue"</a> "."
            </p>
        }
        .into_any()
    } else {
        view! { <JoinForm p=p.clone() join /> }.into_any()
    };
    view! {
        <nav aria-label="Fil d'Ariane" class="text-sm">
            <a href="/catalogue" class="text-blue-900 underline">"Catalogue"</a>
            " › "
            <a href=format!("/formations/{}", p.training_id) class="text-blue-900 underline">{p.training_title.clone()}</a>
            " › Liste d'attente"
        </nav>
        <h1 class="mt-2 text-2xl font-semibold">"Liste d'attente — " {p.training_title.clone()}</h1>
        <p class="text-slate-700" data-testid="session-liste-attente">{p.session_label.clone()}</p>
        <p class="mt-1 text-sm text-slate-700">{waiting}</p>
        <p class="mt-2 max-w-prose text-sm text-slate-700">
            "Quand une place se libère, elle est proposée à la première personne de la liste : celle qui l'a inscrite reçoit un e-mail et dispose de 48 heures pour l'accepter en un clic ; la place rejoint alors son panier comme une inscription. Passé ce délai, la place est proposée à la personne suivante."
        </p>
        {p.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
        {form}
        {(!p.entries.is_empty()).then(|| view! {
            <h2 class="mt-6 text-lg font-semibold">"Vos demandes pour cette session"</h2>
            <WaitlistTable lines=p.entries.clone() claim withdraw with_session=false />
        })}
    }
    .into_any()
}

#[component]
fn JoinForm(p: WaitlistPage, join: ServerAction<JoinWaitlist>) -> impl IntoView {
    let echo = p.echo.clone();
    let values = echo.values.clone();
    let errors = echo.errors.clone();
    let value = move |k: &str| values.get(k).cloned().unwrap_or_default();
    let error = move |k: &str| errors.get(k).cloned();
    let options: Vec<(String, String)> = p.companies.iter().map(|c| (c.id.to_string(), format!("{} ({})", c.name, c.city))).collect();
    let me = p.me.clone().map(|(email, first, last)| format!("Pour vous inscrire vous-même : {email} ({first} {last})."));
    view! {
        <section class="mt-6 max-w-xl rounded-lg border border-slate-200 bg-white p-5" aria-labelledby="titre-inscription-attente">
            <h2 id="titre-inscription-attente" class="text-lg font-semibold">"Inscrire un participant sur liste d'attente"</h2>
            {echo.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
            {error("form").map(|m| view! { <Notice kind="warning">{m}</Notice> })}
            <ActionForm action=join attr:class="mt-3">
                <input type="hidden" name="session_id" value=p.session_id.to_string() />
                <SelectField label="Structure pour laquelle vous inscrivez" name="company_id" options value=value("company_id") required=true />
                <Field label="Adresse e-mail du participant" name="email" kind="email" value=value("email") error=error("email") required=true autocomplete="off" hint=me.unwrap_or_default() />
                <Field label="Prénom" name="first_name" value=value("first_name") error=error("first_name") required=true autocomplete="off" />
                <Field label="Nom" name="last_name" value=value("last_name") error=error("last_name") required=true autocomplete="off" />
                <button type="submit" class=BUTTON>"M'inscrire sur liste d'attente"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// Entries with what can be done on each: take the offered seat, withdraw.
#[component]
fn WaitlistTable(lines: Vec<WaitlistLine>, claim: ServerAction<ClaimOffer>, withdraw: ServerAction<WithdrawEntry>, with_session: bool) -> impl IntoView {
    let mut headers = Vec::new();
    if with_session {
        headers.push("Formation");
    }
    headers.extend(["Participant", "Structure", "Situation", "Actions"]);
    view! {
        <DataTable headers testid="liste-attente">
            {lines.into_iter().map(|l| {
                let offered = l.status == WaitlistStatus::Offered;
                let badge = if offered {
                    "rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-900"
                } else {
                    "rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900"
                };
                let claim_label = format!("Accepter la place pour {}", l.participant_name);
                let withdraw_label = format!("Retirer de la liste d'attente : {}", l.participant_name);
                let company = l.company_id.to_string();
                let entry = l.id.to_string();
                let (company2, entry2) = (company.clone(), entry.clone());
                view! {
                    <tr class="border-t border-slate-200">
                        {with_session.then(|| view! {
                            <td class="px-3 py-2">
                                <a class="text-blue-900 underline" href=format!("/liste-d-attente/{}", l.session_id)>{l.training_title.clone()}</a>
                                <br /><span class="text-slate-600">{format!("{}, {}", l.period, l.city)}</span>
                            </td>
                        })}
                        <td class="px-3 py-2">{l.participant_name.clone()} <br /> <span class="text-slate-600">{l.participant_email.clone()}</span></td>
                        <td class="px-3 py-2">{l.company_name.clone()}</td>
                        <td class="px-3 py-2">
                            <span class=badge>
                                {l.standing()}
                            </span>
                        </td>
                        <td class="px-3 py-2">
                            {l.may_act.then(move || view! {
                                <div class="flex flex-wrap gap-3">
                                    {offered.then(move || view! {
                                        <ActionForm action=claim>
                                            <input type="hidden" name="company_id" value=company />
                                            <input type="hidden" name="entry_id" value=entry />
                                            <button type="submit" aria-label=claim_label class="rounded-md bg-blue-900 px-3 py-1.5 font-semibold text-white hover:bg-blue-800">"Accepter la place"</button>
                                        </ActionForm>
                                    })}
                                    <ActionForm action=withdraw>
                                        <input type="hidden" name="company_id" value=company2 />
                                        <input type="hidden" name="entry_id" value=entry2 />
                                        <button type="submit" aria-label=withdraw_label class="text-red-800 underline">"Retirer de la liste"</button>
                                    </ActionForm>
                                </div>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

/// Mes espaces: the caller's entries on waiting lists, and the seats offered to them.
#[component]
pub fn MyWaitingList() -> impl IntoView {
    let claim = ServerAction::<ClaimOffer>::new();
    let withdraw = ServerAction::<WithdrawEntry>::new();
    let mine = Resource::new(move || (claim.version().get(), withdraw.version().get()), |_| get_my_waitlist());
    view! {
        {move || claim.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        {move || withdraw.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                mine.await.ok().filter(|m| !m.lines.is_empty() || m.notice.is_some()).map(|m| {
                    let offers = m.lines.iter().filter(|l| l.status == WaitlistStatus::Offered && l.may_act).count();
                    view! {
                        <section class="mt-8" aria-labelledby="listes-attente">
                            <h2 id="listes-attente" class="text-xl font-semibold">"Mes listes d'attente"</h2>
                            {m.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
                            {(offers > 0).then(|| view! {
                                <Notice kind="warning">
                                    {if offers == 1 { "Une place vous est proposée : acceptez-la avant son échéance.".to_string() } else { format!("{offers} places vous sont proposées : acceptez-les avant leur échéance.") }}
                                </Notice>
                            })}
                            {(!m.lines.is_empty()).then(|| view! { <WaitlistTable lines=m.lines.clone() claim withdraw with_session=true /> })}
                        </section>
                    }
                })
            })}
        </Transition>
    }
}

/// The provider's session page: its waiting list, in order.
#[component]
pub fn ProviderWaitingList(session_id: i64) -> impl IntoView {
    let list = Resource::new(move || session_id, get_provider_waitlist);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                list.await.ok().map(|lines| view! {
                    <h2 class="mt-6 text-lg font-semibold">"Liste d'attente"</h2>
                    {if lines.is_empty() {
                        view! { <p class="mt-2">"Personne n'est sur liste d'attente."</p> }.into_any()
                    } else {
                        view! {
                            <DataTable headers=vec!["Ordre", "Participant", "Structure", "Demandée le", "Situation"] testid="liste-attente-session">
                                {lines.into_iter().map(|l| view! {
                                    <tr class="border-t border-slate-200">
                                        <td class="px-3 py-2">{l.position}</td>
                                        <td class="px-3 py-2">{l.participant_name.clone()} <br /> <span class="text-slate-600">{l.participant_email.clone()}</span></td>
                                        <td class="px-3 py-2">{l.company_name.clone()}</td>
                                        <td class="px-3 py-2">{paris_datetime(l.requested_at)}</td>
                                        <td class="px-3 py-2">
                                            {match l.offer_expires_at {
                                                Some(until) => format!("Place proposée jusqu'au {}", paris_datetime(until)),
                                                None => l.status.label().to_string(),
                                            }}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </DataTable>
                        }.into_any()
                    }}
                })
            })}
        </Transition>
    }
}
