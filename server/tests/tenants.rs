//! Tenant isolation: every server function that takes a company is driven by each
//! role of company A against company B, and must refuse without data. The test fails
//! when a server function is neither in that table nor in the list of those that take
//! no company (with the reason they are safe).

mod common;

use axum::http::StatusCode;
use common::{siret, TestApp};
use std::collections::BTreeSet;

/// An establishment as typed in MES ETABLISSEMENTS.
const ESTABLISHMENT: [(&str, &str); 6] = [
    ("establishment[name]", "P"),
    ("establishment[siret]", "12002701600019"),
    ("establishment[address_line]", "1 rue X"),
    ("establishment[postal_code]", "75001"),
    ("establishment[city]", "Paris"),
    ("establishment[billing_email]", "p@pirate.fr"),
];

/// Server functions that take a company id, with their other arguments.
fn company_scoped() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        ("company/home", vec![]),
        ("company/registrations/cancel", vec![("registration_id", "1")]),
        ("company/info", vec![]),
        (
            "company/info/update",
            vec![
                ("info[legal_name]", "Piraté"),
                ("info[legal_form]", "SAS"),
                ("info[vat_number]", ""),
                ("info[address_line]", "1 rue X"),
                ("info[postal_code]", "75001"),
                ("info[city]", "Paris"),
                ("info[billing_email]", "x@pirate.fr"),
                ("info[billing_address_line]", "1 rue X"),
                ("info[billing_postal_code]", "75001"),
                ("info[billing_city]", "Paris"),
            ],
        ),
        ("company/policy", vec![("policy", "open")]),
        ("company/people", vec![]),
        ("company/people/add", vec![("email", "pirate@pirate.fr"), ("first_name", "P"), ("last_name", "P"), ("role", "admin")]),
        ("company/roles", vec![("op", "grant:admin:pirate@pirate.fr")]),
        ("company/people/remove", vec![("email", "bob@cabinet-b.fr")]),
        ("company/people/erase", vec![("email", "bob@cabinet-b.fr"), ("confirm", "on")]),
        ("company/people/import", vec![("csv", "P;P;pirate@pirate.fr")]),
        ("company/people/invite", vec![("email", "bob@cabinet-b.fr")]),
        ("company/contacts", vec![]),
        ("company/contacts/set", vec![("kind", "formation"), ("email", "bob@cabinet-b.fr"), ("phone", "")]),
        ("company/establishments", vec![]),
        ("company/establishments/add", ESTABLISHMENT.to_vec()),
        ("company/establishments/update", [("establishment_id", "1")].into_iter().chain(ESTABLISHMENT).collect()),
        ("company/establishments/remove", vec![("establishment_id", "1")]),
        ("company/audit", vec![]),
        ("company/third-party", vec![("op", "mode"), ("mode", "all"), ("siret", "")]),
        ("company/delegations", vec![]),
        ("company/documents", vec![]),
        ("company/invoices", vec![]),
        ("company/delegations/set", vec![("op", "grant"), ("siret", "12002701600019"), ("register", "on"), ("orders", "on")]),
        ("survey/company", vec![]),
        ("orders/cart", vec![]),
        ("orders/validate", vec![("billing", "company:1"), ("billing_siret", ""), ("po_reference", ""), ("accept_terms", "on")]),
        ("orders/list", vec![]),
        ("company/second-factor", vec![("required", "on")]),
        ("company/rights-request", vec![("request_id", "1")]),
        ("company/grant-request", vec![("request_id", "1")]),
        // Issue 13, knowledge tests (company-scoped functions go below).
        ("knowledge/company", vec![]),
        // Issue 13, obligations.
        // Issue 13, sharing the obligations with the firm.
        ("obligations/sharing/set", vec![("share", "on")]),
        ("company/obligations", vec![("profession", "")]),
        // Issue 13, waiting list.
        ("waitlist/join", vec![("session_id", "3"), ("email", "pirate@pirate.fr"), ("first_name", "P"), ("last_name", "P")]),
        ("waitlist/claim", vec![("entry_id", "1")]),
        ("waitlist/withdraw", vec![("entry_id", "1")]),
        // Issue 13, substitution.
        ("company/registration", vec![("registration_id", "1")]),
        (
            "company/registrations/substitute",
            vec![("registration_id", "1"), ("directory_email", ""), ("email", "pirate@pirate.fr"), ("first_name", "P"), ("last_name", "P")],
        ),
    ]
}

