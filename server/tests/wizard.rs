//! The first-inscription wizard through the real router, on SQLite or PostgreSQL.

mod common;

use axum::http::{header, StatusCode};
use common::{siret, TestApp};

async fn outbox_to(app: &TestApp, email: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE to_addr = $1 ORDER BY created_at")
        .bind(email)
        .fetch_all(app.db())
        .await
        .unwrap()
}

fn link_in(body: &str) -> String {
    let start = body.find("/invitation/").expect("an invitation link");
    body[start..].split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn restricted_company_from_first_registration_to_invitee_space() {
    let mut admin = TestApp::spawn().await;
    // An existing user who will be registered as a participant.
    let mut colleague = admin.new_client();
    colleague.sign_up("Paul", "Martin", "paul.martin@cabinet-test.fr").await;

    admin.sign_up("Marie", "Durand", "marie.durand@cabinet-test.fr").await;
    let company = admin
        .create_company(1, &siret(1), "restricted", &[("lea.petit@cabinet-test.fr", "Léa", "Petit", &["role_training"])])
        .await;

    // Participants: an existing account and an invited email.
    admin
        .json("wizard/participants", &[("op", "add"), ("email", "paul.martin@cabinet-test.fr"), ("first_name", "Paul"), ("last_name", "Martin")])
        .await;
    admin
        .json("wizard/participants", &[("op", "add"), ("email", "nina.roux@cabinet-test.fr"), ("first_name", "Nina"), ("last_name", "Roux")])
        .await;
    let v = admin.wizard("participants").await;
    let participants = v["draft"]["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 2);
    assert_eq!(participants[0]["has_account"], true);
    assert_eq!(participants[1]["has_account"], false);
    let (_, headers, _) =
        admin.call("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/termine");
    let spaces = admin.json("spaces/mine", &[]).await;
    assert!(spaces["companies"][0]["registrations"].as_array().unwrap().iter().all(|r| r["status"] == "panier"));
    // The participant without an account is invited as soon as she is added.
    let invited = outbox_to(&admin, "nina.roux@cabinet-test.fr").await;
    assert_eq!(invited.len(), 1);
    assert!(invited[0].0.starts_with("Invitation : votre inscription"), "{:?}", invited[0]);
    assert!(outbox_to(&admin, "paul.martin@cabinet-test.fr").await.iter().all(|(s, _)| !s.starts_with("Inscription")), "an account holder is told at the order");
    admin.validate_cart(company).await;

    // Mes espaces: the company space lists both registrations, "en attente".
    let spaces = admin.json("spaces/mine", &[]).await;
    let space = &spaces["companies"][0];
    assert_eq!(space["id"].as_i64(), Some(company));
    assert_eq!(space["roles"], serde_json::json!(["Admin"]));
    let regs = space["registrations"].as_array().unwrap();
    assert_eq!(regs.len(), 2);
    assert!(regs.iter().all(|r| r["status"] == "en_attente"));
    // Seats: session 1 had 3 taken.
    let (taken,): (i64,) = sqlx::query_as("SELECT seats_taken FROM training_sessions WHERE id = 1").fetch_one(admin.db()).await.unwrap();
    assert_eq!(taken, 5);

    // The existing participant sees it in his own space.
    let paul = colleague.json("spaces/mine", &[]).await;
    assert_eq!(paul["own_trainings"].as_array().unwrap().len(), 1);
    assert!(paul["companies"].as_array().unwrap().is_empty(), "a participant holds no right on the company");

    // The invitee follows the link, sets a password and sees his training.
    // The order tells her again, without a second invitation: the first link is hers.
    let mails = outbox_to(&admin, "nina.roux@cabinet-test.fr").await;
    assert_eq!(mails.len(), 2);
    assert_eq!(mails.iter().filter(|(_, b)| b.contains("/invitation/")).count(), 1);
    let link = link_in(&invited[0].1);
    let token = link.trim_start_matches("/invitation/");
    let mut nina = admin.new_client();
    let (status, page) = nina.get(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("nina.roux@cabinet-test.fr"));
    let (_, headers, _) =
        nina.call("invitation/accept", &[("token", token), ("password", "un-mot-de-passe"), ("password_confirm", "un-mot-de-passe")]).await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/espaces");
    let own = nina.json("spaces/mine", &[]).await;
    assert_eq!(own["own_trainings"][0]["status"], "en_attente");
    assert_eq!(own["own_trainings"][0]["training_title"], "Actualité des normes d'exercice professionnel (NEP)");
    // The link works once.
    let mut again = admin.new_client();
    let (status, _, body) =
        again.call("invitation/accept", &[("token", token), ("password", "un-mot-de-passe"), ("password_confirm", "un-mot-de-passe")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Rights were recorded.
    let (grants,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE company_id = $1 AND action = 'grant.add'")
        .bind(company)
        .fetch_one(admin.db())
        .await
        .unwrap();
    assert_eq!(grants, 2);
}

#[tokio::test]
async fn restricted_mode_refuses_a_non_listed_user_and_names_nobody() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-a.fr").await;
    let company_siret = siret(2);
    admin.create_company(1, &company_siret, "restricted", &[("lea@cabinet-a.fr", "Léa", "Petit", &["role_training"])]).await;

    let mut stranger = admin.new_client();
    stranger.sign_up("Jean", "Dupont", "jean@ailleurs.fr").await;
    stranger.json("wizard/start", &[("session_id", "4")]).await;
    stranger
        .json(
            "wizard/structure",
            &[("kind", "salarie"), ("mode", "existing"), ("existing_siret", company_siret.as_str()), ("company[legal_name]", "")],
        )
        .await;
    let v = stranger.wizard("structure").await;
    assert_eq!(v["step"], "Structure");
    let notice = v["draft"]["notice"].as_str().unwrap();
    assert!(notice.contains("réservées aux personnes habilitées"), "{notice}");
    assert!(!notice.contains("Marie") && !notice.contains("Durand"), "the refusal names an administrator: {notice}");
    assert!(v["draft"]["company_id"].is_null());
    // And the participants step cannot be forced.
    let (status, _, _) = stranger.call("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The listed training manager may register once he has an account.
    let mut lea = admin.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-a.fr").await;
    lea.json("wizard/start", &[("session_id", "4")]).await;
    let mine = lea.wizard("structure").await;
    let company_id = mine["my_companies"][0]["id"].as_i64().unwrap().to_string();
    let (_, headers, _) = lea
        .call(
            "wizard/structure",
            &[("kind", "salarie"), ("mode", "existing"), ("existing_company_id", company_id.as_str()), ("existing_siret", ""), ("company[legal_name]", "")],
        )
        .await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/participants");
    let v = lea.wizard("participants").await;
    let directory: Vec<&str> = v["directory"].as_array().unwrap().iter().map(|p| p["email"].as_str().unwrap()).collect();
    assert!(directory.contains(&"marie@cabinet-a.fr") && directory.contains(&"lea@cabinet-a.fr"));
    lea.json("wizard/participants", &[("op", "add_directory"), ("directory_email", "marie@cabinet-a.fr"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    let (_, headers, _) = lea.call("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/termine");
}

#[tokio::test]
async fn open_mode_lets_any_user_register_for_the_company() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-b.fr").await;
    let company_siret = siret(3);
    admin.create_company(1, &company_siret, "open", &[]).await;

    let mut anyone = admin.new_client();
    anyone.sign_up("Jean", "Dupont", "jean@ailleurs.fr").await;
    anyone.json("wizard/start", &[("session_id", "4")]).await;
    let (status, headers, body) = anyone
        .call("wizard/structure", &[("kind", "salarie"), ("mode", "existing"), ("existing_siret", company_siret.as_str()), ("company[legal_name]", "")])
        .await;
    assert!(status.is_success(), "{body}");
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/participants");
    anyone.json("wizard/participants", &[("op", "add"), ("email", "jean@ailleurs.fr"), ("first_name", ""), ("last_name", "")]).await;
    let (_, headers, _) = anyone.call("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/termine");
    // He holds no right: the company's registrations are not his to see.
    let spaces = anyone.json("spaces/mine", &[]).await;
    assert!(spaces["companies"].as_array().unwrap().is_empty());
    assert_eq!(spaces["own_trainings"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_siret_and_email_get_french_messages_and_keep_the_other_answers() {
    let mut app = TestApp::spawn().await;
    app.sign_up("Marie", "Durand", "marie@cabinet-c.fr").await;
    app.json("wizard/start", &[("session_id", "1")]).await;
    // Without JavaScript: the browser is sent back to the step, which shows the answers.
    let (status, headers, _) = app
        .post_form(
            "wizard/structure",
            &[
                ("kind", "dirigeant"),
                ("mode", "new"),
                ("existing_siret", ""),
                ("company[legal_name]", "Cabinet Erreur"),
                ("company[legal_form]", "SARL"),
                ("company[siret]", "12345678901234"),
                ("company[vat_number]", ""),
                ("company[address_line]", "5 rue du Port"),
                ("company[postal_code]", "44000"),
                ("company[city]", "Nantes"),
            ],
            "/inscription/structure",
        )
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert!(headers.get(header::LOCATION).unwrap().to_str().unwrap().starts_with("http://portail.test/inscription/structure"));
    let (status, page) = app.get("/inscription/structure").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("sa clé de contrôle est fausse"), "no SIRET message");
    for kept in ["Cabinet Erreur", "5 rue du Port", "44000", "Nantes", "12345678901234"] {
        assert!(page.contains(kept), "{kept} lost");
    }
    assert!(page.contains(r#"aria-invalid="true""#));

    // A bad email in the rights step, same treatment.
    let good = siret(4);
    app.json(
        "wizard/structure",
        &[
            ("kind", "dirigeant"),
            ("mode", "new"),
            ("existing_siret", ""),
            ("company[legal_name]", "Cabinet Erreur"),
            ("company[legal_form]", "SARL"),
            ("company[siret]", good.as_str()),
            ("company[vat_number]", ""),
            ("company[address_line]", "5 rue du Port"),
            ("company[postal_code]", "44000"),
            ("company[city]", "Nantes"),
        ],
    )
    .await;
    app.json("wizard/admin", &[("attest", "on"), ("op", "next")]).await;
    app.json(
        "wizard/rights",
        &[("op", "add"), ("policy", "restricted"), ("email", "lea@"), ("first_name", "Léa"), ("last_name", "Petit"), ("role_billing", "on")],
    )
    .await;
    let (_, page) = app.get("/inscription/droits").await;
    assert!(page.contains("Adresse e-mail invalide"));
    assert!(page.contains("Léa") && page.contains("Petit") && page.contains("lea@"));
    // Reload: every answer of the earlier steps is still there.
    let (_, page) = app.get("/inscription/structure").await;
    assert!(page.contains("Cabinet Erreur") && page.contains(good.as_str()));
}

#[tokio::test]
async fn a_visitor_logs_in_in_the_middle_and_loses_nothing() {
    let mut app = TestApp::spawn().await;
    let mut existing = app.new_client();
    existing.sign_up("Marie", "Durand", "marie@cabinet-d.fr").await;

    // Not logged in: INSCRIPTION leads to the log-in step, with the session kept.
    let (_, headers, _) = app.call("wizard/start", &[("session_id", "1")]).await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/connexion");
    let before = app.session_cookie().unwrap().to_string();
    // A wrong password and an unknown email get the same answer.
    app.call("account/login", &[("email", "marie@cabinet-d.fr"), ("password", "mauvais-mot-de-passe"), ("next", "/inscription/structure")]).await;
    let wrong = app.json("account/login-state", &[]).await;
    app.call("account/login", &[("email", "personne@nulle-part.fr"), ("password", "mauvais-mot-de-passe"), ("next", "/inscription/structure")]).await;
    let unknown = app.json("account/login-state", &[]).await;
    assert_eq!(wrong["errors"], unknown["errors"]);
    let (_, headers, _) = app
        .call("account/login", &[("email", "marie@cabinet-d.fr"), ("password", "mot-de-passe-solide"), ("next", "/inscription/structure")])
        .await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/structure");
    // Rotated session id, same registration in progress.
    assert_ne!(app.session_cookie().unwrap(), before);
    let v = app.wizard("structure").await;
    assert_eq!(v["step"], "Structure");
    assert_eq!(v["draft"]["session_id"], 1);
    // The old session id is dead.
    let (old,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM auth_sessions WHERE token_hash = $1")
        .bind(app::server::sessions::hash_token(&before))
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(old, 0);
}

#[tokio::test]
async fn a_full_session_cannot_be_chosen() {
    let mut app = TestApp::spawn().await;
    let (status, _, body) = app.call("wizard/start", &[("session_id", "3")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("complète"));
    let (_, page) = app.get("/formations/1").await;
    assert!(page.contains("Session complète"));
    // Without JavaScript the refusal is shown on the page the browser is sent back to.
    let (status, _, _) = app.post_form("wizard/start", &[("session_id", "3")], "/formations/1").await;
    assert_eq!(status, StatusCode::FOUND);
    let (_, page) = app.get("/formations/1").await;
    assert!(page.contains("est complète : choisissez une autre date"), "no message after a plain form post");
    let (_, page) = app.get("/formations/1").await;
    assert!(!page.contains("est complète : choisissez une autre date"), "the message is shown once");
    assert!(page.contains("1 place"), "the nearly full session shows its last seat");
}

fn structure_form<'a>(kind: &'a str, siret: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", kind),
        ("mode", "new"),
        ("existing_siret", ""),
        ("company[legal_name]", "Cabinet Lefèvre"),
        ("company[legal_form]", "EI"),
        ("company[siret]", siret),
        ("company[vat_number]", ""),
        ("company[address_line]", "4 rue Gambetta"),
        ("company[postal_code]", "33000"),
        ("company[city]", "Bordeaux"),
    ]
}

#[tokio::test]
async fn an_independent_is_his_own_structure_and_its_administrator() {
    let mut me = TestApp::spawn().await;
    me.sign_up("Hélène", "Lefèvre", "helene@lefevre-audit.fr").await;
    me.json("wizard/start", &[("session_id", "1")]).await;
    let company_siret = siret(70);
    // First as an executive who lists a colleague...
    me.json("wizard/structure", &structure_form("dirigeant", &company_siret)).await;
    me.json("wizard/admin", &[("attest", "on"), ("op", "next")]).await;
    me.json(
        "wizard/rights",
        &[("op", "add"), ("policy", "open"), ("email", "paul@lefevre-audit.fr"), ("first_name", "Paul"), ("last_name", "Roux"), ("role_admin", "on")],
    )
    .await;
    // ...then she comes back and answers "indépendant": straight to the parameters.
    let (_, headers, _) = me.call("wizard/structure", &structure_form("independant", &company_siret)).await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/parametres");
    // The rights and the declaration are not her steps: asked for, they give the review.
    for skipped in ["droits", "administrateur"] {
        assert_eq!(me.wizard(skipped).await["step"], "Review", "{skipped}");
    }
    let v = me.wizard("parametres").await;
    assert_eq!(v["draft"]["kind"], "Independent");
    // Her key contacts can only be herself (the colleague listed before is not kept).
    let mut form: Vec<(String, String)> = v["draft"]["settings"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (format!("settings[{k}]"), v.as_str().unwrap_or("").to_string()))
        .collect();
    for (k, v) in form.iter_mut() {
        if k == "settings[billing_contact]" {
            *v = "paul@lefevre-audit.fr".into();
        }
    }
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).chain([("op", "finalise")]).collect();
    me.json("wizard/review", &refs).await;
    let v = me.wizard("parametres").await;
    assert_eq!(v["step"], "Review");
    assert_eq!(v["draft"]["errors"]["billing_contact"], "Choisissez une personne de l'annuaire.");
    // "Précédent" goes back to the structure, not to the rights.
    let back: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).chain([("op", "back")]).collect();
    let (_, headers, _) = me.call("wizard/review", &back).await;
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/inscription/structure");
    let refs: Vec<(&str, &str)> = form
        .iter()
        .map(|(k, v)| (k.as_str(), if k == "settings[billing_contact]" { "helene@lefevre-audit.fr" } else { v.as_str() }))
        .chain([("op", "finalise")])
        .collect();
    me.json("wizard/review", &refs).await;

    // Created, with her alone as administrator, restricted, and her answer kept.
    let v = me.wizard("participants").await;
    assert_eq!(v["step"], "Participants", "{v}");
    let company = v["draft"]["company_id"].as_i64().expect("created");
    let grants: Vec<(String, String)> =
        sqlx::query_as("SELECT email, role FROM grants WHERE company_id = $1").bind(company).fetch_all(me.db()).await.unwrap();
    assert_eq!(grants, vec![("helene@lefevre-audit.fr".to_string(), "admin".to_string())]);
    let (policy, kind): (String, Option<String>) =
        sqlx::query_as("SELECT registration_policy, registrant_kind FROM companies WHERE id = $1").bind(company).fetch_one(me.db()).await.unwrap();
    assert_eq!((policy.as_str(), kind.as_deref()), ("restricted", Some("independant")));
    let (contacts,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM key_contacts k JOIN collaborators c ON c.id = k.collaborator_id WHERE k.company_id = $1 AND c.email = $2",
    )
    .bind(company)
    .bind("helene@lefevre-audit.fr")
    .fetch_one(me.db())
    .await
    .unwrap();
    assert_eq!(contacts, 3);
    // She is her first participant.
    let participants = v["draft"]["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 1);
    assert_eq!(participants[0]["email"], "helene@lefevre-audit.fr");
    let cid = company.to_string();
    let home = me.json("company/home", &[("company_id", cid.as_str())]).await;
    assert_eq!(home["roles"], serde_json::json!(["Admin"]));
}

#[tokio::test]
async fn the_rights_step_shows_the_example_of_rights() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie.durand@cabinet-test.fr").await;
    admin.wizard_to_review(1, &siret(71), "restricted", &[]).await;
    let (status, page) = admin.get("/inscription/droits").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Exemple de mise en place des droits"));
    assert!(page.contains("A minima seul le rôle d") && page.contains("Peut inscrire les participants."));
    // And the review names the key contacts to choose.
    let (_, page) = admin.get("/inscription/parametres").await;
    assert!(page.contains("Interlocuteur direction") && page.contains("Interlocuteur facturation"));
}
