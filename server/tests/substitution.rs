//! "Remplacer le participant" (issue 13): before the session, a manager of the firm
//! replaces the participant of a registration by another person of the firm. The seat,
//! the order and the issued invoice stay (same number, same lines); the documents
//! generated afterwards (agreement, completion certificate) name the person who attends;
//! the new participant sees the registration in Mes espaces, the former one no longer.

mod common;

use axum::http::StatusCode;
use common::{pdf_text, siret, TestApp};

fn year() -> i32 {
    app::server::db::today().year
}

/// Registers `people` (e-mail, first name, last name; empty names: the registrant
/// himself) on the session through the wizard, then validates the cart.
async fn register(admin: &mut TestApp, company: i64, people: &[(&str, &str, &str)]) {
    for (email, first, last) in people {
        admin.json("wizard/participants", &[("op", "add"), ("email", email), ("first_name", first), ("last_name", last)]).await;
    }
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;
}

async fn registration_of(app: &TestApp, session: i64, email: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM registrations WHERE session_id = $1 AND participant_email = $2")
        .bind(session)
        .bind(email)
        .fetch_one(app.db())
        .await
        .unwrap();
    id
}

/// (participant e-mail, status, order id) of a registration.
async fn row(app: &TestApp, id: i64) -> (String, String, Option<i64>) {
    sqlx::query_as("SELECT participant_email, status, order_id FROM registrations WHERE id = $1").bind(id).fetch_one(app.db()).await.unwrap()
}

async fn own_registrations(client: &mut TestApp) -> Vec<i64> {
    let spaces = client.json("spaces/mine", &[]).await;
    spaces["own_trainings"].as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect()
}

/// Mails to `to` whose subject starts with `subject`: their bodies.
async fn mails(app: &TestApp, to: &str, subject: &str) -> Vec<String> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT subject, body FROM outbox WHERE to_addr = $1 ORDER BY created_at, id")
        .bind(to)
        .fetch_all(app.db())
        .await
        .unwrap();
    rows.into_iter().filter(|(s, _)| s.starts_with(subject)).map(|(_, b)| b).collect()
}

fn substitute_form<'a>(company: &'a str, registration: &'a str, directory: &'a str, person: (&'a str, &'a str, &'a str)) -> Vec<(&'a str, &'a str)> {
    vec![
        ("company_id", company),
        ("registration_id", registration),
        ("directory_email", directory),
        ("email", person.0),
        ("first_name", person.1),
        ("last_name", person.2),
    ]
}

