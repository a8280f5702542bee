//! Mail at the right moment (issue 10, point 3) and the carts of the firm (point 4),
//! through the real router, on SQLite or PostgreSQL. Mails are read from the outbox,
//! which records every mail the SMTP server is handed.

mod common;

use axum::http::{header, StatusCode};
use common::{siret, TestApp};

const NEP: &str = "Actualité des normes d'exercice professionnel (NEP)";

async fn outbox_to(app: &TestApp, email: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE to_addr = $1 ORDER BY created_at, id").bind(email).fetch_all(app.db()).await.unwrap()
}

/// The mails to `email` whose subject is `subject`.
async fn mails(app: &TestApp, email: &str, subject: &str) -> Vec<String> {
    outbox_to(app, email).await.into_iter().filter(|(s, _)| s == subject).map(|(_, b)| b).collect()
}

fn link_in(body: &str) -> String {
    let start = body.find("/invitation/").expect("an invitation link");
    body[start..].split_whitespace().next().unwrap().to_string()
}

async fn invitations_of(app: &TestApp, email: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM invitations WHERE email = $1").bind(email).fetch_one(app.db()).await.unwrap();
    n
}

/// Puts participants (address, first name, last name) in the caller's cart through the
/// wizard's participants step.
async fn add_participants(app: &mut TestApp, people: &[(&str, &str, &str)]) {
    for (email, first, last) in people {
        app.json("wizard/participants", &[("op", "add"), ("email", email), ("first_name", first), ("last_name", last)]).await;
    }
    let (_, headers, body) = app.call("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/inscription/termine"), "{body}");
}

/// Accepts an invitation link with a password; the invitee ends logged in.
async fn accept(app: &mut TestApp, link: &str) {
    let token = link.trim_start_matches("/invitation/");
    let (_, headers, body) =
        app.call("invitation/accept", &[("token", token), ("password", "un-mot-de-passe"), ("password_confirm", "un-mot-de-passe")]).await;
    assert_eq!(headers.get(header::LOCATION).map(|v| v.to_str().unwrap()), Some("/espaces"), "{body}");
}

#[tokio::test]
async fn persons_given_roles_in_the_wizard_are_told_with_a_link() {
    let mut marie = TestApp::spawn().await;
    let mut paul = marie.new_client();
    paul.sign_up("Paul", "Martin", "paul@cabinet-m1.fr").await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-m1.fr").await;
    let company = marie
        .create_company(
            1,
            &siret(101),
            "restricted",
            &[
                ("paul@cabinet-m1.fr", "Paul", "Martin", &["role_training"] as &[&str]),
                ("lea@cabinet-m1.fr", "Léa", "Petit", &["role_admin", "role_billing"] as &[&str]),
            ],
        )
        .await;

    // An account: the role, and the way to his spaces.
    let told = mails(&marie, "paul@cabinet-m1.fr", "Vous avez reçu le rôle « Responsable de formation » dans l'espace de « Cabinet Test »").await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains("Marie Durand vous a donné le rôle « Responsable de formation »"), "{}", told[0]);
    assert!(told[0].contains("/espaces"), "{}", told[0]);
    // No account: an invitation to create it, naming both roles.
    let invited = mails(&marie, "lea@cabinet-m1.fr", "Invitation : espace entreprise de Cabinet Test").await;
    assert_eq!(invited.len(), 1);
    assert!(invited[0].contains("les rôles « Administrateur » et « Responsable facturation »"), "{}", invited[0]);
    assert_eq!(outbox_to(&marie, "lea@cabinet-m1.fr").await.len(), 1, "one mail per person");
    // The creator is not told of his own role.
    assert!(!outbox_to(&marie, "marie@cabinet-m1.fr").await.iter().any(|(s, _)| s.contains("rôle") || s.starts_with("Invitation")));

    // The invitation creates Léa's account: her proven address now carries her roles.
    let mut lea = marie.new_client();
    accept(&mut lea, &link_in(&invited[0])).await;
    let spaces = lea.json("spaces/mine", &[]).await;
    assert_eq!(spaces["companies"][0]["id"].as_i64(), Some(company));
    assert_eq!(spaces["companies"][0]["roles"], serde_json::json!(["Admin", "BillingManager"]));
}

