//! "Données personnelles et confidentialité" (who processes what, for what, how long),
//! and the "Mes données" / "Supprimer mon compte" sections of "Mon compte". The
//! durations shown are the constants the portal enforces (`domain::retention`).

use crate::api::privacy::DeleteAccount;
use crate::components::{Field, Notice};
use crate::domain::retention::{duration_fr, keep_secs, Kind, INVITATION_SECS, RULES, SESSION_IDLE_SECS, SESSION_MAX_SECS};
use crate::error::AppError;
use crate::pages::head::PageHead;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const SECTION: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-5";
const BUTTON: &str = "inline-block rounded-md bg-blue-900 px-4 py-2 font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-700 focus:ring-offset-2";
const DANGER: &str = "rounded-md bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-700 focus:outline-none focus:ring-2 focus:ring-red-700 focus:ring-offset-2";
const CELL: &str = "px-3 py-2 align-top";

/// What the portal keeps, why, and for how long: one row per kind of data.
fn processing() -> Vec<(&'static str, &'static str, String)> {
    vec![
        (
            "Votre compte : civilité, nom, prénom, adresse e-mail, téléphone, profession, numéro d'inscription professionnelle, \
             adresse postale ; votre mot de passe, seulement sous forme chiffrée (argon2id) ; la double authentification si vous l'activez",
            "Vous identifier, vous joindre au sujet de vos formations, vérifier votre qualité de commissaire aux comptes ou d'expert-comptable",
            "Jusqu'à la suppression de votre compte".into(),
        ),
        (
            "Vos rôles dans les structures (administrateur, responsable de formation, responsable facturation) et votre place dans leur annuaire",
            "Donner accès à l'espace entreprise selon les droits que la structure vous accorde",
            "Tant que la structure vous garde dans son annuaire ; effacés à la suppression de votre compte".into(),
        ),
        (
            "Vos inscriptions, présences, heures suivies et réponses aux questionnaires de satisfaction",
            "Organiser la formation, justifier votre obligation de formation continue et celle de votre cabinet, mesurer la qualité des formations",
            "Conservées après la suppression de votre compte : votre adresse y est remplacée, votre nom reste celui des documents".into(),
        ),
        (
            "Conventions de formation, certificats de réalisation, bons de commande et factures",
            "Obligations légales des organismes de formation (Code du travail, L6353-1 et D6353-1 ; arrêté du 21 décembre 2018) \
             et comptables (Code de commerce, L123-22 : dix ans)",
            "Conservés tels qu'ils ont été émis, avec le nom qui y figure, même après la suppression de votre compte".into(),
        ),
        (
            "Les courriels que le portail vous envoie (adresse, objet, texte)",
            "Garder trace des envois et limiter le nombre de messages qu'un compte peut faire envoyer",
            format!("Texte effacé {} après l'envoi ; adresse et objet jusqu'à la suppression de votre compte", duration_fr(keep_secs(Kind::MailBody))),
        ),
        (
            "Vos sessions de connexion (navigateur utilisé, dates de connexion et de dernière utilisation)",
            "Sécurité du compte ; la liste de vos sessions ouvertes dans Mon compte",
            format!(
                "Une session se termine après {} sans activité et au plus tard {} après la connexion ; elle est alors effacée",
                duration_fr(SESSION_IDLE_SECS),
                duration_fr(SESSION_MAX_SECS)
            ),
        ),
        (
            "Les invitations à créer un compte (nom, prénom, adresse e-mail de la personne invitée)",
            "Permettre à un participant inscrit par sa structure de créer son compte",
            format!("Valables {} ; effacées ensuite (voir le tableau ci-dessous)", duration_fr(INVITATION_SECS)),
        ),
        (
            "Le journal des modifications de chaque structure (qui a changé quels droits, quand)",
            "Traçabilité des habilitations, demandée par les structures",
            "Tant que la structure existe ; après la suppression de votre compte, votre adresse y est remplacée par un pseudonyme".into(),
        ),
    ]
}