#[tokio::test]
async fn a_substitution_keeps_the_invoice_and_the_certificate_names_who_attends() {
    let mut admin = TestApp::spawn().await;
    let mut paul = admin.new_client();
    paul.sign_up("Paul", "Martin", "paul@cabinet-sub.fr").await;
    let mut lea = admin.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-sub.fr").await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-sub.fr").await;
    let company = admin.create_company(1, &siret(90), "restricted", &[]).await;
    register(&mut admin, company, &[("paul@cabinet-sub.fr", "Paul", "Martin")]).await;
    let reg = registration_of(&admin, 1, "paul@cabinet-sub.fr").await;
    let (_, _, order) = row(&admin, reg).await;
    assert!(order.is_some());
    assert_eq!(own_registrations(&mut paul).await, vec![reg]);

    // The provider confirms the session and invoices the order.
    let mut olivier = admin.provider_staff("olivier@crcc-sub.fr", 1).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;
    let invoice_op = format!("invoice:{}", order.unwrap());
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", invoice_op.as_str())]).await;
    let number = format!("FA-{}-000001", year());
    let (invoice_id,): (i64,) = sqlx::query_as("SELECT id FROM invoices WHERE number = $1").bind(&number).fetch_one(admin.db()).await.unwrap();
    let seats_before: (i64,) = sqlx::query_as("SELECT seats_taken FROM training_sessions WHERE id = 1").fetch_one(admin.db()).await.unwrap();

    // Léa (an account, not yet in the directory) replaces Paul.
    let (cid, rid) = (company.to_string(), reg.to_string());
    admin.json("company/registrations/substitute", &substitute_form(&cid, &rid, "", ("lea@cabinet-sub.fr", "Léa", "Petit"))).await;

    // Same row, same order, same seat count; the invoice untouched, no credit note.
    let (email, status, order_after) = row(&admin, reg).await;
    assert_eq!((email.as_str(), status.as_str(), order_after), ("lea@cabinet-sub.fr", "confirmee", order));
    let seats_after: (i64,) = sqlx::query_as("SELECT seats_taken FROM training_sessions WHERE id = 1").fetch_one(admin.db()).await.unwrap();
    assert_eq!(seats_before, seats_after);
    let invoices: Vec<(String, i64)> = sqlx::query_as("SELECT number, total_ttc_cents FROM invoices ORDER BY seq").fetch_all(admin.db()).await.unwrap();
    assert_eq!(invoices.len(), 1, "{invoices:?}");
    assert_eq!(invoices[0].0, number);
    let (label,): (String,) = sqlx::query_as("SELECT label FROM invoice_lines WHERE invoice_id = $1 AND registration_id = $2")
        .bind(invoice_id)
        .bind(reg)
        .fetch_one(admin.db())
        .await
        .unwrap();
    assert!(label.ends_with("— Paul Martin"), "the issued invoice names whom it billed: {label}");
    let text = pdf_text(&admin.download(&format!("/documents/facture/{invoice_id}")).await.1);
    assert!(text.contains(&format!("Facture n° {number}")) && text.contains("Paul Martin"), "{text}");

    // Mes espaces: Léa has it, Paul no longer.
    assert_eq!(own_registrations(&mut lea).await, vec![reg]);
    assert!(own_registrations(&mut paul).await.is_empty());

    // Léa is in the directory; the change is in the audit log and the history.
    let (in_directory,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM collaborators WHERE company_id = $1 AND email = 'lea@cabinet-sub.fr'")
        .bind(company)
        .fetch_one(admin.db())
        .await
        .unwrap();
    assert_eq!(in_directory, 1);
    let audited: Vec<(String, String)> =
        sqlx::query_as("SELECT before_json, after_json FROM audit_log WHERE company_id = $1 AND action = 'registration.substitute'")
            .bind(company)
            .fetch_all(admin.db())
            .await
            .unwrap();
    assert_eq!(audited.len(), 1);
    assert!(audited[0].0.contains("paul@cabinet-sub.fr") && audited[0].1.contains("lea@cabinet-sub.fr"), "{audited:?}");
    let page = admin.json("company/registration", &[("company_id", cid.as_str()), ("registration_id", rid.as_str())]).await;
    let history: Vec<&str> = page["data"]["history"].as_array().unwrap().iter().map(|h| h["text"].as_str().unwrap()).collect();
    assert_eq!(history, ["Inscription de Paul Martin, par Marie Durand.", "Léa Petit remplace Paul Martin, par Marie Durand."]);
    assert_eq!(page["forms"][format!("remplacer-{reg}")]["notice"].as_str().map(|n| n.starts_with("Léa Petit remplace Paul Martin")), Some(true));
    let (status, html) = admin.get(&format!("/entreprise/{company}/inscriptions/{reg}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Historique de l&#x27;inscription") || html.contains("Historique de l'inscription"), "{html}");
    assert!(html.contains("Léa Petit remplace Paul Martin"), "{html}");
    let (_, home) = admin.get(&format!("/entreprise/{company}")).await;
    assert!(home.contains(&format!("/entreprise/{company}/inscriptions/{reg}/remplacer")) && home.contains("Remplacer le participant"));

    // The mails: Léa's convocation, Paul told, the provider's staff told.
    let convocation = mails(&admin, "lea@cabinet-sub.fr", "Convocation : ").await;
    assert_eq!(convocation.len(), 1);
    assert!(convocation[0].contains("à la place de Paul Martin") && convocation[0].contains("/espaces"), "{}", convocation[0]);
    assert!(convocation[0].contains("Horaires") && convocation[0].contains("confirmée"), "{}", convocation[0]);
    assert_eq!(mails(&admin, "paul@cabinet-sub.fr", "Remplacement : ").await.len(), 1);
    let told = mails(&admin, "olivier@crcc-sub.fr", "Changement de participant").await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains("Paul Martin (paul@cabinet-sub.fr)") && told[0].contains("Léa Petit (lea@cabinet-sub.fr)"), "{}", told[0]);

    // The agreement generated now names Léa, and whom she replaces.
    let text = pdf_text(&admin.download(&format!("/documents/convention/{reg}")).await.1);
    assert!(text.contains("- Léa Petit") && text.contains("Léa Petit remplace Paul Martin"), "{text}");

    // The session takes place: attendance, closing, certificate in Léa's name.
    let start = app::server::db::today().add_days(-10);
    sqlx::query("UPDATE training_sessions SET start_date = $1, end_date = $2 WHERE id = 1")
        .bind(start.iso())
        .bind(start.add_days(1).iso())
        .execute(admin.db())
        .await
        .unwrap();
    let marks: Vec<String> = (0..4).map(|h| format!("marks[r{reg}h{h}]")).collect();
    let mut form = vec![("session_id", "1")];
    form.extend(marks.iter().map(|k| (k.as_str(), "on")));
    olivier.json("provider/session/attendance", &form).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "close")]).await;
    let (status, bytes) = lea.download(&format!("/documents/certificat/{reg}")).await;
    assert_eq!(status, StatusCode::OK, "Léa gets her own certificate");
    let text = pdf_text(&bytes);
    assert!(text.contains("Certificat de réalisation") && text.contains("atteste que Léa Petit"), "{text}");
    assert!(text.contains("Léa Petit remplace Paul Martin"), "{text}");
    assert_eq!(paul.download(&format!("/documents/certificat/{reg}")).await.0, StatusCode::NOT_FOUND, "no longer Paul's");

    // Done: no more substitution; the invoice still has its number and its amount.
    let (status, _, body) = admin.call("company/registrations/substitute", &substitute_form(&cid, &rid, "", ("paul@cabinet-sub.fr", "Paul", "Martin"))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let after: Vec<(String, i64)> = sqlx::query_as("SELECT number, total_ttc_cents FROM invoices ORDER BY seq").fetch_all(admin.db()).await.unwrap();
    assert_eq!(after, invoices);
}