#[tokio::test]
async fn roles_given_in_the_directory_or_by_import_are_told_once() {
    let mut marie = TestApp::spawn().await;
    let mut paul = marie.new_client();
    paul.sign_up("Paul", "Martin", "paul@cabinet-m2.fr").await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-m2.fr").await;
    let company = marie.create_company(1, &siret(102), "restricted", &[]).await;
    let cid = company.to_string();
    let invitation = "Invitation : espace entreprise de Cabinet Test";

    // Directory: a person without an account, given a role, is invited.
    let add = [("company_id", cid.as_str()), ("email", "nina@cabinet-m2.fr"), ("first_name", "Nina"), ("last_name", "Roux"), ("role", "training_manager")];
    marie.json("company/people/add", &add).await;
    let invited = mails(&marie, "nina@cabinet-m2.fr", invitation).await;
    assert_eq!(invited.len(), 1);
    assert!(invited[0].contains("le rôle « Responsable de formation »") && invited[0].contains("/invitation/"), "{}", invited[0]);
    // The same role saved again changes nothing: no mail.
    marie.json("company/people/add", &add).await;
    marie.json("company/roles", &[("company_id", cid.as_str()), ("op", "grant:training_manager:nina@cabinet-m2.fr")]).await;
    assert_eq!(outbox_to(&marie, "nina@cabinet-m2.fr").await.len(), 1);
    // A new role is.
    marie.json("company/roles", &[("company_id", cid.as_str()), ("op", "grant:billing_manager:nina@cabinet-m2.fr")]).await;
    let invited = mails(&marie, "nina@cabinet-m2.fr", invitation).await;
    assert_eq!(invited.len(), 2);
    assert!(invited.iter().any(|b| b.contains("le rôle « Responsable facturation »")), "{invited:?}");

    // Import: the fourth column gives roles; the person with an account is told, the
    // one given none is not.
    let csv = "Prénom;Nom;E-mail;Rôle\nPaul;Martin;paul@cabinet-m2.fr;Responsable de formation\nJean;Roy;jean@cabinet-m2.fr;\nLuc;Blanc;luc@cabinet-m2.fr;Stagiaire\n";
    marie.json("company/people/import", &[("company_id", cid.as_str()), ("csv", csv)]).await;
    let subject = "Vous avez reçu le rôle « Responsable de formation » dans l'espace de « Cabinet Test »";
    let told = mails(&marie, "paul@cabinet-m2.fr", subject).await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains("/espaces"));
    assert!(outbox_to(&marie, "jean@cabinet-m2.fr").await.is_empty());
    assert!(outbox_to(&marie, "luc@cabinet-m2.fr").await.is_empty(), "a refused line gives nothing");
    let people = marie.json("company/people", &[("company_id", cid.as_str())]).await;
    let emails: Vec<&str> = people["data"]["items"].as_array().unwrap().iter().map(|p| p["email"].as_str().unwrap()).collect();
    assert!(emails.contains(&"jean@cabinet-m2.fr") && !emails.contains(&"luc@cabinet-m2.fr"), "{emails:?}");
    // The same file again: nothing new, nobody told twice.
    marie.json("company/people/import", &[("company_id", cid.as_str()), ("csv", csv)]).await;
    assert_eq!(mails(&marie, "paul@cabinet-m2.fr", subject).await.len(), 1);
    let (grants,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE company_id = $1 AND action = 'grant.add'")
        .bind(company)
        .fetch_one(marie.db())
        .await
        .unwrap();
    assert_eq!(grants, 4, "Marie, Nina twice, Paul");

    // Paul's role takes effect for his proven address.
    let spaces = paul.json("spaces/mine", &[]).await;
    assert_eq!(spaces["companies"][0]["roles"], serde_json::json!(["TrainingManager"]));
}

