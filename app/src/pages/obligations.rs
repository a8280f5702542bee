//! "Mes obligations de formation": for each regulated profession of the person, where
//! he stands this year and over the period (sentence, chart, tables), his activities,
//! the form that adds one done elsewhere with its proof, and his declaration. Also the
//! one-line summary of "Mes espaces" and the professions' form of "Mon compte".

use crate::api::obligations::{
    get_obligations, get_obligations_summary, get_professions, DeleteActivity, ObligationsView, RuleView, SetProfessions, PAGE, UPLOAD,
};
use crate::components::{Checkbox, DataTable, ErrorSummary, Field, Notice, SelectField};
use crate::domain::attendance::hours_fr;
use crate::domain::obligation::{ActivityKind, Source, Standing};
use crate::error::AppError;
use crate::pages::head::PageHead;
use crate::pages::ErrorBox;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";
const SECTION: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-5";
const LINK: &str = "text-blue-900 underline";

#[component]
pub fn ObligationsPage() -> impl IntoView {
    let query = use_query_map();
    let year = move || query.read().get("annee").and_then(|y| y.trim().parse::<i32>().ok());
    let delete = ServerAction::<DeleteActivity>::new();
    let page = Resource::new(move || (year(), delete.version().get()), |(y, _)| get_obligations(y));
    view! {
        <PageHead title="Mes obligations de formation — Espace Entreprise" description="Suivez vos heures de formation continue (CAC, expert-comptable) : minimum annuel, période de trois ans, plafonds, justificatifs et déclaration." />
        <h1 class="text-2xl font-semibold">"Mes obligations de formation"</h1>
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(v) => view! { <Obligations v delete /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path=crate::api::login_path(PAGE) /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Obligations(v: ObligationsView, delete: ServerAction<DeleteActivity>) -> impl IntoView {
    let year = v.year;
    view! {
        {v.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
        <p class="mt-2 text-sm text-slate-700">
            "Les heures suivies sur le portail comptent d'elles-mêmes (présence relevée par l'organisme) ; ajoutez celles faites ailleurs. "
            "La période est celle des trois années civiles qui s'achèvent avec l'année affichée."
        </p>
        <form method="get" action=PAGE class="mt-3 flex items-end gap-2">
            <SelectField label="Année" name="annee" options=v.years.iter().map(|y| (y.to_string(), y.to_string())).collect() value=year.to_string() />
            <button type="submit" class="mb-4 rounded-md border border-slate-300 px-3 py-2 hover:bg-slate-100">"Afficher"</button>
        </form>
        {if v.rules.is_empty() {
            view! {
                <Notice kind="info">
                    "Aucune profession réglementée n'est déclarée sur votre compte. "
                    <a class=LINK href="/mon-compte#professions">"Déclarez-la dans Mon compte"</a>
                    " pour suivre vos obligations."
                </Notice>
            }
            .into_any()
        } else {
            v.rules.iter().cloned().map(|r| view! { <RuleSection r /> }).collect_view().into_any()
        }}
        <section class=SECTION aria-labelledby="titre-declaration">
            <h2 id="titre-declaration" class="mb-2 text-lg font-semibold">{format!("Ma déclaration {year}")}</h2>
            <p class="mb-2 text-sm text-slate-700">"Chaque activité avec sa nature, sa durée, son organisateur et sa date, et les totaux retenus après plafonds."</p>
            <ul class="flex flex-wrap gap-4" data-testid="declaration">
                <li><a class=LINK href=format!("/mes-obligations/declaration/{year}/pdf") download="">"Déclaration (PDF)"</a></li>
                <li><a class=LINK href=format!("/mes-obligations/declaration/{year}/csv") download="">"Déclaration (CSV)"</a></li>
                <li><a class=LINK href=format!("/mes-obligations/declaration/{year}/zip") download="">"Déclaration et justificatifs (ZIP)"</a></li>
            </ul>
        </section>
        <Activities v=v.clone() delete />
        <AddActivity v />
        <crate::pages::obligation_sharing::SharingPanel />
    }
}

/// One profession: the sentence, the chart and the figures.
#[component]
fn RuleSection(r: RuleView) -> impl IntoView {
    let s = r.standing.clone();
    let heading = format!("titre-{}", r.profession);
    let labelled = heading.clone();
    let capped: Vec<_> = s.kinds.iter().filter(|k| k.cap.is_some() || k.done > 0).cloned().collect();
    view! {
        <section class=SECTION aria-labelledby=labelled data-testid=format!("obligation-{}", r.profession)>
            <h2 id=heading class="text-lg font-semibold">{format!("{} — {}", r.label, s.year)}</h2>
            <p class="mt-1 font-medium" data-testid="phrase">{r.sentence.clone()}</p>
            <Chart r=r.clone() />
            <DataTable headers=vec!["Année", "Réalisées", "Retenues après plafonds", "Minimum annuel"]>
                {s.years.iter().map(|y| view! {
                    <tr class="border-t border-slate-200">
                        <th scope="row" class="px-3 py-2 font-normal">{y.year}</th>
                        <td class="px-3 py-2">{hours_fr(y.done)}</td>
                        <td class="px-3 py-2">{hours_fr(y.counted)}</td>
                        <td class="px-3 py-2">{if y.counted >= r.year_minutes { "atteint".to_string() } else { format!("manque {}", hours_fr(r.year_minutes - y.counted)) }}</td>
                    </tr>
                }).collect_view()}
                <tr class="border-t border-slate-300 font-semibold">
                    <th scope="row" class="px-3 py-2">{format!("Période {}-{}", s.first_year, s.year)}</th>
                    <td class="px-3 py-2">{hours_fr(s.years.iter().map(|y| y.done).sum())}</td>
                    <td class="px-3 py-2">{hours_fr(s.period_counted)}</td>
                    <td class="px-3 py-2">{format!("obligation {}", hours_fr(r.period_minutes))}</td>
                </tr>
            </DataTable>
            <DataTable headers=vec!["Nature", "Réalisées sur la période", "Plafond sur la période", "Retenues", "Reste à retenir"]>
                {capped.into_iter().map(|k| view! {
                    <tr class="border-t border-slate-200">
                        <th scope="row" class="px-3 py-2 font-normal">{k.kind.label()}</th>
                        <td class="px-3 py-2">{hours_fr(k.done)}</td>
                        <td class="px-3 py-2">{k.cap.map(hours_fr).unwrap_or_else(|| "aucun".into())}</td>
                        <td class="px-3 py-2">{hours_fr(k.counted)}</td>
                        <td class="px-3 py-2">{k.left.map(hours_fr).unwrap_or_else(|| "sans limite".into())}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
            <p class="mt-2 text-sm text-slate-700">
                {format!(
                    "Déclaration à adresser à {} avant le {}, avec les justificatifs, à conserver {} ans.",
                    r.authority, r.declaration_due, r.retention_years
                )}
            </p>
        </section>
    }
}

/// The hours counted each year of the period against the annual minimum, as bars (SVG
/// attributes only: the page's policy allows no inline style), with the same figures
/// in words for assistive technologies.
#[component]
fn Chart(r: RuleView) -> impl IntoView {
    let s: Standing = r.standing;
    let words = format!(
        "{} Minimum annuel {} ; période {}-{} : {} retenues sur {}.",
        s.years.iter().map(|y| format!("{} : {} retenues.", y.year, hours_fr(y.counted))).collect::<Vec<_>>().join(" "),
        hours_fr(r.year_minutes),
        s.first_year,
        s.year,
        hours_fr(s.period_counted),
        hours_fr(r.period_minutes)
    );
    let id = format!("graphique-{}", r.profession);
    let (figure_label, svg_label) = (id.clone(), id.clone());
    let top = s.years.iter().map(|y| y.counted).max().unwrap_or(0).max(r.year_minutes * 2).max(1);
    let (height, base, bar) = (100i64, 90i64, 40i64);
    let scale = move |m: i64| m.min(top) * (base - 10) / top;
    let min_y = base - scale(r.year_minutes);
    let width = 60 * s.years.len() as i64 + 20;
    let period_width = (s.period_counted.min(r.period_minutes) * 200 / r.period_minutes.max(1)).max(0);
    view! {
        <figure class="mt-3" aria-labelledby=figure_label>
            <svg viewBox=format!("0 0 {width} {height}") class="h-28 w-auto" role="img" aria-labelledby=svg_label>
                {s.years.iter().enumerate().map(|(i, y)| {
                    let x = 20 + 60 * i as i64;
                    let h = scale(y.counted);
                    let fill = if y.counted >= r.year_minutes { "#1e3a8a" } else { "#b45309" };
                    view! {
                        <rect x=x y={base - h} width=bar height=h fill=fill></rect>
                        <text x={x + bar / 2} y={height - 1} text-anchor="middle" font-size="9" fill="#334155">{y.year}</text>
                    }
                }).collect_view()}
                <line x1="10" x2=width y1=min_y y2=min_y stroke="#b91c1c" stroke-dasharray="3 2"></line>
            </svg>
            <svg viewBox="0 0 200 8" class="mt-1 h-3 w-64" aria-hidden="true">
                <rect width="200" height="8" fill="#e2e8f0"></rect>
                <rect width=period_width height="8" fill="#1e3a8a"></rect>
            </svg>
            <figcaption id=id class="mt-1 text-sm text-slate-700">{words}</figcaption>
        </figure>
    }
}

#[component]
fn Activities(v: ObligationsView, delete: ServerAction<DeleteActivity>) -> impl IntoView {
    let first = v.rules.iter().map(|r| r.standing.first_year).min().unwrap_or(v.year);
    view! {
        <section class=SECTION aria-labelledby="titre-activites">
            <h2 id="titre-activites" class="text-lg font-semibold">{format!("Mes activités {first}-{}", v.year)}</h2>
            {if v.entries.is_empty() {
                view! { <p class="mt-2 text-slate-700">"Aucune activité sur la période."</p> }.into_any()
            } else {
                view! {
                    <DataTable headers=vec!["Date", "Nature", "Intitulé", "Organisateur", "Durée", "Justificatif", "Action"] testid="activites">
                        {v.entries.into_iter().map(|e| view! {
                            <tr class="border-t border-slate-200">
                                <td class="px-3 py-2">{e.date.short_fr()}</td>
                                <td class="px-3 py-2">{e.kind.label()}</td>
                                <td class="px-3 py-2">{e.title.clone()}</td>
                                <td class="px-3 py-2">{e.organiser.clone()}</td>
                                <td class="px-3 py-2">{hours_fr(e.minutes)}</td>
                                <td class="px-3 py-2">
                                    {match (e.source, e.proof.clone()) {
                                        (Source::Portal, _) => view! { <span class="text-slate-600">"Formation du portail"</span> }.into_any(),
                                        (Source::Outside, Some(name)) => view! {
                                            <a class=LINK href=format!("/mes-obligations/justificatif/{}", e.id) download="">{name}</a>
                                        }.into_any(),
                                        (Source::Outside, None) => view! { <span class="text-amber-800">"Aucun justificatif"</span> }.into_any(),
                                    }}
                                </td>
                                <td class="px-3 py-2">
                                    {(e.source == Source::Outside).then(|| view! {
                                        <ActionForm action=delete>
                                            <input type="hidden" name="id" value=e.id.to_string() />
                                            <button type="submit" class="rounded border border-slate-300 px-2 py-1 text-slate-800 hover:bg-slate-100">
                                                "Supprimer"
                                                <span class="sr-only">{format!(" l'activité {}", e.title)}</span>
                                            </button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                }
                .into_any()
            }}
        </section>
    }
}

/// "Ajouter une activité": a plain multipart form (a file goes with it), posted to the
/// server's upload route with or without JavaScript.
#[component]
fn AddActivity(v: ObligationsView) -> impl IntoView {
    let f = v.form.values.clone();
    let errs = v.form.errors.clone();
    let e = move |k: &str| errs.get(k).cloned();
    let kinds: Vec<(String, String)> = ActivityKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())).collect();
    view! {
        <section id="ajouter" class=SECTION aria-labelledby="titre-ajouter">
            <h2 id="titre-ajouter" class="mb-1 text-lg font-semibold">"Ajouter une activité faite ailleurs"</h2>
            <p class="mb-3 text-sm text-slate-700">
                "Formation, conférence, animation, publication ou travaux techniques. Les conférences, animations, publications et travaux "
                "ne comptent que dans la limite de leur plafond sur la période."
            </p>
            <ErrorSummary errors=v.form.errors.clone() />
            <form method="post" action=UPLOAD enctype="multipart/form-data" data-testid="form-activite">
                <div class="grid gap-x-4 md:grid-cols-2">
                    <SelectField label="Nature" name="kind" options=kinds value=f.kind error=e("kind") required=true placeholder="—" />
                    <Field label="Intitulé" name="title" value=f.title error=e("title") required=true />
                    <Field label="Organisateur" name="organiser" value=f.organiser error=e("organiser") required=true />
                    <Field label="Date" name="date" kind="date" value=f.date error=e("date") required=true />
                    <Field label="Durée (heures)" name="hours" value=f.hours error=e("hours") required=true inputmode="decimal" hint="Par demi-heure : 3 ou 3,5 ou 3 h 30" />
                    <ProofField error=e("proof") />
                </div>
                <button type="submit" class=BUTTON>"Ajouter l'activité"</button>
            </form>
        </section>
    }
}

#[component]
fn ProofField(error: Option<String>) -> impl IntoView {
    let invalid = error.is_some().then_some("true");
    view! {
        <div class="mb-4">
            <label for="proof" class="block text-sm font-medium text-slate-800">"Justificatif (PDF, PNG ou JPEG, 5 Mo au plus)"</label>
            <input
                id="proof"
                name="proof"
                type="file"
                accept="application/pdf,image/png,image/jpeg"
                aria-invalid=invalid
                aria-describedby=error.is_some().then_some("proof-erreur")
                class="mt-1 block w-full text-sm"
            />
            {error.map(|e| view! { <p id="proof-erreur" class="mt-1 text-sm text-red-700" role="alert">{e}</p> })}
        </div>
    }
}

/// "Mes espaces": one line per profession, with a link to the full view.
#[component]
pub fn ObligationsSummary() -> impl IntoView {
    let summary = Resource::new(|| (), |_| get_obligations_summary());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                summary.await.ok().map(|s| {
                    if s.lines.is_empty() {
                        view! {
                            <p class="mt-2 text-sm" data-testid="obligations-resume">
                                <a class=LINK href=PAGE>"Suivre mes obligations de formation (CAC, expert-comptable…)"</a>
                            </p>
                        }
                        .into_any()
                    } else {
                        view! {
                            <p class="mt-2 text-sm" data-testid="obligations-resume">
                                <span class="font-semibold">"Mes obligations de formation : "</span>
                                {s.lines.iter().map(|(label, _, sentence)| format!("{label} — {sentence}")).collect::<Vec<_>>().join(" ")}
                                " "
                                <a class=LINK href=PAGE>"Voir le détail et déclarer"</a>
                            </p>
                        }
                        .into_any()
                    }
                })
            })}
        </Suspense>
    }
}

/// "Mon compte": the regulated professions of the person (several allowed), whose
/// training obligations he follows.
#[component]
pub fn ProfessionsSection() -> impl IntoView {
    let set = ServerAction::<SetProfessions>::new();
    let view_data = Resource::new(move || set.version().get(), |_| get_professions());
    view! {
        <section id="professions" class=SECTION aria-labelledby="titre-professions">
            <h2 id="titre-professions" class="mb-1 text-lg font-semibold">"Mes professions réglementées"</h2>
            <p class="mb-3 text-sm text-slate-700">
                "Cochez chaque profession dont vous suivez l'obligation de formation ; "
                <a class=LINK href=PAGE>"voir mes obligations"</a>
                "."
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    view_data.await.ok().map(|p| view! {
                        {p.notice.clone().map(|n| view! { <Notice kind="success">{n}</Notice> })}
                        <ActionForm action=set attr:data-testid="form-professions">
                            <fieldset>
                                <legend class="sr-only">"Professions réglementées"</legend>
                                {p.options.into_iter().map(|(code, label, declared)| view! {
                                    <Checkbox label=label name=format!("professions[{code}]") checked=declared />
                                }).collect_view()}
                            </fieldset>
                            <button type="submit" class=format!("mt-2 {BUTTON}")>"Enregistrer mes professions"</button>
                        </ActionForm>
                    })
                })}
            </Suspense>
        </section>
    }
}