/// Server functions that take no company id, and why they leak nothing of one.
const NOT_COMPANY_SCOPED: [(&str, &str); 18] = [
    ("catalogue/search", "public catalogue"),
    ("catalogue/training", "public catalogue"),
    ("account/me", "the caller himself"),
    ("account/flash", "the caller's own session"),
    ("account/signup-state", "the caller's own session"),
    ("account/login-state", "the caller's own session"),
    ("account/signup", "creates the caller's account"),
    ("account/login", "the caller's credentials"),
    ("account/logout", "the caller's own session"),
    ("wizard/start", "the caller's own draft"),
    ("wizard/get", "own draft; a company's directory only with the Register right (tested)"),
    ("wizard/structure", "an existing company only with the Register right (tested)"),
    ("wizard/admin", "the caller's own draft"),
    ("wizard/rights", "the caller's own draft"),
    ("wizard/review", "creates a new company"),
    ("wizard/participants", "checks the Register right on the draft's company (tested)"),
    ("spaces/mine", "companies where the caller holds a role"),
    ("invitation/get", "holder of the single-use token"),
];
const ALSO_NOT_COMPANY_SCOPED: [(&str, &str); 22] = [
    ("support", "the portal's assistance contact, the same for everybody (public settings)"),
    ("company/request-rights", "mails the administrators of the company named; the same answer whatever the company, never its data (tested in leaks.rs)"),
    ("account/second-factor", "the caller's own account"),
    ("account/second-factor/begin", "the caller's own account"),
    ("account/second-factor/confirm", "the caller's own account"),
    ("account/second-factor/codes", "the caller's own account, with a current code"),
    ("account/second-factor/disable", "the caller's own account, with a current code"),
    ("account/login-code", "the log-in awaiting a code in the caller's own session"),
    ("provider/staff/add", "adds to the caller's own provider, for its staff only (tested in catalogue.rs)"),
    ("provider/catalogue", "the caller's own provider, for its staff only (tested in catalogue.rs)"),
    ("provider/settings", "the caller's own provider, for its staff only (tested in catalogue.rs)"),
    ("provider/training/add", "adds to the caller's own provider, for its staff only (tested in catalogue.rs)"),
    ("provider/session/add", "a training of the caller's own provider only (tested in catalogue.rs)"),
    ("provider/session/capacity", "a session of the caller's own provider only (tested in catalogue.rs)"),
    ("provider/payment", "an invoice of a session of the caller's own provider only (tested in invoicing.rs)"),
    ("provider/session", "a session of the caller's own provider only (tested in backoffice.rs)"),
    ("provider/session/op", "a session of the caller's own provider only (tested in backoffice.rs)"),
    ("provider/session/attendance", "a session of the caller's own provider only (tested in backoffice.rs)"),
    ("provider/home", "the caller's own provider, for its staff only (tested)"),
    ("invitation/accept", "holder of the single-use token"),
    ("survey/get", "the caller's own registrations only (tested)"),
    ("survey/answer", "the caller's own registrations only (tested)"),
];