#[tokio::test]
async fn a_participant_without_account_is_invited_when_added_and_only_then() {
    let mut marie = TestApp::spawn().await;
    let mut paul = marie.new_client();
    paul.sign_up("Paul", "Martin", "paul@cabinet-m3.fr").await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-m3.fr").await;
    let company = marie.create_company(1, &siret(103), "restricted", &[]).await;
    add_participants(&mut marie, &[("paul@cabinet-m3.fr", "Paul", "Martin"), ("nina@cabinet-m3.fr", "Nina", "Roux")]).await;

    // Added: Nina, without an account, gets her invitation at once; Paul waits for the order.
    let invitation = format!("Invitation : votre inscription à « {NEP} »");
    let invited = mails(&marie, "nina@cabinet-m3.fr", &invitation).await;
    assert_eq!(invited.len(), 1);
    assert!(invited[0].contains("Marie Durand vous inscrit pour le compte de Cabinet Test"), "{}", invited[0]);
    assert!(outbox_to(&marie, "paul@cabinet-m3.fr").await.iter().all(|(s, _)| !s.contains(NEP)));

    // The order: each is told; Nina is not invited a second time.
    marie.validate_cart(company).await;
    let announced = format!("Inscription à « {NEP} »");
    assert_eq!(mails(&marie, "paul@cabinet-m3.fr", &announced).await.len(), 1);
    assert_eq!(outbox_to(&marie, "nina@cabinet-m3.fr").await.len(), 2);
    let told = mails(&marie, "nina@cabinet-m3.fr", &announced).await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains("en attente de confirmation") && !told[0].contains("/invitation/"), "{}", told[0]);
    assert_eq!(invitations_of(&marie, "nina@cabinet-m3.fr").await, 1);

    // The first link still works and shows her training.
    let mut invitee = marie.new_client();
    accept(&mut invitee, &link_in(&invited[0])).await;
    let own = invitee.json("spaces/mine", &[]).await;
    assert_eq!(own["own_trainings"][0]["training_title"], NEP);
    assert_eq!(own["own_trainings"][0]["status"], "en_attente");
}

#[tokio::test]
async fn an_order_invites_again_only_when_the_invitation_is_no_longer_usable() {
    let mut marie = TestApp::spawn().await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-m4.fr").await;
    let company = marie.create_company(1, &siret(104), "restricted", &[]).await;
    add_participants(&mut marie, &[("nina@cabinet-m4.fr", "Nina", "Roux")]).await;
    let invitation = format!("Invitation : votre inscription à « {NEP} »");
    let first = mails(&marie, "nina@cabinet-m4.fr", &invitation).await;
    assert_eq!(first.len(), 1);
    // The invitation expired while the cart waited.
    sqlx::query("UPDATE invitations SET expires_at = 0 WHERE email = 'nina@cabinet-m4.fr'").execute(marie.db()).await.unwrap();
    marie.validate_cart(company).await;
    let invited = mails(&marie, "nina@cabinet-m4.fr", &invitation).await;
    assert_eq!(invited.len(), 2, "{invited:?}");
    assert_eq!(outbox_to(&marie, "nina@cabinet-m4.fr").await.len(), 2, "a new invitation, not an invitation and an announcement");
    assert_eq!(invitations_of(&marie, "nina@cabinet-m4.fr").await, 2);
    let fresh = invited.iter().find(|b| **b != first[0]).unwrap();
    let mut invitee = marie.new_client();
    accept(&mut invitee, &link_in(fresh)).await;
}

