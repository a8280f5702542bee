//! "Mes espaces": the participant space and each company space of the user.

use crate::api::spaces::{get_my_spaces, CompanySpace, RegistrationLine};
use crate::components::DataTable;
use crate::domain::attendance::hours_fr;
use crate::domain::registration::{minutes_per_year, RegistrationStatus};
use crate::error::AppError;
use crate::pages::ErrorBox;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn SpacesPage() -> impl IntoView {
    let spaces = Resource::new(|| (), |_| get_my_spaces());
    view! {
        <PageHead title="Mes espaces — Espace Entreprise" description="Vos espaces : vos formations à venir et passées, vos questionnaires de satisfaction à remplir, et les espaces entreprise ou organisme qui vous sont ouverts." />
        <h1 class="text-2xl font-semibold">"Mes espaces"</h1>
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match spaces.await {
                    Ok(s) => view! {
                        <section class="mt-6" aria-labelledby="espace-participant">
                            <h2 id="espace-participant" class="text-xl font-semibold">"Mon espace participant"</h2>
                            <p class="text-sm text-slate-700">{s.display_name.clone()}</p>
                            <HoursPerYear lines=s.own_trainings.clone() />
                            <crate::pages::obligations::ObligationsSummary />
                            <crate::pages::knowledge::MyTests />
                            {(!s.surveys_to_fill.is_empty()).then(|| {
                                let titles: Vec<(i64, String)> = s
                                    .surveys_to_fill
                                    .iter()
                                    .filter_map(|id| s.own_trainings.iter().find(|l| l.id == *id).map(|l| (*id, format!("{} ({})", l.training_title, l.period()))))
                                    .collect();
                                view! {
                                    <div class="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" role="status">
                                        <p class="font-medium">"Questionnaires de satisfaction à remplir"</p>
                                        <ul class="list-disc pl-5">
                                            {titles.into_iter().map(|(id, t)| view! {
                                                <li><a class="inline-block py-0.5 text-blue-900 underline" href=format!("/questionnaire/{id}")>{t}</a></li>
                                            }).collect_view()}
                                        </ul>
                                    </div>
                                }
                            })}
                            <h3 class="mt-3 font-semibold">"Mes prochaines formations"</h3>
                            <RegistrationTable
                                lines=s.own_trainings.iter().filter(|l| l.upcoming).cloned().collect()
                                show_participant=false
                                empty="Aucune formation à venir."
                            />
                            <h3 class="mt-3 font-semibold">"Mes formations passées"</h3>
                            <RegistrationTable
                                lines=s.own_trainings.iter().filter(|l| !l.upcoming).cloned().collect()
                                show_participant=false
                                empty="Aucune formation passée."
                            />
                        </section>
                        <crate::pages::waitlist::MyWaitingList />
                        {s.companies.into_iter().map(|c| view! { <CompanySection c /> }).collect_view()}
                        {s.provider.clone().map(|name| view! {
                            <section class="mt-8" aria-labelledby="espace-organisme">
                                <h2 id="espace-organisme" class="text-xl font-semibold">"Espace organisme de formation — " {name}</h2>
                                <a class="font-medium text-blue-900 underline" href="/organisme">"Ouvrir l'espace organisme"</a>
                            </section>
                        })}
                    }
                    .into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path="/connexion?next=/espaces" /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Hours of training per year: done, and planned (pending or confirmed).
#[component]
fn HoursPerYear(lines: Vec<RegistrationLine>) -> impl IntoView {
    let years = minutes_per_year(&lines);
    (!years.is_empty()).then(|| {
        view! {
            <table class="mt-2 text-left text-sm" data-testid="heures">
                <caption class="text-left font-semibold">"Mes heures de formation"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="pr-4">"Année"</th>
                        <th scope="col" class="pr-4">"Réalisées"</th>
                        <th scope="col">"Prévues"</th>
                    </tr>
                </thead>
                <tbody>
                    {years.into_iter().map(|(year, done, planned)| view! {
                        <tr>
                            <td class="pr-4">{year}</td>
                            <td class="pr-4">{hours_fr(done)}</td>
                            <td>{hours_fr(planned)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    })
}

#[component]
fn CompanySection(c: CompanySpace) -> impl IntoView {
    let roles = c.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
    let heading_id = format!("entreprise-{}", c.id);
    let labelled_by = heading_id.clone();
    view! {
        <section class="mt-8" aria-labelledby=labelled_by>
            <h2 id=heading_id class="text-xl font-semibold">"Mon espace Entreprise — " {c.name.clone()}</h2>
            <p class="text-sm text-slate-700">
                {match c.delegation.clone() {
                    Some(d) => d,
                    None => format!("Mes rôles : {roles}"),
                }}
                " · "
                <a class="font-medium text-blue-900 underline" href=c.link.clone()>"Ouvrir l'espace entreprise"</a>
            </p>
            <h3 class="mt-3 font-semibold">"Inscriptions de la structure"</h3>
            <RegistrationTable lines=c.registrations show_participant=true empty="Aucune inscription pour cette structure." />
        </section>
    }
    .into_any()
}

#[component]
fn RegistrationTable(lines: Vec<RegistrationLine>, show_participant: bool, empty: &'static str) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="mt-2 text-slate-700">{empty}</p> }.into_any();
    }
    let mut headers = vec!["Formation"];
    if show_participant {
        headers.push("Participant");
    }
    headers.extend(["Dates", "Lieu", "Statut"]);
    view! {
        <DataTable headers>
                    {lines
                        .into_iter()
                        .map(|l| {
                            let badge = match l.status {
                                RegistrationStatus::Confirmed => "bg-green-100 text-green-900",
                                RegistrationStatus::Cancelled => "bg-slate-200 text-slate-800",
                                RegistrationStatus::Done => "bg-blue-100 text-blue-900",
                                _ => "bg-amber-100 text-amber-900",
                            };
                            view! {
                                <tr class="border-t border-slate-200">
                                    <td class="px-3 py-2">
                                        <a class="text-blue-900 underline" href=format!("/formations/{}", l.training_id)>{l.training_title.clone()}</a>
                                    </td>
                                    {show_participant.then(|| view! { <td class="px-3 py-2">{l.participant_name.clone()}</td> })}
                                    <td class="px-3 py-2">{l.period()} <br /> <span class="text-slate-600">{l.schedule.clone()}</span></td>
                                    <td class="px-3 py-2">{l.city.clone()} <br /> <Place line=l.clone() /></td>
                                    <td class="px-3 py-2">
                                        <span class=format!("rounded-full px-2 py-0.5 text-xs font-medium {badge}")>{l.status.label()}</span>
                                        {(!show_participant && l.status.is_done()).then(|| view! {
                                            <br />
                                            <a class="text-blue-900 underline" href=format!("/documents/certificat/{}", l.id) download="">"Certificat de réalisation"</a>
                                        })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
        </DataTable>
    }
    .into_any()
}

/// Where a session takes place: its address, or the virtual-class link once confirmed.
#[component]
pub fn Place(line: RegistrationLine) -> impl IntoView {
    match line.link {
        Some(link) => view! {
            <a class="text-blue-900 underline" href=link.clone() rel="noopener" target="_blank">"Rejoindre la classe virtuelle"</a>
        }
        .into_any(),
        None => view! { <span class="text-slate-600">{line.place}</span> }.into_any(),
    }
}
