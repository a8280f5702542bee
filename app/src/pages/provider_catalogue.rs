//! The provider's catalogue in the back-office: its information (VAT regime, activity
//! number, payment terms), its trainings, new trainings and new sessions.

use crate::api::company::Echo;
use crate::api::provider::{get_provider_catalogue, AddSession, AddStaff, AddTraining, UpdateProviderSettings};
use crate::components::{Checkbox, DataTable, Field, SelectField, TextAreaField};
use crate::domain::catalogue::{Audience, Modality};
use crate::pages::company::{typed, EchoNotice, PageError};
use crate::pages::head::PageHead;
use leptos::prelude::*;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800";
const SECTION: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-5";

#[component]
pub fn ProviderCataloguePage() -> impl IntoView {
    let settings = ServerAction::<UpdateProviderSettings>::new();
    let training = ServerAction::<AddTraining>::new();
    let session = ServerAction::<AddSession>::new();
    let staff = ServerAction::<AddStaff>::new();
    let page = Resource::new(
        move || (settings.version().get(), training.version().get(), session.version().get(), staff.version().get()),
        |_| get_provider_catalogue(),
    );
    view! {
        <PageHead title="Catalogue — Espace organisme de formation" description="Catalogue de l'organisme de formation : ses informations (TVA, déclaration d'activité, délai de paiement), son équipe, ses formations et leurs sessions." />
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let fs = p.form("settings");
                        let ft = p.form("training");
                        let fse = p.form("session");
                        let fst = p.form("staff");
                        let st = p.settings.clone();
                        let trainings: Vec<(String, String)> =
                            p.trainings.iter().map(|t| (t.id.to_string(), format!("{} — {}", t.code, t.title))).collect();
                        view! {
                            <p class="text-sm text-slate-600">
                                <a href="/organisme" class="text-blue-900 underline">{st.name.clone()}</a> " › Catalogue"
                            </p>
                            <h1 class="mt-1 text-2xl font-semibold">"Catalogue et informations de l'organisme"</h1>
                            <section class=SECTION aria-labelledby="titre-organisme">
                                <h2 id="titre-organisme" class="mb-3 text-lg font-semibold">"Informations de l'organisme"</h2>
                                <EchoNotice echo=fs.clone() />
                                <ActionForm action=settings>
                                    <Checkbox label="Exonéré de TVA (article 261-4-4° a du CGI)" name="vat_exempt" checked=st.vat_exempt />
                                    <div class="grid gap-x-4 md:grid-cols-2">
                                        <Field label="Numéro de TVA intracommunautaire" name="vat_number" value=typed(&fs, "vat_number", &st.vat_number) error=err(&fs, "vat_number") />
                                        <Field label="Numéro de déclaration d'activité" name="activity_number" value=typed(&fs, "activity_number", &st.activity_number) error=err(&fs, "activity_number") required=true />
                                        <Field label="Adresse" name="address_line" value=typed(&fs, "address_line", &st.address_line) error=err(&fs, "address_line") required=true />
                                        <div class="grid grid-cols-2 gap-x-4">
                                            <Field label="Code postal" name="postal_code" value=typed(&fs, "postal_code", &st.postal_code) error=err(&fs, "postal_code") required=true />
                                            <Field label="Ville" name="city" value=typed(&fs, "city", &st.city) error=err(&fs, "city") required=true />
                                        </div>
                                        <Field label="Délai de paiement (jours)" name="payment_days" value=typed(&fs, "payment_days", &st.payment_days.to_string()) error=err(&fs, "payment_days") required=true inputmode="numeric" />
                                    </div>
                                    <button type="submit" class=BUTTON>"Enregistrer"</button>
                                </ActionForm>
                            </section>
                            <section class=SECTION aria-labelledby="titre-equipe">
                                <h2 id="titre-equipe" class="mb-2 text-lg font-semibold">"Équipe de l'organisme"</h2>
                                <ul class="text-sm" data-testid="equipe">
                                    {p.staff.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}
                                </ul>
                                <EchoNotice echo=fst.clone() />
                                <ActionForm action=staff attr:class="mt-3 flex flex-wrap items-end gap-3">
                                    <div class="min-w-64">
                                        <Field label="E-mail du compte d'un collègue" name="email" id="equipe-email" kind="email" value=typed(&fst, "email", "") error=err(&fst, "email") required=true />
                                    </div>
                                    <button type="submit" class=format!("mb-4 {BUTTON}")>"Ajouter à l'équipe"</button>
                                </ActionForm>
                            </section>
                            <h2 class="mt-6 text-lg font-semibold">"Formations"</h2>
                            <DataTable headers=vec!["Code", "Intitulé", "Modalité", "Durée", "Prix HT", "Sessions"] testid="catalogue-organisme">
                                        {p.trainings.iter().map(|t| view! {
                                            <tr class="border-t border-slate-200">
                                                <td class="px-3 py-2">{t.code.clone()}</td>
                                                <td class="px-3 py-2">
                                                    <a class="text-blue-900 underline" href=format!("/formations/{}", t.id)>{t.title.clone()}</a>
                                                    <a class="ml-2 text-sm text-blue-900 underline" href=format!("/organisme/formation/{}/tests", t.id)>
                                                        "Tests des acquis" <span class="sr-only">{format!(" de {}", t.title)}</span>
                                                    </a>
                                                </td>
                                                <td class="px-3 py-2">{t.modality.clone()}</td>
                                                <td class="px-3 py-2">{format!("{} h", t.hours)}</td>
                                                <td class="px-3 py-2">{t.price.format_eur()}</td>
                                                <td class="px-3 py-2">{t.sessions}</td>
                                            </tr>
                                        }).collect_view()}
                                    </DataTable>
                            <section class=SECTION aria-labelledby="titre-session">
                                <h2 id="titre-session" class="mb-3 text-lg font-semibold">"Nouvelle session"</h2>
                                <EchoNotice echo=fse.clone() />
                                <ActionForm action=session>
                                    <SelectField label="Formation" name="session[training_id]" options=trainings value=typed(&fse, "training_id", "") error=err(&fse, "training_id") required=true placeholder="Choisissez…" />
                                    <div class="grid gap-x-4 md:grid-cols-2">
                                        <Field label="Premier jour" name="session[start_date]" kind="date" value=typed(&fse, "start_date", "") error=err(&fse, "start_date") required=true />
                                        <Field label="Dernier jour" name="session[end_date]" kind="date" value=typed(&fse, "end_date", "") error=err(&fse, "end_date") required=true />
                                        <Field label="Horaires" name="session[schedule]" value=typed(&fse, "schedule", "9h00-12h30 / 14h00-17h30") error=err(&fse, "schedule") required=true />
                                        <Field label="Nombre de places" name="session[capacity]" value=typed(&fse, "capacity", "") error=err(&fse, "capacity") required=true inputmode="numeric" />
                                        <Field label="Ville" name="session[city]" value=typed(&fse, "city", "") error=err(&fse, "city") required=true hint="« À distance » pour une classe virtuelle ou un e-learning" />
                                        <Field label="Lieu" name="session[place]" value=typed(&fse, "place", "") error=err(&fse, "place") required=true />
                                        <Field label="Lien de la classe virtuelle" name="session[virtual_link]" kind="url" value=typed(&fse, "virtual_link", "") error=err(&fse, "virtual_link") hint="Donné aux participants une fois leur inscription confirmée" />
                                    </div>
                                    <button type="submit" class=BUTTON>"Ajouter la session"</button>
                                </ActionForm>
                            </section>
                            <section class=SECTION aria-labelledby="titre-formation">
                                <h2 id="titre-formation" class="mb-3 text-lg font-semibold">"Nouvelle formation"</h2>
                                <EchoNotice echo=ft.clone() />
                                <ActionForm action=training>
                                    <div class="grid gap-x-4 md:grid-cols-2">
                                        <Field label="Code" name="training[code]" value=typed(&ft, "code", "") error=err(&ft, "code") required=true />
                                        <Field label="Intitulé" name="training[title]" value=typed(&ft, "title", "") error=err(&ft, "title") required=true />
                                        <SelectField label="Public" name="training[audience]" options=vec![(Audience::Cac.code().into(), Audience::Cac.label().into()), (Audience::Ec.code().into(), Audience::Ec.label().into())] value=typed(&ft, "audience", "") error=err(&ft, "audience") required=true placeholder="Choisissez…" />
                                        <SelectField label="Modalité" name="training[modality]" options=Modality::ALL.iter().map(|m| (m.code().to_string(), m.label().to_string())).collect() value=typed(&ft, "modality", "") error=err(&ft, "modality") required=true placeholder="Choisissez…" />
                                        <Field label="Durée (heures)" name="training[hours]" value=typed(&ft, "hours", "") error=err(&ft, "hours") required=true inputmode="numeric" />
                                        <Field label="Prix HT par participant (€)" name="training[price]" value=typed(&ft, "price", "") error=err(&ft, "price") required=true inputmode="decimal" />
                                    </div>
                                    <TextAreaField label="Résumé" name="training[summary]" value=typed(&ft, "summary", "") error=err(&ft, "summary") required=true />
                                    <TextAreaField label="Objectifs" name="training[objectives]" value=typed(&ft, "objectives", "") error=err(&ft, "objectives") required=true hint="Un objectif par ligne" />
                                    <TextAreaField label="Programme" name="training[programme]" value=typed(&ft, "programme", "") error=err(&ft, "programme") required=true hint="Une partie par ligne" />
                                    <TextAreaField label="Prérequis" name="training[prerequisites]" value=typed(&ft, "prerequisites", "") />
                                    <button type="submit" class=BUTTON>"Ajouter la formation"</button>
                                </ActionForm>
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn err(echo: &Echo, field: &str) -> Option<String> {
    echo.errors.get(field).cloned()
}