#[tokio::test]
async fn the_company_is_told_once_when_the_provider_confirms_or_cancels() {
    let mut marie = TestApp::spawn().await;
    let mut paul = marie.new_client();
    paul.sign_up("Paul", "Martin", "paul@cabinet-m5.fr").await;
    let mut lea = marie.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-m5.fr").await;
    let mut bob = marie.new_client();
    bob.sign_up("Bob", "Roy", "bob@cabinet-m5.fr").await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-m5.fr").await;
    let company = marie
        .create_company(
            1,
            &siret(105),
            "restricted",
            &[("lea@cabinet-m5.fr", "Léa", "Petit", &["role_training"] as &[&str]), ("bob@cabinet-m5.fr", "Bob", "Roy", &["role_billing"] as &[&str])],
        )
        .await;
    add_participants(&mut marie, &[("marie@cabinet-m5.fr", "", ""), ("paul@cabinet-m5.fr", "Paul", "Martin")]).await;
    marie.validate_cart(company).await;

    let mut olivier = marie.provider_staff("olivier@crcc-m5.fr", 1).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;
    let confirmed = |mails: Vec<(String, String)>| -> Vec<(String, String)> { mails.into_iter().filter(|(s, _)| s.starts_with(&format!("« {NEP} »")) && s.ends_with(" : confirmée")).collect() };
    // Paul: his own registration.
    let p = confirmed(outbox_to(&marie, "paul@cabinet-m5.fr").await);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].1.contains("votre inscription") && !p[0].1.contains("Marie Durand ("), "{}", p[0].1);
    // Marie, participant, registrant and administrator: one mail, hers and Paul's.
    let m = confirmed(outbox_to(&marie, "marie@cabinet-m5.fr").await);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].1.contains("votre inscription") && m[0].1.contains("Paul Martin (paul@cabinet-m5.fr)"), "{}", m[0].1);
    assert!(m[0].1.contains(&format!("/entreprise/{company}")), "{}", m[0].1);
    // Léa, training manager: one mail with both.
    let l = confirmed(outbox_to(&marie, "lea@cabinet-m5.fr").await);
    assert_eq!(l.len(), 1, "{l:?}");
    assert!(l[0].1.contains("les inscriptions suivantes") && l[0].1.contains("Paul Martin") && l[0].1.contains("Marie Durand"), "{}", l[0].1);
    // Bob, billing manager, is not among those told of registrations.
    assert!(confirmed(outbox_to(&marie, "bob@cabinet-m5.fr").await).is_empty());

    // The provider cancels Paul's registration: Paul, Marie and Léa are told, once each.
    let page = olivier.json("provider/session", &[("session_id", "1")]).await;
    let paul_reg = page["roster"].as_array().unwrap().iter().find(|r| r["email"] == "paul@cabinet-m5.fr").unwrap()["registration_id"].as_i64().unwrap();
    let op = format!("cancel:{paul_reg}");
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", op.as_str())]).await;
    for (who, count) in [("paul@cabinet-m5.fr", 1), ("marie@cabinet-m5.fr", 1), ("lea@cabinet-m5.fr", 1), ("bob@cabinet-m5.fr", 0)] {
        let cancelled: Vec<String> =
            outbox_to(&marie, who).await.into_iter().filter(|(s, _)| s.ends_with(" : annulée")).map(|(_, b)| b).collect();
        assert_eq!(cancelled.len(), count, "{who}: {cancelled:?}");
        if who != "paul@cabinet-m5.fr" && count == 1 {
            assert!(cancelled[0].contains("l'inscription suivante") && cancelled[0].contains("Paul Martin"), "{who}: {}", cancelled[0]);
            assert!(!cancelled[0].contains("Marie Durand ("), "only what changed: {}", cancelled[0]);
        }
    }
}