/// "Mot de passe oublié" and "Mon compte": the caller's own account, or the holder of a
/// single-use link (tested in account.rs).
const OWN_ACCOUNT: [(&str, &str); 12] = [
    ("account/recovery/state", "the caller's own session"),
    ("account/recovery", "the same answer for any address; the link goes to the address"),
    ("account/reset/get", "holder of the single-use token"),
    ("account/reset", "holder of the single-use token"),
    ("account/profile", "the caller himself"),
    ("account/profile/details", "the caller himself"),
    ("account/profile/password", "the caller himself, current password required"),
    ("account/profile/email", "the caller himself, current password required"),
    ("account/email/get", "the caller's own single-use token"),
    ("account/email/confirm", "the caller's own single-use token"),
    ("account/sessions/end", "the caller's own sessions only (tested)"),
    ("account/delete", "the caller's own account, current password required (tested in privacy.rs)"),
];

/// Issue 13: knowledge tests, obligations, waiting lists, substitutions — functions
/// that take no company id, and why they leak nothing of one.
const PARTICIPANT_SIDE_NOT_COMPANY_SCOPED: &[(&str, &str)] = &[
    // Knowledge tests.
    ("knowledge/training", "a training of the caller's own provider, for its staff only (tested in knowledge.rs)"),
    ("knowledge/save", "a training of the caller's own provider, for its staff only (tested in knowledge.rs)"),
    ("knowledge/delete", "a test of a training of the caller's own provider only (tested in knowledge.rs)"),
    ("knowledge/session", "a session of the caller's own provider only (tested in knowledge.rs)"),
    ("knowledge/mine", "the caller's own registrations, by his proven address"),
    ("knowledge/get", "the caller's own registrations only (tested in knowledge.rs)"),
    ("knowledge/submit", "the caller's own registrations only (tested in knowledge.rs)"),
    // Obligations.
    ("obligations/mine", "the caller's own ledger: no account nor company id taken (tested in obligations.rs)"),
    ("obligations/summary", "the caller's own ledger, one line per rule"),
    ("obligations/activity/delete", "an activity of the caller's own only (user id in the WHERE), else not found (tested)"),
    ("obligations/professions", "the caller's own professions and the public rules"),
    ("obligations/professions/set", "the caller's own professions; codes checked against the rules (tested)"),
    // Sharing the obligations with the firm.
    ("obligations/sharing", "the caller's own firms and consents"),
    // Waiting list.
    ("waitlist/session", "public session; the caller's own entries and the companies he may register for (tested in waitlist.rs)"),
    ("waitlist/mine", "entries the caller asked for, naming his proven address, or of companies he manages (tested in waitlist.rs)"),
    ("waitlist/provider", "a session of the caller's own provider only (Caller::require_provider_session)"),
    // Substitution.
];

/// Proof of the address (issue 9).
const CONFIRMATION_NOT_COMPANY_SCOPED: [(&str, &str); 4] = [
    ("account/confirmation", "holder of the single-use token"),
    ("account/confirm", "holder of the single-use token"),
    ("account/unconfirmed", "the caller himself"),
    ("account/resend", "the caller himself"),
];

#[tokio::test]
async fn every_server_function_is_in_the_table() {
    let _app = TestApp::spawn().await; // registers the server functions
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let known: BTreeSet<String> = company_scoped()
        .into_iter()
        .map(|(e, _)| e.to_string())
        .chain(NOT_COMPANY_SCOPED.iter().chain(ALSO_NOT_COMPANY_SCOPED.iter()).chain(OWN_ACCOUNT.iter()).map(|(e, _)| e.to_string()))
        .chain(CONFIRMATION_NOT_COMPANY_SCOPED.iter().map(|(e, _)| e.to_string()))
        .chain(PARTICIPANT_SIDE_NOT_COMPANY_SCOPED.iter().map(|(e, _)| e.to_string()))
        .collect();
    let missing: Vec<_> = registered.difference(&known).collect();
    assert!(missing.is_empty(), "server functions missing from the isolation table: {missing:?}");
    let stale: Vec<_> = known.difference(&registered).collect();
    assert!(stale.is_empty(), "the table names functions that no longer exist: {stale:?}");
}

