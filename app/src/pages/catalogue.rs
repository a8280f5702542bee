//! The public catalogue: search, then a training's page with its sessions.

use crate::api::catalogue::{get_training, search_catalogue};
use crate::api::wizard::StartRegistration;
use crate::components::form::INPUT_CLASS;
use crate::components::pagination::{query_pairs, Pagination};
use crate::domain::catalogue::{month_label, Audience, CatalogueQuery, Modality, SessionView, TrainingSummary};
use crate::domain::date::period_fr;
use crate::domain::page::{count_fr, PageRequest};
use crate::pages::ErrorBox;
use crate::pages::head::{fit_description, PageHead};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query = use_query_map();
    let criteria = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        CatalogueQuery { q: get("q"), audience: get("public"), modality: get("modalite"), city: get("ville"), month: get("mois") }
    };
    // The page, from the URL (`?page=`), as every filter: a link to it works alike
    // with or without JavaScript.
    let page = move || PageRequest::from_query(query.read().get_str("page"));
    let results = Resource::new(move || (criteria(), page()), |(c, p)| search_catalogue(c, p));
    view! {
        <PageHead title="Catalogue des formations — Espace Entreprise" description="Recherchez une formation pour commissaires aux comptes et experts-comptables par mots-clés, public, modalité, ville ou mois, puis inscrivez vos collaborateurs." />
        <h1 class="text-2xl font-semibold text-slate-900">"Rechercher une formation"</h1>
        <p class="mt-1 text-slate-700">
            "Formations des commissaires aux comptes et des experts-comptables : choisissez une formation, "
            "vérifiez son programme, puis la date et le lieu, et cliquez sur INSCRIPTION."
        </p>
        <Suspense fallback=|| view! { <p class="mt-6">"Chargement du catalogue…"</p> }>
            {move || Suspend::new(async move {
                let c = criteria();
                let kept = query_pairs(&query.read());
                match results.await {
                    Ok(found) => {
                        let info = found.trainings.info();
                        view! {
                            <SearchForm criteria=c cities=found.facets.cities months=found.facets.months />
                            <p class="mt-4 text-sm text-slate-700" role="status" data-testid="nombre-resultats">
                                {match info.total {
                                    0 => "Aucune formation ne correspond à ces critères.".to_string(),
                                    n => count_fr(n, "formation", "formations"),
                                }}
                            </p>
                            <ul class="mt-3 grid gap-4 md:grid-cols-2">
                                {found.trainings.items.into_iter().map(|t| view! { <TrainingCard t /> }).collect_view()}
                            </ul>
                            <Pagination info query=kept />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchForm(criteria: CatalogueQuery, cities: Vec<String>, months: Vec<String>) -> impl IntoView {
    let opt = |value: String, label: String, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <Form action="/catalogue" attr:class="mt-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-6" attr:role="search">
            <div class="md:col-span-2">
                <label for="q" class="block text-sm font-medium">"Mots-clés"</label>
                <input id="q" name="q" type="search" value=criteria.q.clone() class=INPUT_CLASS placeholder="ex. NEP, loi de finances" />
            </div>
            <div>
                <label for="public" class="block text-sm font-medium">"Public"</label>
                <select id="public" name="public" class=INPUT_CLASS>
                    <option value="">"Tous"</option>
                    {[Audience::Cac, Audience::Ec]
                        .into_iter()
                        .map(|a| opt(a.code().into(), a.code().into(), &criteria.audience))
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for="modalite" class="block text-sm font-medium">"Modalité"</label>
                <select id="modalite" name="modalite" class=INPUT_CLASS>
                    <option value="">"Toutes"</option>
                    {Modality::ALL
                        .into_iter()
                        .map(|m| opt(m.code().into(), m.label().into(), &criteria.modality))
                        .collect_view()}
                </select>
            </div>
            <div>
                <label for="ville" class="block text-sm font-medium">"Ville"</label>
                <select id="ville" name="ville" class=INPUT_CLASS>
                    <option value="">"Toutes"</option>
                    {cities.into_iter().map(|c| opt(c.clone(), c, &criteria.city)).collect_view()}
                </select>
            </div>
            <div>
                <label for="mois" class="block text-sm font-medium">"Mois"</label>
                <select id="mois" name="mois" class=INPUT_CLASS>
                    <option value="">"Tous"</option>
                    {months.into_iter().map(|m| opt(m.clone(), month_label(&m), &criteria.month)).collect_view()}
                </select>
            </div>
            <div class="md:col-span-6">
                <button type="submit" class="rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2">
                    "Rechercher"
                </button>
            </div>
        </Form>
    }
    .into_any()
}

#[component]
fn TrainingCard(t: TrainingSummary) -> impl IntoView {
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <p class="text-xs font-medium uppercase tracking-wide text-slate-600">
                {t.audience.code()} " · " {t.modality.label()} " · " {t.duration_hours} " h · " {t.code.clone()}
            </p>
            <h2 class="mt-1 text-lg font-semibold">
                <a href=format!("/formations/{}", t.id) class="text-blue-900 hover:underline">{t.title.clone()}</a>
            </h2>
            <p class="mt-1 text-sm text-slate-700">{t.summary.clone()}</p>
            <p class="mt-2 text-sm text-slate-700">
                {t.provider.clone()} " · " <strong>{t.price.format_eur()} " HT"</strong>
            </p>
            <p class="mt-1 text-sm text-slate-600">
                {match t.next_session {
                    Some(d) => format!("Prochaine session : {} ({} session(s))", d.long_fr(), t.open_sessions),
                    None => "Aucune session programmée".to_string(),
                }}
            </p>
        </li>
    }
    .into_any()
}

/// A training page's description when its summary is too short to be one.
const TRAINING_DESCRIPTION: &str = "Fiche d'une formation du catalogue : objectifs, programme, durée, prix, dates et lieux des sessions, et inscription de vos collaborateurs.";

/// A training's page: its description is its summary (the provider's own sentence).
#[component]
pub fn TrainingPage() -> impl IntoView {
    let id = crate::pages::id_param("id");
    let training = Resource::new(id, get_training);
    let start = ServerAction::<StartRegistration>::new();
    view! {
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match training.await {
                    Ok(t) => {
                        let s = t.summary.clone();
                        view! {
                            <PageHead title=format!("{} — Espace Entreprise", s.title) description=fit_description(&s.summary, TRAINING_DESCRIPTION) />
                            <nav aria-label="Fil d'Ariane" class="text-sm">
                                <a href="/catalogue" class="text-blue-900 underline">"Catalogue"</a>
                                " › " {s.code.clone()}
                            </nav>
                            <h1 class="mt-2 text-2xl font-semibold">{s.title.clone()}</h1>
                            <p class="mt-1 text-slate-700">{s.summary.clone()}</p>
                            <dl class="mt-4 grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm md:grid-cols-5">
                                <div><dt class="text-slate-600">"Public"</dt><dd class="font-medium">{s.audience.label()}</dd></div>
                                <div><dt class="text-slate-600">"Modalité"</dt><dd class="font-medium">{s.modality.label()}</dd></div>
                                <div><dt class="text-slate-600">"Durée"</dt><dd class="font-medium">{s.duration_hours} " heures"</dd></div>
                                <div><dt class="text-slate-600">"Prix"</dt><dd class="font-medium">{s.price.format_eur()} " HT"</dd></div>
                                <div><dt class="text-slate-600">"Organisme"</dt><dd class="font-medium">{s.provider.clone()}</dd></div>
                            </dl>
                            <div class="mt-6 grid gap-6 md:grid-cols-2">
                                <section>
                                    <h2 class="text-lg font-semibold">"Objectifs"</h2>
                                    <ul class="mt-2 list-disc pl-5 text-slate-800">
                                        {t.objectives.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}
                                    </ul>
                                </section>
                                <section>
                                    <h2 class="text-lg font-semibold">"Programme"</h2>
                                    <ol class="mt-2 list-decimal pl-5 text-slate-800">
                                        {t.programme.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                    </ol>
                                    <p class="mt-2 text-sm text-slate-700">"Prérequis : " {t.prerequisites}</p>
                                </section>
                            </div>
                            <section class="mt-8" aria-labelledby="sessions-titre">
                                <h2 id="sessions-titre" class="text-lg font-semibold">"Choisissez la date et le lieu"</h2>
                                {move || start.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
                                <SessionsTable sessions=t.sessions start />
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => view! {
                        <PageHead title="Formation — Espace Entreprise" description=TRAINING_DESCRIPTION />
                        <ErrorBox error=e />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SessionsTable(sessions: Vec<SessionView>, start: ServerAction<StartRegistration>) -> impl IntoView {
    if sessions.is_empty() {
        return view! { <p class="mt-2">"Aucune session n'est programmée pour le moment."</p> }.into_any();
    }
    view! {
        <div class="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table class="min-w-full text-left text-sm">
                <caption class="sr-only">"Sessions de la formation"</caption>
                <thead class="bg-slate-100 text-slate-800">
                    <tr>
                        <th scope="col" class="px-3 py-2">"Dates"</th>
                        <th scope="col" class="px-3 py-2">"Horaires"</th>
                        <th scope="col" class="px-3 py-2">"Lieu"</th>
                        <th scope="col" class="px-3 py-2">"Places restantes"</th>
                        <th scope="col" class="px-3 py-2"><span class="sr-only">"Action"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {sessions
                        .into_iter()
                        .map(|s| {
                            let full = s.is_full();
                            let seats = match s.seats_left {
                                0 => "Complet".to_string(),
                                1 => "1 place".to_string(),
                                n => format!("{n} places"),
                            };
                            view! {
                                <tr class="border-t border-slate-200" data-testid=format!("session-{}", s.id)>
                                    <td class="px-3 py-2">{period_fr(s.start, s.end)}</td>
                                    <td class="px-3 py-2">{s.schedule.clone()}</td>
                                    <td class="px-3 py-2"><strong>{s.city.clone()}</strong><br />{s.place.clone()}</td>
                                    <td class="px-3 py-2">{seats}</td>
                                    <td class="px-3 py-2 text-right">
                                        {if full {
                                            view! {
                                                <span class="text-slate-600">"Session complète"</span>
                                                <br />
                                                <a
                                                    href=format!("/liste-d-attente/{}", s.id)
                                                    aria-label=format!("M'inscrire sur liste d'attente — session {} à {}", period_fr(s.start, s.end), s.city)
                                                    class="font-medium text-blue-900 underline"
                                                >
                                                    "M'inscrire sur liste d'attente"
                                                </a>
                                            }
                                            .into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=start>
                                                    <input type="hidden" name="session_id" value=s.id.to_string() />
                                                    <button
                                                        type="submit"
                                                        aria-label=format!("INSCRIPTION — session {} à {}", period_fr(s.start, s.end), s.city)
                                                        class="rounded-md bg-blue-900 px-3 py-1.5 font-semibold tracking-wide text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2"
                                                    >
                                                        "INSCRIPTION"
                                                    </button>
                                                </ActionForm>
                                            }
                                            .into_any()
                                        }}
                                    </td>
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
