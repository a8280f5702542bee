//! A registration of the firm: its training, its participant, its history, and
//! "Remplacer le participant" (before the session, for administrators and training
//! managers). A plain form: it works the same with or without JavaScript.

use super::{company_id, typed, CompanyNav, EchoNotice, PageError, Tab};
use crate::api::substitution::{form_name, get_registration, SubstituteParticipant};
use crate::components::{Field, SelectField};
use crate::pages::head::PageHead;
use leptos::prelude::*;

const BUTTON: &str = "rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";

/// The path of a registration's page, and of its replacement form.
pub fn path(company_id: i64, registration_id: i64) -> String {
    format!("/entreprise/{company_id}/inscriptions/{registration_id}")
}

pub fn substitution_path(company_id: i64, registration_id: i64) -> String {
    format!("{}/remplacer", path(company_id, registration_id))
}

#[component]
pub fn SubstitutionPage() -> impl IntoView {
    let id = company_id();
    let registration = crate::pages::id_param("registration");
    let substitute = ServerAction::<SubstituteParticipant>::new();
    let page = Resource::new(move || (id(), registration(), substitute.version().get()), |(c, r, _)| get_registration(c, r));
    view! {
        <PageHead
            title="Remplacer le participant — Espace Entreprise"
            description="Une inscription de vos collaborateurs : formation, participant, historique, et remplacement du participant par une autre personne avant la session."
        />
        {move || substitute.value().get().and_then(|r| r.err()).map(|e| view! { <crate::pages::ErrorBox error=e /> })}
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let company = id();
                        let v = p.data.clone();
                        let l = v.registration.clone();
                        let f = p.form(&form_name(l.id));
                        let answer = f.clone();
                        let errs = f.errors.clone();
                        let e = move |k: &str| errs.get(k).cloned();
                        let form = if !v.may_manage {
                            None
                        } else if let Some(why) = v.refusal.clone() {
                            Some(view! { <p class="mt-2 text-sm text-slate-700" data-testid="remplacement-impossible">{why}</p> }.into_any())
                        } else {
                            Some(
                                view! {
                                    <p class="mt-1 text-sm text-slate-700">
                                        "La place, la commande et la facture sont conservées. La nouvelle personne reçoit sa convocation "
                                        "(et, sans compte, une invitation à le créer) ; l'organisme de formation est prévenu ; "
                                        "les conventions et le certificat de réalisation la nommeront."
                                    </p>
                                    <ActionForm action=substitute attr:class="mt-3 max-w-xl" attr:aria-label="Remplacer le participant">
                                        <input type="hidden" name="company_id" value=company.to_string() />
                                        <input type="hidden" name="registration_id" value=l.id.to_string() />
                                        <SelectField
                                            label="Une personne de l'annuaire"
                                            name="directory_email"
                                            id="remplacant-annuaire"
                                            options=v.directory.clone()
                                            value=typed(&f, "directory_email", "")
                                            error=e("directory_email")
                                            placeholder="— Choisir —"
                                        />
                                        <fieldset class="mb-4 rounded-md border border-slate-200 p-3">
                                            <legend class="px-1 text-sm font-medium">"Ou une nouvelle personne (ajoutée à l'annuaire)"</legend>
                                            <Field label="Prénom" name="first_name" id="remplacant-prenom" value=typed(&f, "first_name", "") error=e("first_name") autocomplete="off" />
                                            <Field label="Nom" name="last_name" id="remplacant-nom" value=typed(&f, "last_name", "") error=e("last_name") autocomplete="off" />
                                            <Field label="Adresse e-mail" name="email" id="remplacant-email" kind="email" value=typed(&f, "email", "") error=e("email") autocomplete="off" />
                                        </fieldset>
                                        <button type="submit" class=BUTTON>"Remplacer le participant"</button>
                                    </ActionForm>
                                }
                                .into_any(),
                            )
                        };
                        view! {
                            <CompanyNav id=company name=p.company_name.clone() current=Tab::Home tabs=v.tabs />
                            <p class="mt-4 text-sm">
                                <a class="text-blue-900 underline" href=format!("/entreprise/{company}#a-venir")>"← Formations des collaborateurs"</a>
                            </p>
                            <h2 class="mt-2 text-lg font-semibold">{format!("Inscription de {} à « {} »", l.participant_name, l.training_title)}</h2>
                            <EchoNotice echo=answer />
                            <dl class="mt-3 grid max-w-2xl grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid="inscription">
                                <dt class="font-medium">"Participant"</dt>
                                <dd data-testid="participant">{format!("{} ({})", l.participant_name, l.participant_email)}</dd>
                                <dt class="font-medium">"Formation"</dt>
                                <dd><a class="text-blue-900 underline" href=format!("/formations/{}", l.training_id)>{l.training_title.clone()}</a></dd>
                                <dt class="font-medium">"Dates et horaires"</dt>
                                <dd>{l.period()} " — " {l.schedule.clone()}</dd>
                                <dt class="font-medium">"Lieu"</dt>
                                <dd>{l.city.clone()} <br /> <crate::pages::spaces::Place line=l.clone() /></dd>
                                <dt class="font-medium">"Statut"</dt>
                                <dd>{l.status.label()}</dd>
                            </dl>
                            {form.map(|form| view! {
                                <section id="remplacer" class="mt-6" aria-labelledby="titre-remplacer">
                                    <h3 id="titre-remplacer" class="font-semibold">"Remplacer le participant"</h3>
                                    {form}
                                </section>
                            })}
                            <section class="mt-6" aria-labelledby="titre-historique">
                                <h3 id="titre-historique" class="font-semibold">"Historique de l'inscription"</h3>
                                <ol class="mt-2 list-inside list-decimal text-sm" data-testid="historique">
                                    {v.history.iter().map(|h| view! { <li><span class="text-slate-700">{h.when.clone()}</span> " — " {h.text.clone()}</li> }).collect_view()}
                                </ol>
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
