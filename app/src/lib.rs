//! Espace Entreprise: the portal where firms manage their staff's professional training.

#![recursion_limit = "256"]

pub mod api;
pub mod auth;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                // Islands: only the `#[island]` components run in the browser; every other
                // part of a page stays the server's HTML, its forms plain posts.
                <HydrationScripts options=options.clone() islands=true />
                <HashedStylesheet options id="leptos" />
                <MetaTags />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Espace Entreprise" />
        <Router>
            <pages::Frame>
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::catalogue::CataloguePage ssr=SsrMode::Async />
                    <Route path=path!("/catalogue") view=pages::catalogue::CataloguePage ssr=SsrMode::Async />
                    <Route path=path!("/formations/:id") view=pages::catalogue::TrainingPage ssr=SsrMode::Async />
                    <Route path=path!("/connexion") view=pages::account::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/connexion/code") view=pages::second_factor::LoginCodePage ssr=SsrMode::Async />
                    <Route path=path!("/mon-compte/double-authentification") view=pages::second_factor::SecondFactorPage ssr=SsrMode::Async />
                    <Route path=path!("/creer-un-compte") view=pages::account::SignupPage ssr=SsrMode::Async />
                    <Route path=path!("/mot-de-passe-oublie") view=pages::recovery::ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/nouveau-mot-de-passe/:token") view=pages::recovery::ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/mon-compte") view=pages::my_account::MyAccountPage ssr=SsrMode::Async />
                    <Route path=path!("/confidentialite") view=pages::privacy::PrivacyPage ssr=SsrMode::Async />
                    <Route path=path!("/changer-adresse/:token") view=pages::my_account::EmailChangePage ssr=SsrMode::Async />
                    <Route path=path!("/inscription") view=pages::wizard::WizardPage ssr=SsrMode::Async />
                    <Route path=path!("/inscription/:step") view=pages::wizard::WizardPage ssr=SsrMode::Async />
                    <Route path=path!("/espaces") view=pages::spaces::SpacesPage ssr=SsrMode::Async />
                    <Route path=path!("/mes-obligations") view=pages::obligations::ObligationsPage ssr=SsrMode::Async />
                    <Route path=path!("/organisme") view=pages::provider::ProviderPage ssr=SsrMode::Async />
                    <Route path=path!("/organisme/catalogue") view=pages::provider_catalogue::ProviderCataloguePage ssr=SsrMode::Async />
                    <Route path=path!("/organisme/session/:id") view=pages::provider_session::ProviderSessionPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id") view=pages::company::home::CompanyHomePage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/informations") view=pages::company::info::CompanyInfoPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/annuaire") view=pages::company::people::PeoplePage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/etablissements") view=pages::company::establishments::EstablishmentsPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/documents") view=pages::company::documents::CompanyDocumentsPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/factures") view=pages::company::invoices::CompanyInvoicesPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/delegations") view=pages::company::delegations::DelegationsPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/interlocuteurs") view=pages::company::contacts::ContactsPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/journal") view=pages::company::audit::AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/panier") view=pages::company::cart::CartPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/commandes") view=pages::company::orders::OrdersPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/questionnaires") view=pages::company::surveys::CompanySurveysPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/obligations") view=pages::company::obligations::CompanyObligationsPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/demandes/:request") view=pages::company::requests::RightsRequestPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/inscriptions/:registration") view=pages::company::substitution::SubstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("/entreprise/:id/inscriptions/:registration/remplacer") view=pages::company::substitution::SubstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("/questionnaire/:id") view=pages::survey::SurveyPage ssr=SsrMode::Async />
                    <Route path=path!("/test-des-acquis/:id") view=pages::knowledge::KnowledgeTestPage ssr=SsrMode::Async />
                    <Route path=path!("/organisme/formation/:id/tests") view=pages::knowledge::TrainingTestsPage ssr=SsrMode::Async />
                    <Route path=path!("/invitation/:token") view=pages::invitation::InvitationPage ssr=SsrMode::Async />
                    <Route path=path!("/confirmer/:token") view=pages::confirm::ConfirmPage ssr=SsrMode::Async />
                    <Route path=path!("/liste-d-attente/:id") view=pages::waitlist::WaitlistSessionPage ssr=SsrMode::Async />
                </Routes>
            </pages::Frame>
        </Router>
        <Live />
    }
}

/// Marks the page as live once the browser has run the page's islands (they hydrate in
/// document order, and this one comes last): `body[data-hydrated]`, which tests wait for.
#[island]
fn Live() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