#[tokio::test]
async fn administrators_and_training_managers_see_the_carts_of_the_firm() {
    let mut marie = TestApp::spawn().await;
    let mut lea = marie.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-m6.fr").await;
    let mut bob = marie.new_client();
    bob.sign_up("Bob", "Roy", "bob@cabinet-m6.fr").await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-m6.fr").await;
    let company = marie
        .create_company(
            1,
            &siret(106),
            "restricted",
            &[("lea@cabinet-m6.fr", "Léa", "Petit", &["role_training"] as &[&str]), ("bob@cabinet-m6.fr", "Bob", "Roy", &["role_billing"] as &[&str])],
        )
        .await;
    let cid = company.to_string();
    add_participants(&mut marie, &[("paul@cabinet-m6.fr", "Paul", "Martin")]).await;

    // Léa sees Marie's cart, whose it is and until when, and her own cart is empty.
    let cart = lea.json("orders/cart", &[("company_id", cid.as_str())]).await;
    assert!(cart["lines"].as_array().unwrap().is_empty());
    let firm = cart["firm"].as_array().expect("the firm's carts for a training manager");
    assert_eq!(firm.len(), 1);
    assert_eq!(firm[0]["owner"], "Marie Durand");
    assert_eq!(firm[0]["mine"], false);
    assert_eq!(firm[0]["participant"], "Paul Martin");
    assert_eq!(firm[0]["training_title"], NEP);
    let held = firm[0]["held_until"].as_i64().unwrap();
    assert!(held > app::server::db::now() && held <= app::server::db::now() + 30 * 60, "{held}");
    // Marie, administrator: the same line, marked as hers.
    let cart = marie.json("orders/cart", &[("company_id", cid.as_str())]).await;
    assert_eq!(cart["firm"][0]["mine"], true);
    assert_eq!(cart["lines"].as_array().unwrap().len(), 1);

    // The page without JavaScript: the section, the owner, the hold's end as the domain writes it.
    let (status, page) = lea.get(&format!("/entreprise/{company}/panier")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Commandes en cours dans le panier") && page.contains("paniers-structure"), "{page}");
    assert!(page.contains("Marie Durand") && page.contains(&app::domain::date::paris_datetime(held)), "{page}");

    // A billing manager has no cart here (he may not register), and sees nobody's.
    let (status, _, body) = bob.call("orders/cart", &[("company_id", cid.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // An expired hold is no longer in progress.
    sqlx::query("UPDATE registrations SET held_until = 1").execute(marie.db()).await.unwrap();
    let cart = lea.json("orders/cart", &[("company_id", cid.as_str())]).await;
    assert!(cart["firm"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_registrant_in_open_mode_sees_only_his_own_cart() {
    let mut marie = TestApp::spawn().await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-m7.fr").await;
    let company = marie.create_company(1, &siret(107), "open", &[]).await;
    let cid = company.to_string();
    add_participants(&mut marie, &[("paul@cabinet-m7.fr", "Paul", "Martin")]).await;

    let mut jean = marie.new_client();
    jean.sign_up("Jean", "Dupont", "jean@ailleurs-m7.fr").await;
    jean.json("wizard/start", &[("session_id", "1")]).await;
    let company_siret = siret(107);
    jean.json("wizard/structure", &[("kind", "salarie"), ("mode", "existing"), ("existing_siret", company_siret.as_str()), ("company[legal_name]", "")]).await;
    add_participants(&mut jean, &[("jean@ailleurs-m7.fr", "", "")]).await;
    let cart = jean.json("orders/cart", &[("company_id", cid.as_str())]).await;
    assert_eq!(cart["lines"].as_array().unwrap().len(), 1);
    assert!(cart["firm"].is_null(), "a registrant without a role sees nobody else's cart: {cart}");
    assert!(!cart.to_string().contains("Paul"));
    // Marie sees both carts.
    let cart = marie.json("orders/cart", &[("company_id", cid.as_str())]).await;
    let owners: Vec<&str> = cart["firm"].as_array().unwrap().iter().map(|l| l["owner"].as_str().unwrap()).collect();
    assert_eq!(owners.len(), 2);
    assert!(owners.contains(&"Jean Dupont") && owners.contains(&"Marie Durand"), "{owners:?}");
}