/// `/confidentialite`: public.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let query = use_query_map();
    let erased = move || query.read().get("compte").as_deref() == Some("supprime");
    view! {
        <PageHead title="Données personnelles et confidentialité — Espace Entreprise" description="Qui traite vos données personnelles sur l'Espace Entreprise, pour quoi et combien de temps, ce qui est effacé automatiquement et vos droits (RGPD)." />
        <h1 class="text-2xl font-semibold">"Données personnelles et confidentialité"</h1>
        {move || erased().then(|| view! {
            <div class="mt-4"><Notice kind="success">"Votre compte est supprimé. Vos données personnelles ont été effacées, sauf celles que la loi impose de conserver (décrites ci-dessous)."</Notice></div>
        })}
        <section class=SECTION aria-labelledby="titre-qui">
            <h2 id="titre-qui" class="mb-2 text-lg font-semibold">"Qui traite vos données"</h2>
            <p class="text-sm text-slate-800">
                "L'Espace Entreprise est le portail commun des organismes de formation qui y publient leur catalogue. "
                "Chaque organisme traite les inscriptions à ses formations, les présences, les documents et les factures qui s'y rapportent. "
                "Chaque structure (cabinet, société, indépendant) traite l'annuaire de ses collaborateurs et les droits qu'elle leur donne. "
                "Aucune donnée n'est vendue ni transmise à d'autres fins que celles décrites ici."
            </p>
        </section>
        <section class=SECTION aria-labelledby="titre-quoi">
            <h2 id="titre-quoi" class="mb-2 text-lg font-semibold">"Quelles données, pour quoi, combien de temps"</h2>
            <div class="overflow-x-auto">
                <table class="min-w-full text-left text-sm" data-testid="traitements">
                    <thead class="bg-slate-100">
                        <tr>
                            <th scope="col" class=CELL>"Données"</th>
                            <th scope="col" class=CELL>"Pour quoi"</th>
                            <th scope="col" class=CELL>"Combien de temps"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {processing().into_iter().map(|(what, why, how_long)| view! {
                            <tr class="border-t border-slate-200">
                                <td class=CELL>{what}</td>
                                <td class=CELL>{why}</td>
                                <td class=CELL>{how_long}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class=SECTION aria-labelledby="titre-purge">
            <h2 id="titre-purge" class="mb-2 text-lg font-semibold">"Ce qui est effacé automatiquement"</h2>
            <p class="mb-2 text-sm text-slate-800">"Chaque jour, le portail efface ce qui n'a plus de raison d'être conservé :"</p>
            <table class="min-w-full text-left text-sm" data-testid="durees">
                <thead class="bg-slate-100">
                    <tr>
                        <th scope="col" class=CELL>"Données"</th>
                        <th scope="col" class=CELL>"Effacées"</th>
                    </tr>
                </thead>
                <tbody>
                    {RULES.iter().map(|r| view! {
                        <tr class="border-t border-slate-200">
                            <td class=CELL>{r.what}</td>
                            <td class=CELL>{format!("{} {}", duration_fr(r.secs), r.after)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class=SECTION aria-labelledby="titre-droits">
            <h2 id="titre-droits" class="mb-2 text-lg font-semibold">"Vos droits"</h2>
            <ul class="list-disc space-y-1 pl-5 text-sm text-slate-800">
                <li>"Consulter et corriger vos informations : " <a class="text-blue-900 underline" href="/mon-compte">"Mon compte"</a> "."</li>
                <li>"Recevoir toutes vos données (JSON et CSV, en un fichier) : « Mes données » dans " <a class="text-blue-900 underline" href="/mon-compte#mes-donnees">"Mon compte"</a> "."</li>
                <li>"Effacer vos données : « Supprimer mon compte » dans Mon compte. Une structure peut aussi supprimer les données d'un ancien collaborateur qui n'a de lien qu'avec elle."</li>
                <li>"Vous pouvez adresser une réclamation à la CNIL (www.cnil.fr)."</li>
            </ul>
        </section>
    }
}

/// "Mes données" and "Supprimer mon compte", at the end of "Mon compte".
#[component]
pub fn MyDataSections() -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    let error = move |field: &'static str| {
        delete.value().get().and_then(|r| r.err()).and_then(|e| match e {
            AppError::Validation { field: f, message } if f == field => Some(message),
            _ => None,
        })
    };
    let other_error = move || {
        delete.value().get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::Validation { .. })).map(|e| e.to_string())
    };
    view! {
        <section class=SECTION id="mes-donnees" aria-labelledby="titre-mes-donnees">
            <h2 id="titre-mes-donnees" class="mb-3 text-lg font-semibold">"Mes données"</h2>
            <p class="mb-3 text-sm text-slate-700">
                "Tout ce que le portail conserve sur vous (compte, rôles, inscriptions, présences, réponses aux questionnaires, certificats, courriels reçus), "
                "en un fichier zip : les données complètes en JSON et des tableaux CSV. "
                <a class="text-blue-900 underline" href="/confidentialite">"Données personnelles et confidentialité"</a>
            </p>
            <a class=BUTTON href="/mon-compte/mes-donnees.zip" download="" data-testid="mes-donnees">"Télécharger mes données"</a>
        </section>
        <section class=SECTION aria-labelledby="titre-suppression">
            <h2 id="titre-suppression" class="mb-3 text-lg font-semibold">"Supprimer mon compte"</h2>
            <p class="mb-3 text-sm text-slate-700">
                "Vos informations personnelles, vos rôles et vos sessions sont effacés et vous ne pourrez plus vous connecter. "
                "Ce que la loi impose de conserver reste : vos inscriptions et leurs heures, les conventions, certificats et factures avec le nom qui y figure. "
                "Si vous êtes le dernier administrateur d'une structure, nommez-en d'abord un autre."
            </p>
            {move || other_error().map(|m| view! { <Notice kind="error">{m}</Notice> })}
            <ActionForm action=delete attr:data-testid="form-suppression">
                {move || view! {
                    <Field label="Mot de passe actuel" name="current_password" id="suppression-mot-de-passe" kind="password" error=error("current_password") required=true autocomplete="current-password" />
                }}
                <div class="mb-3 text-sm">
                    <input type="checkbox" id="suppression-confirmation" name="confirm" required=true class="mr-2" />
                    <label for="suppression-confirmation">"Je confirme la suppression définitive de mon compte."</label>
                    {move || error("confirm").map(|m| view! { <p class="text-red-800">{m}</p> })}
                </div>
                <button type="submit" class=DANGER>"Supprimer mon compte"</button>
            </ActionForm>
        </section>
    }
}