/// What a company's rights, directory and history weigh: changed by any write to them.
async fn footprint(db: &app::server::Db, company: i64) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM grants WHERE company_id = $1), (SELECT COUNT(*) FROM collaborators WHERE company_id = $2), \
         (SELECT COUNT(*) FROM audit_log WHERE company_id = $3)",
    )
    .bind(company)
    .bind(company)
    .bind(company)
    .fetch_one(db)
    .await
    .unwrap()
}

#[tokio::test]
async fn no_role_of_company_a_reaches_company_b() {
    // Company B, with its admin and one collaborator.
    let mut b_admin = TestApp::spawn().await;
    b_admin.sign_up("Bob", "Bernard", "bob@cabinet-b.fr").await;
    let b = b_admin.create_company(1, &siret(40), "restricted", &[]).await;
    let b_name = "Cabinet Bernard";
    sqlx::query("UPDATE companies SET legal_name = $1 WHERE id = $2").bind(b_name).bind(b).execute(b_admin.db()).await.unwrap();
    let before = footprint(b_admin.db(), b).await;

    // Company A, with one user per role, and a participant without any role.
    let mut a_admin = b_admin.new_client();
    a_admin.sign_up("Alice", "Martin", "alice@cabinet-a.fr").await;
    let _a = a_admin
        .create_company(
            1,
            &siret(41),
            "restricted",
            &[("tom@cabinet-a.fr", "Tom", "Formation", &["role_training"]), ("bea@cabinet-a.fr", "Béa", "Facture", &["role_billing"])],
        )
        .await;
    let mut clients = vec![("admin", a_admin)];
    for (role, first, email) in [("training", "Tom", "tom@cabinet-a.fr"), ("billing", "Béa", "bea@cabinet-a.fr"), ("participant", "Zoé", "zoe@cabinet-a.fr")] {
        let mut c = b_admin.new_client();
        c.sign_up(first, "A", email).await;
        clients.push((role, c));
    }

    let b_id = b.to_string();
    for (role, client) in clients.iter_mut() {
        for (endpoint, args) in company_scoped() {
            let mut form = vec![("company_id", b_id.as_str())];
            form.extend(args.iter().copied());
            let (status, _, body) = client.call(endpoint, &form).await;
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{role} of A on {endpoint} of B: {status} {body}"
            );
            assert!(!body.contains(b_name) && !body.contains("bob@cabinet-b.fr"), "{role} of A read B's data on {endpoint}: {body}");
        }
        // Pages as well.
        for page in ["", "/informations", "/annuaire", "/etablissements", "/delegations", "/interlocuteurs", "/journal", "/commandes", "/panier", "/questionnaires", "/obligations", "/documents", "/inscriptions/1", "/inscriptions/1/remplacer"] {
            let (status, html) = client.get(&format!("/entreprise/{b}{page}")).await;
            // The page is rendered (200) with its refusal in place of the data.
            assert_eq!(status, StatusCode::OK, "{role} of A on B's page {page}");
            assert!(
                html.contains("cet élément n") && html.contains("existe pas.") || html.contains("réservée"),
                "{role} of A on B's page {page}: no refusal shown"
            );
            assert!(!html.contains("bob@cabinet-b.fr") && !html.contains(b_name), "{role} of A saw B's data at {page}");
        }
    }
    // The same page shows B's directory to B's administrator: the checks above look
    // for data that is really there.
    let (status, html) = b_admin.get(&format!("/entreprise/{b}/annuaire")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("bob@cabinet-b.fr") && html.contains(b_name), "{html}");
    let after = footprint(b_admin.db(), b).await;
    assert_eq!(before, after, "company B was changed");
    let (name,): (String,) = sqlx::query_as("SELECT legal_name FROM companies WHERE id = $1").bind(b).fetch_one(b_admin.db()).await.unwrap();
    assert_eq!(name, b_name);
}
