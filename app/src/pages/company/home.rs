//! The home of a company space: the trainings of its collaborators, with filters, and
//! cancellation before the session for those who may register people.

use super::{company_id, CompanyNav, PageError, Tab};
use crate::api::company::{get_company_home, CancelRegistration};
use crate::components::form::INPUT_CLASS;
use crate::components::pagination::{query_pairs, Pagination};
use crate::domain::page::PageRequest;
use crate::domain::registration::{Period, RegistrationFilter, RegistrationLine, RegistrationStatus};
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CompanyHomePage() -> impl IntoView {
    let id = company_id();
    let query = use_query_map();
    // The filters and the page of the list, from the URL (so a filtered list can be
    // bookmarked, and its links work with or without JavaScript).
    let filter = move || {
        let q = query.read();
        RegistrationFilter {
            participant: q.get("collaborateur").unwrap_or_default(),
            status: q.get("statut").unwrap_or_default(),
            period: q.get("periode").unwrap_or_default(),
        }
    };
    let asked = move || PageRequest::from_query(query.read().get_str("page"));
    let cancel = ServerAction::<CancelRegistration>::new();
    let home = Resource::new(
        move || (id(), filter(), asked(), cancel.version().get()),
        |(id, filter, asked, _)| get_company_home(id, filter, asked),
    );
    view! {
        <PageHead title="Mon espace Entreprise — Espace Entreprise" description="Mon espace Entreprise : l'entité qui commande, les points de repère et les formations de vos collaborateurs, à venir ou réalisées, avec des filtres." />
        {move || cancel.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                let f = filter();
                let kept = query_pairs(&query.read());
                match home.await {
                    Ok(h) => {
                        let roles = h.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
                        let people = h.participants.clone();
                        let info = h.registrations.info();
                        let total = h.registrations_total;
                        // The page holds the upcoming first: each part under its title.
                        let (upcoming, done): (Vec<RegistrationLine>, Vec<RegistrationLine>) =
                            h.registrations.items.iter().cloned().partition(|l| l.upcoming);
                        let shown_count = info.total;
                        let landmarks = h.tabs.landmarks();
                        let id = h.id;
                        view! {
                            <CompanyNav
                                id=h.id
                                name=h.name.clone()
                                current=Tab::Home
                                tabs=h.tabs
                            />
                            <div class="mt-4 grid gap-4 md:grid-cols-3">
                                <section id="entite" class="rounded-lg border border-slate-200 bg-white p-4 md:col-span-1" aria-labelledby="entite-titre">
                                    <h2 id="entite-titre" class="font-semibold">"L'entité qui commande les formations"</h2>
                                    <p class="mt-1">{h.name.clone()}</p>
                                    <p class="mt-1 text-sm text-slate-700">
                                        "Mes rôles : " {if roles.is_empty() { "aucun".to_string() } else { roles }}
                                    </p>
                                    <p class="text-sm text-slate-700">"Inscriptions : " {h.policy.label().to_lowercase()}</p>
                                    {h.delegation.clone().map(|d| view! { <p class="mt-1 text-sm text-slate-700" data-testid="delegation">{d}</p> })}
                                </section>
                                <nav aria-label="Points de repère" class="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2">
                                    <h2 class="font-semibold">"Points de repère"</h2>
                                    <ul class="mt-1 grid gap-x-4 text-sm sm:grid-cols-2" data-testid="points-de-repere">
                                        {landmarks.into_iter().map(|l| view! {
                                            <li><a class="inline-block py-0.5 text-blue-900 underline" href=l.href(id)>{l.word()}</a></li>
                                        }).collect_view()}
                                    </ul>
                                </nav>
                            </div>
                            <h2 class="mt-6 text-lg font-semibold">"Formations des collaborateurs"</h2>
                            <Form action=format!("/entreprise/{}", h.id) attr:class="mt-2 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" attr:aria-label="Filtrer les formations">
                                <div>
                                    <label for="collaborateur" class="block text-sm font-medium">"Collaborateur"</label>
                                    <select id="collaborateur" name="collaborateur" class=INPUT_CLASS>
                                        <option value="">"Tous"</option>
                                        {people.into_iter().map(|(email, name)| {
                                            let selected = email == f.participant;
                                            view! { <option value=email selected=selected>{name}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div>
                                    <label for="statut" class="block text-sm font-medium">"Statut"</label>
                                    <select id="statut" name="statut" class=INPUT_CLASS>
                                        <option value="">"Tous"</option>
                                        {RegistrationStatus::VISIBLE.into_iter().map(|s| {
                                            view! { <option value=s.code() selected=s.code() == f.status>{s.label()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div>
                                    <label for="periode" class="block text-sm font-medium">"Période"</label>
                                    <select id="periode" name="periode" class=INPUT_CLASS>
                                        <option value="">"Toutes"</option>
                                        {Period::ALL.iter().map(|p| {
                                            view! { <option value=p.code() selected=p.code() == f.period>{p.label()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800">"Filtrer"</button>
                            </Form>
                            <p class="mt-2 text-sm text-slate-700" role="status">{format!("{shown_count} inscription(s) sur {total}")}</p>
                            {if shown_count == 0 {
                                view! { <p class="mt-2">"Aucune inscription ne correspond. Inscrivez des collaborateurs depuis le "<a class="text-blue-900 underline" href="/catalogue">"catalogue"</a>"."</p> }.into_any()
                            } else {
                                view! {
                                    {(!upcoming.is_empty()).then(|| view! {
                                        <h3 id="a-venir" class="mt-4 font-semibold">"Prochaines formations « en attente » ou « confirmée »"</h3>
                                        <Registrations testid="formations-a-venir" lines=upcoming company=h.id may_cancel=h.may_register cancel />
                                    })}
                                    {(!done.is_empty()).then(|| view! {
                                        <h3 id="realisees" class="mt-4 font-semibold">"Liste et détail des formations réalisées"</h3>
                                        <Registrations testid="formations-realisees" lines=done company=h.id may_cancel=h.may_register cancel />
                                    })}
                                    <Pagination info query=kept />
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

#[component]
fn Registrations(testid: &'static str, lines: Vec<RegistrationLine>, company: i64, may_cancel: bool, cancel: ServerAction<CancelRegistration>) -> impl IntoView {
    view! {
        <div class="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table class="min-w-full text-left text-sm" data-testid=testid>
                <thead class="bg-slate-100">
                    <tr>
                        <th scope="col" class="px-3 py-2">"Participant"</th>
                        <th scope="col" class="px-3 py-2">"Formation"</th>
                        <th scope="col" class="px-3 py-2">"Dates et horaires"</th>
                        <th scope="col" class="px-3 py-2">"Lieu"</th>
                        <th scope="col" class="px-3 py-2">"Durée"</th>
                        <th scope="col" class="px-3 py-2">"Statut"</th>
                        {may_cancel.then(|| view! { <th scope="col" class="px-3 py-2"><span class="sr-only">"Action"</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {lines
                        .into_iter()
                        .map(|l| {
                            let cancellable = may_cancel && l.cancellable();
                            let label = format!("Annuler l'inscription de {} à « {} »", l.participant_name, l.training_title);
                            view! {
                                <tr class="border-t border-slate-200">
                                    <td class="px-3 py-2"><a class="text-blue-900 underline" href=crate::pages::company::substitution::path(company, l.id) title="Détail et historique de l'inscription">{l.participant_name.clone()}</a></td>
                                    <td class="px-3 py-2"><a class="text-blue-900 underline" href=format!("/formations/{}", l.training_id)>{l.training_title.clone()}</a></td>
                                    <td class="px-3 py-2">{l.period()}<br /><span class="text-slate-600">{l.schedule.clone()}</span></td>
                                    <td class="px-3 py-2">{l.city.clone()}<br /><crate::pages::spaces::Place line=l.clone() /></td>
                                    <td class="px-3 py-2">{crate::domain::attendance::hours_fr(l.minutes)}</td>
                                    <td class="px-3 py-2">{l.status.label()}</td>
                                    {may_cancel.then(|| view! {
                                        <td class="px-3 py-2">
                                            {cancellable.then(|| view! {
                                                <ActionForm action=cancel>
                                                    <input type="hidden" name="company_id" value=company.to_string() />
                                                    <input type="hidden" name="registration_id" value=l.id.to_string() />
                                                    <button type="submit" class="text-red-800 underline" aria-label=label>"Annuler"</button>
                                                </ActionForm>
                                            })}
                                            {(l.substitutable()).then(|| view! {
                                                <a class="text-blue-900 underline" href=crate::pages::company::substitution::substitution_path(company, l.id) aria-label=format!("Remplacer le participant {} à « {} »", l.participant_name, l.training_title)>"Remplacer le participant"</a>
                                            })}
                                        </td>
                                    })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