#[tokio::test]
async fn substitutions_are_refused_when_they_must_be() {
    let mut marie = TestApp::spawn().await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-ref.fr").await;
    let company = marie
        .create_company(
            1,
            &siret(91),
            "restricted",
            &[("tom@cabinet-ref.fr", "Tom", "Formation", &["role_training"]), ("bea@cabinet-ref.fr", "Béa", "Facture", &["role_billing"])],
        )
        .await;
    register(&mut marie, company, &[("paul@cabinet-ref.fr", "Paul", "Martin"), ("lea@cabinet-ref.fr", "Léa", "Petit")]).await;
    let paul_reg = registration_of(&marie, 1, "paul@cabinet-ref.fr").await;
    let lea_reg = registration_of(&marie, 1, "lea@cabinet-ref.fr").await;
    let mut tom = marie.new_client();
    tom.sign_up("Tom", "Formation", "tom@cabinet-ref.fr").await;
    let mut bea = marie.new_client();
    bea.sign_up("Béa", "Facture", "bea@cabinet-ref.fr").await;
    let mut paul = marie.new_client();
    paul.sign_up("Paul", "Martin", "paul@cabinet-ref.fr").await;
    // Another firm, with a registration of its own on the same session.
    let mut zoe = marie.new_client();
    zoe.sign_up("Zoé", "Autre", "zoe@autre-ref.fr").await;
    let other = zoe.create_company(1, &siret(92), "restricted", &[]).await;
    register(&mut zoe, other, &[("zoe@autre-ref.fr", "", "")]).await;
    let zoe_reg = registration_of(&marie, 1, "zoe@autre-ref.fr").await;

    let (cid, oid) = (company.to_string(), other.to_string());
    let (paul_id, lea_id, zoe_id) = (paul_reg.to_string(), lea_reg.to_string(), zoe_reg.to_string());
    let nina = ("nina@cabinet-ref.fr", "Nina", "Roux");
    let status = |r: (StatusCode, axum::http::HeaderMap, String)| r.0;

    // Who may not: the billing manager (refused by name), a participant without a role
    // and another firm's administrator (not found), another firm's registration.
    assert_eq!(status(bea.call("company/registrations/substitute", &substitute_form(&cid, &paul_id, "", nina)).await), StatusCode::FORBIDDEN);
    assert_eq!(status(paul.call("company/registrations/substitute", &substitute_form(&cid, &paul_id, "", nina)).await), StatusCode::NOT_FOUND);
    assert_eq!(status(zoe.call("company/registrations/substitute", &substitute_form(&cid, &paul_id, "", nina)).await), StatusCode::NOT_FOUND);
    assert_eq!(status(zoe.call("company/registrations/substitute", &substitute_form(&oid, &paul_id, "", nina)).await), StatusCode::NOT_FOUND);
    assert_eq!(status(tom.call("company/registrations/substitute", &substitute_form(&cid, &zoe_id, "", nina)).await), StatusCode::NOT_FOUND);
    let page = [("company_id", oid.as_str()), ("registration_id", paul_id.as_str())];
    assert_eq!(status(zoe.call("company/registration", &page).await), StatusCode::NOT_FOUND, "another firm's registration is not shown");
    // The same person, or someone registered on the session already.
    let (s, _, body) = tom.call("company/registrations/substitute", &substitute_form(&cid, &paul_id, "", ("PAUL@cabinet-ref.fr", "Paul", "Martin"))).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("déjà le participant"), "{body}");
    let (s, _, body) = tom.call("company/registrations/substitute", &substitute_form(&cid, &paul_id, "lea@cabinet-ref.fr", ("", "", ""))).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("déjà une inscription à cette session"), "{body}");
    let (s, _, body) = tom.call("company/registrations/substitute", &substitute_form(&cid, &paul_id, "", ("zoe@autre-ref.fr", "Zoé", "Autre"))).await;
    assert_eq!(s, StatusCode::CONFLICT, "another firm's participant of the session: {body}");
    // A cancelled registration.
    tom.json("company/registrations/cancel", &[("company_id", cid.as_str()), ("registration_id", lea_id.as_str())]).await;
    let (s, _, body) = tom.call("company/registrations/substitute", &substitute_form(&cid, &lea_id, "", nina)).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("annulée"), "{body}");
    // A form without a person, or with a wrong address: answered on the form, nothing done.
    tom.json("company/registrations/substitute", &substitute_form(&cid, &paul_id, "", ("", "", ""))).await;
    tom.json("company/registrations/substitute", &substitute_form(&cid, &paul_id, "", ("pas-une-adresse", "Nina", "Roux"))).await;
    let view = tom.json("company/registration", &[("company_id", cid.as_str()), ("registration_id", paul_id.as_str())]).await;
    let errors = &view["forms"][format!("remplacer-{paul_reg}")]["errors"];
    assert!(errors["email"].is_string(), "{view}");
    assert_eq!(view["forms"][format!("remplacer-{paul_reg}")]["values"]["first_name"], "Nina");
    assert_eq!(view["data"]["may_manage"], true);
    assert!(view["data"]["directory"].as_array().unwrap().iter().all(|p| p[0] != "paul@cabinet-ref.fr"), "the participant is not offered");
    // The billing manager sees the registration and its history, without the form.
    let seen = bea.json("company/registration", &[("company_id", cid.as_str()), ("registration_id", paul_id.as_str())]).await;
    assert_eq!(seen["data"]["may_manage"], false);
    assert!(seen["data"]["directory"].as_array().unwrap().is_empty());
    // Nothing changed so far.
    assert_eq!(row(&marie, paul_reg).await.0, "paul@cabinet-ref.fr");
    let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM registration_events").fetch_one(marie.db()).await.unwrap();
    assert_eq!(events, 0);

    // The training manager, without JavaScript: a new person, invited as she has no
    // account; the page shows the answer.
    let path = format!("/entreprise/{company}/inscriptions/{paul_reg}/remplacer");
    let (s, headers, _) = tom.post_form("company/registrations/substitute", &substitute_form(&cid, &paul_id, "", nina), &path).await;
    assert!(s.is_redirection(), "{s}");
    let location = headers.get("location").unwrap().to_str().unwrap();
    assert!(location.contains(&path), "{location}");
    let (_, html) = tom.get(&path).await;
    assert!(html.contains("Nina Roux remplace Paul Martin : la place, la commande et la facture sont conservées."), "{html}");
    assert_eq!(row(&marie, paul_reg).await.0, "nina@cabinet-ref.fr");
    let invitation = mails(&marie, "nina@cabinet-ref.fr", "Convocation : ").await;
    assert!(invitation.len() == 1 && invitation[0].contains("/invitation/"), "{invitation:?}");
    // Nina then replaced by Paul again, from the directory (he was the first participant).
    tom.json("company/registrations/substitute", &substitute_form(&cid, &paul_id, "paul@cabinet-ref.fr", ("", "", ""))).await;
    assert_eq!(row(&marie, paul_reg).await.0, "paul@cabinet-ref.fr");

    // The session has started: refused, even a day after.
    sqlx::query("UPDATE training_sessions SET start_date = $1 WHERE id = 1").bind(app::server::db::today().iso()).execute(marie.db()).await.unwrap();
    let (s, _, body) = tom.call("company/registrations/substitute", &substitute_form(&cid, &paul_id, "", nina)).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("a commencé"), "{body}");
    let page = tom.json("company/registration", &[("company_id", cid.as_str()), ("registration_id", paul_id.as_str())]).await;
    assert!(page["data"]["refusal"].as_str().unwrap().contains("a commencé"));
    let (_, html) = tom.get(&path).await;
    assert!(!html.contains("name=\"directory_email\""), "no form once the session started");
    assert_eq!(row(&marie, paul_reg).await.0, "paul@cabinet-ref.fr");
}
