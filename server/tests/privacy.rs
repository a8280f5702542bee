//! Personal data (issue 10, point 6): the export holds the person's own data and nothing
//! of anyone else's, erasure keeps what the law keeps (invoices, certificates) and locks
//! the person out, an administrator erases a former collaborator or only detaches him,
//! and the daily purge removes what it should and nothing else.

mod common;

use axum::http::{header, StatusCode};
use common::{pdf_text, siret, TestApp};
use std::io::Read;

/// The files of a zip, by name.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().to_string(), text)
        })
        .collect()
}

/// A firm (Marie, its administrator) whose two participants, Marie and Paul, attended
/// session 1 and answered its questionnaire; the session is closed (certificates) and
/// invoiced (a down payment and the invoice). Returns the clients, the company and the
/// registrations (Paul's, Marie's).
async fn attended_session(tag: u32) -> (TestApp, TestApp, TestApp, i64, i64, i64) {
    let mut marie = TestApp::spawn().await;
    let mut paul = marie.new_client();
    let (paul_email, marie_email) = (format!("paul@cabinet-{tag}.fr"), format!("marie@cabinet-{tag}.fr"));
    paul.sign_up("Paul", "Martin", &paul_email).await;
    marie.sign_up("Marie", "Durand", &marie_email).await;
    let company = marie.create_company(1, &siret(tag), "restricted", &[]).await;
    for (email, first, last) in [(marie_email.as_str(), "", ""), (paul_email.as_str(), "Paul", "Martin")] {
        marie.json("wizard/participants", &[("op", "add"), ("email", email), ("first_name", first), ("last_name", last)]).await;
    }
    marie.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    marie.validate_cart(company).await;
    let cid = company.to_string();
    let order_id = marie.json("orders/list", &[("company_id", cid.as_str())]).await["orders"]["items"][0]["id"].as_i64().unwrap();
    let regs = marie.json("company/home", &[("company_id", cid.as_str())]).await["registrations"]["items"].clone();
    let id_of = |email: &str| regs.as_array().unwrap().iter().find(|r| r["participant_email"] == email).unwrap()["id"].as_i64().unwrap();
    let (paul_reg, marie_reg) = (id_of(&paul_email), id_of(&marie_email));

    let mut olivier = marie.provider_staff(&format!("olivier@crcc-{tag}.fr"), 1).await;
    let down = format!("downpayment:{order_id}");
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", down.as_str())]).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;
    let invoice = format!("invoice:{order_id}");
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", invoice.as_str())]).await;
    // The session took place: attendance, then closed.
    sqlx::query("UPDATE training_sessions SET start_date = '2026-01-05', end_date = '2026-01-06' WHERE id = 1").execute(marie.db()).await.unwrap();
    let marks: Vec<String> = [paul_reg, marie_reg].iter().flat_map(|r| (0..4).map(move |h| format!("marks[r{r}h{h}]"))).collect();
    let mut form: Vec<(&str, &str)> = vec![("session_id", "1")];
    form.extend(marks.iter().map(|k| (k.as_str(), "on")));
    olivier.json("provider/session/attendance", &form).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "close")]).await;
    for (client, reg, comment) in [(&mut paul, paul_reg, "Commentaire de Paul"), (&mut marie, marie_reg, "Commentaire de Marie")] {
        let r = reg.to_string();
        client
            .json(
                "survey/answer",
                &[("registration_id", r.as_str()), ("content", "5"), ("trainer", "4"), ("organisation", "3"), ("overall", "4"), ("comment", comment)],
            )
            .await;
    }
    (marie, paul, olivier, company, paul_reg, marie_reg)
}

#[tokio::test]
async fn the_export_holds_the_persons_own_data_and_nothing_of_another() {
    let (marie, mut paul, _olivier, _company, paul_reg, marie_reg) = attended_session(90).await;

    let started = std::time::Instant::now();
    let (status, bytes) = paul.download("/mon-compte/mes-donnees.zip").await;
    let took = started.elapsed();
    assert_eq!(status, StatusCode::OK);
    println!("export of a seeded person: {} bytes in {took:?}", bytes.len());
    assert!(took < std::time::Duration::from_secs(5), "the export took {took:?}");
    let files = unzip(&bytes);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert!(names.contains(&"mes-donnees.json") && names.contains(&"inscriptions.csv") && names.contains(&"questionnaires.csv"), "{names:?}");
    let json: serde_json::Value = serde_json::from_str(&files["mes-donnees.json"]).unwrap();
    assert_eq!(json["account"]["email"], "paul@cabinet-90.fr");
    assert!(json["account"].get("password_hash").is_none() && !files["mes-donnees.json"].contains("argon2"), "no password hash");
    // His registration, with its certificate; his answer; his attendance.
    let regs = json["registrations"].as_array().unwrap();
    assert_eq!(regs.len(), 1);
    assert_eq!(regs[0]["id"], paul_reg);
    assert_eq!(regs[0]["certificate"], format!("/documents/certificat/{paul_reg}"));
    assert_eq!(regs[0]["minutes_attended"], 14 * 60);
    assert_eq!(json["answers"][0]["registration_id"], paul_reg);
    assert_eq!(json["answers"][0]["comment"], "Commentaire de Paul");
    assert_eq!(json["attendance"].as_array().unwrap().len(), 4);
    assert!(json["mails"].as_array().unwrap().iter().any(|m| m["subject"] == "Confirmez votre adresse e-mail"), "mails sent to him");
    assert!(files["inscriptions.csv"].contains(&format!("/documents/certificat/{paul_reg}")));
    assert!(files["questionnaires.csv"].contains("Commentaire de Paul"));
    // Nothing of Marie, in any file.
    for (name, text) in &files {
        assert!(!text.contains("marie@cabinet-90.fr") && !text.contains("Commentaire de Marie"), "Marie's data in {name}");
        assert!(!text.contains(&format!("/documents/certificat/{marie_reg}")), "Marie's certificate in {name}");
    }
    assert!(!files["mes-donnees.json"].contains(&format!("\"registration_id\": {marie_reg}")));

    // An account whose address nobody proved exports its own row only, even though a
    // registration names that address.
    let mut zoe = marie.new_client();
    sqlx::query("UPDATE registrations SET participant_email = 'zoe@cabinet-90.fr' WHERE id = $1").bind(paul_reg).execute(marie.db()).await.unwrap();
    zoe.sign_up_unconfirmed("Zoé", "Petit", "zoe@cabinet-90.fr").await;
    let (status, bytes) = zoe.download("/mon-compte/mes-donnees.zip").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&unzip(&bytes)["mes-donnees.json"]).unwrap();
    assert_eq!(json["account"]["email"], "zoe@cabinet-90.fr");
    assert_eq!(json["address_proven"], false);
    assert!(json["registrations"].as_array().unwrap().is_empty() && json["mails"].as_array().unwrap().is_empty());

    // A visitor is sent to the log-in.
    let mut visitor = marie.new_client();
    let req = axum::http::Request::get("/mon-compte/mes-donnees.zip").header(header::HOST, common::HOST).body(axum::body::Body::empty()).unwrap();
    let (status, headers, _) = visitor.raw(req).await;
    assert!(status.is_redirection(), "{status}");
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/connexion?next=/mon-compte");
}

/// The text of every invoice of the company and of the person's certificate.
async fn documents_text(client: &mut TestApp, company: i64, registration: i64) -> Vec<String> {
    let invoices: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM invoices WHERE company_id = $1 ORDER BY seq").bind(company).fetch_all(client.db()).await.unwrap();
    assert_eq!(invoices.len(), 2, "a down payment and the invoice");
    let mut out = vec![];
    for path in invoices.iter().map(|(id,)| format!("/documents/facture/{id}")).chain([format!("/documents/certificat/{registration}")]) {
        let (status, bytes) = client.download(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        out.push(pdf_text(&bytes));
    }
    out
}

#[tokio::test]
async fn erasure_keeps_every_invoice_and_locks_the_person_out() {
    let (mut marie, mut paul, _olivier, company, paul_reg, _) = attended_session(91).await;
    let before = documents_text(&mut marie, company, paul_reg).await;
    assert!(before[2].contains("Paul Martin"), "the certificate names him");

    // The current password is asked.
    let (status, _, body) = paul.call("account/delete", &[("current_password", "pas-le-bon"), ("confirm", "on")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("mot de passe actuel est incorrect"), "{body}");
    let (status, _, _) = paul.call("account/delete", &[("current_password", "mot-de-passe-solide")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the confirmation box");
    // The company's last administrator may not leave it without one.
    let (status, _, body) = marie.call("account/delete", &[("current_password", "mot-de-passe-solide"), ("confirm", "on")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("dernier administrateur"), "{body}");

    let (status, headers, body) = paul.call("account/delete", &[("current_password", "mot-de-passe-solide"), ("confirm", "on")]).await;
    assert!(status.is_success(), "{status} {body}");
    assert_eq!(headers.get(header::LOCATION).unwrap(), app::api::privacy::AFTER_ERASURE);
    assert_eq!(paul.json("account/me", &[]).await, serde_json::Value::Null, "logged out");
    let (_, headers, _) =
        paul.call("account/login", &[("email", "paul@cabinet-91.fr"), ("password", "mot-de-passe-solide"), ("next", "/espaces")]).await;
    assert!(headers.get(header::LOCATION).is_none(), "he can no longer log in");

    // Invoices and the certificate read exactly as before.
    assert_eq!(documents_text(&mut marie, company, paul_reg).await, before);
    // His registration keeps its hours and his frozen name, not his address; his
    // account says "Compte supprimé"; nothing else is left under his address.
    let (email, first, minutes): (String, String, Option<i64>) =
        sqlx::query_as("SELECT participant_email, participant_first_name, minutes_attended FROM registrations WHERE id = $1")
            .bind(paul_reg)
            .fetch_one(marie.db())
            .await
            .unwrap();
    assert_eq!((first.as_str(), minutes), ("Paul", Some(14 * 60)));
    assert!(email.ends_with(".invalid"), "{email}");
    let (name, hash, phone): (String, Option<String>, String) =
        sqlx::query_as("SELECT first_name || ' ' || last_name, password_hash, phone FROM users WHERE email = $1")
            .bind(&email)
            .fetch_one(marie.db())
            .await
            .unwrap();
    assert_eq!((name.as_str(), hash, phone.as_str()), ("Compte supprimé", None, ""));
    let (left,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM users WHERE email = $1) + (SELECT COUNT(*) FROM registrations WHERE participant_email = $2) \
         + (SELECT COUNT(*) FROM outbox WHERE to_addr = $3) + (SELECT COUNT(*) FROM collaborators WHERE email = $4)",
    )
    .bind("paul@cabinet-91.fr")
    .bind("paul@cabinet-91.fr")
    .bind("paul@cabinet-91.fr")
    .bind("paul@cabinet-91.fr")
    .fetch_one(marie.db())
    .await
    .unwrap();
    assert_eq!(left, 0);
    // The company's journal tells of it.
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE company_id = $1 AND action = 'person.erased'")
        .bind(company)
        .fetch_one(marie.db())
        .await
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn an_administrator_erases_a_former_collaborator_or_only_detaches_him() {
    let mut marie = TestApp::spawn().await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-92.fr").await;
    let company = marie
        .create_company(1, &siret(92), "restricted", &[("lea@cabinet-92.fr", "Léa", "Petit", &["role_training"])])
        .await;
    let cid = company.to_string();
    let mut lea = marie.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-92.fr").await;
    // Bob is also on a provider's staff: not this company's to erase.
    let mut bob = marie.provider_staff("bob@cabinet-92.fr", 1).await;
    marie.json("company/people/add", &[("company_id", cid.as_str()), ("email", "bob@cabinet-92.fr"), ("first_name", "Bob"), ("last_name", "B"), ("role", "")]).await;

    // Without the confirmation box, nothing happens.
    marie.json("company/people/erase", &[("company_id", cid.as_str()), ("email", "lea@cabinet-92.fr")]).await;
    assert!(lea.json("account/me", &[]).await.is_object());
    // Her own data: through Mon compte, not here.
    marie.json("company/people/erase", &[("company_id", cid.as_str()), ("email", "marie@cabinet-92.fr"), ("confirm", "on")]).await;
    let (_, html) = marie.get(&format!("/entreprise/{company}/annuaire")).await;
    assert!(html.contains("Supprimer mon compte") && html.contains("marie@cabinet-92.fr"), "refused with its message");

    // Léa belongs to this company only: erased, logged out, unable to log in.
    marie.json("company/people/erase", &[("company_id", cid.as_str()), ("email", "lea@cabinet-92.fr"), ("confirm", "on")]).await;
    let (_, html) = marie.get(&format!("/entreprise/{company}/annuaire")).await;
    assert!(html.contains("sont supprimées"), "{html}");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM collaborators WHERE email = $1").bind("lea@cabinet-92.fr").fetch_one(marie.db()).await.unwrap();
    assert_eq!(n, 0);
    assert_eq!(lea.json("account/me", &[]).await, serde_json::Value::Null);
    let (_, headers, _) = lea.call("account/login", &[("email", "lea@cabinet-92.fr"), ("password", "mot-de-passe-solide"), ("next", "/")]).await;
    assert!(headers.get(header::LOCATION).is_none());
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM grants WHERE email = $1").bind("lea@cabinet-92.fr").fetch_one(marie.db()).await.unwrap();
    assert_eq!(n, 0);

    // Bob: only detached; his account and staff seat stay.
    marie.json("company/people/erase", &[("company_id", cid.as_str()), ("email", "bob@cabinet-92.fr"), ("confirm", "on")]).await;
    let (_, html) = marie.get(&format!("/entreprise/{company}/annuaire")).await;
    assert!(html.contains("ne sont pas supprimées"), "{html}");
    assert!(bob.json("account/me", &[]).await.is_object());
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM provider_staff WHERE email = $1").bind("bob@cabinet-92.fr").fetch_one(marie.db()).await.unwrap();
    assert_eq!(n, 1);
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM collaborators WHERE email = $1 AND company_id = $2").bind("bob@cabinet-92.fr").bind(company).fetch_one(marie.db()).await.unwrap();
    assert_eq!(n, 0);
    // Someone not in the directory is not found.
    let (status, _, _) = marie.call("company/people/erase", &[("company_id", cid.as_str()), ("email", "inconnu@ailleurs.fr"), ("confirm", "on")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Rows of a table of single-use links: (token hash, expiry, use), for the account `user`.
async fn seed_expiring(db: &app::server::Db, sql: &str, user: i64, rows: [(&str, i64, Option<i64>); 4]) {
    for (hash, expires, used) in rows {
        sqlx::query(sql).bind(hash).bind(user).bind(expires).bind(used).execute(db).await.unwrap();
    }
}

#[tokio::test]
async fn the_purge_removes_what_it_should_and_nothing_else() {
    use app::domain::retention::{keep_secs, Kind, DAY};
    let mut app = TestApp::spawn().await;
    app.sign_up("Anne", "Purge", "anne@cabinet-93.fr").await;
    let db = app.db().clone();
    let now = app::server::db::now();
    let (user,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = 'anne@cabinet-93.fr'").fetch_one(&db).await.unwrap();
    let exec = |sql: &'static str, binds: Vec<i64>| {
        let db = db.clone();
        async move {
            let mut q = sqlx::query(sql);
            for b in binds {
                q = q.bind(b);
            }
            q.execute(&db).await.unwrap();
        }
    };
    let mail = keep_secs(Kind::MailBody);
    // Mails: one past the limit (blanked), one just within it, one already blank.
    for (id, at, body) in [(9001, now - mail - 60, "lien"), (9002, now - mail + 3600, "lien"), (9003, now - mail - 60, "")] {
        sqlx::query("INSERT INTO outbox (id, to_addr, subject, body, created_at) VALUES ($1, 'x@y.fr', 'S', $2, $3)")
            .bind(id as i64)
            .bind(body)
            .bind(at)
            .execute(&db)
            .await
            .unwrap();
    }
    // Sessions: over (too old), over (idle), live; drafts of the live one: stale and fresh,
    // and one of the old session.
    let idle = app::server::sessions::IDLE_SECS;
    for (hash, expires, seen) in [("s-old", now - 10, now - 20), ("s-idle", now + 3600, now - idle - 10), ("s-live", now + 3600, now - 10)] {
        sqlx::query("INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(hash)
            .bind(user)
            .bind(now - 100)
            .bind(expires)
            .bind(seen)
            .execute(&db)
            .await
            .unwrap();
    }
    let draft = keep_secs(Kind::Draft);
    for (hash, form, at) in [("s-live", "stale", now - draft - 10), ("s-live", "fresh", now - draft + 600), ("s-old", "orphan", now)] {
        sqlx::query("INSERT INTO form_drafts (session_hash, form, data, updated_at) VALUES ($1, $2, '{}', $3)")
            .bind(hash)
            .bind(form)
            .bind(at)
            .execute(&db)
            .await
            .unwrap();
    }
    // Links and invitations: expired long ago, used long ago, expired just now, live.
    let link = keep_secs(Kind::AccountLink);
    seed_expiring(
        &db,
        "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at, used_at) VALUES ($1, $2, 'reset', 'a@b.fr', 0, $3, $4)",
        user,
        [("t-expired", now - link - 10, None), ("t-used", now + 3600, Some(now - link - 10)), ("t-recent", now - 10, None), ("t-live", now + 3600, None)],
    )
    .await;
    let inv = keep_secs(Kind::Invitation);
    seed_expiring(
        &db,
        "INSERT INTO invitations (token_hash, email, first_name, last_name, invited_by, created_at, expires_at, used_at) VALUES ($1, 'i@b.fr', 'I', 'B', $2, 0, $3, $4)",
        user,
        [("i-expired", now - inv - 10, None), ("i-used", now + 3600, Some(now - inv - 10)), ("i-recent", now - 10, None), ("i-live", now + 3600, None)],
    )
    .await;
    let failed = keep_secs(Kind::FailedLogin);
    exec("INSERT INTO login_failures (email, failed_at) VALUES ('f@b.fr', $1)", vec![now - failed - 10]).await;
    exec("INSERT INTO login_failures (email, failed_at) VALUES ('f@b.fr', $1)", vec![now - 3600]).await;
    assert!(failed >= DAY && link >= DAY, "the seeds above assume limits of a day or more");

    let purged = app::server::retention::purge(&db, now).await.unwrap();
    let count = |k: Kind| purged.get(&k).copied().unwrap_or(0);
    assert_eq!(count(Kind::MailBody), 1);
    assert_eq!(count(Kind::EndedSession), 2);
    assert_eq!(count(Kind::Draft), 1);
    assert_eq!(count(Kind::AccountLink), 2);
    assert_eq!(count(Kind::Invitation), 2);
    assert_eq!(count(Kind::FailedLogin), 1);

    let bodies: Vec<(i64, String)> = sqlx::query_as("SELECT id, body FROM outbox WHERE id IN (9001, 9002, 9003) ORDER BY id").fetch_all(&db).await.unwrap();
    assert_eq!(bodies, vec![(9001, String::new()), (9002, "lien".to_string()), (9003, String::new())], "rows kept, old text blanked");
    let names = |sql: &'static str| {
        let db = db.clone();
        async move {
            let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(&db).await.unwrap();
            rows.into_iter().map(|(s,)| s).collect::<Vec<_>>()
        }
    };
    assert_eq!(names("SELECT token_hash FROM auth_sessions WHERE token_hash LIKE 's-%' ORDER BY token_hash").await, ["s-live"]);
    assert_eq!(names("SELECT form FROM form_drafts WHERE session_hash LIKE 's-%' ORDER BY form").await, ["fresh"]);
    assert_eq!(names("SELECT token_hash FROM account_tokens WHERE token_hash LIKE 't-%' ORDER BY token_hash").await, ["t-live", "t-recent"]);
    assert_eq!(names("SELECT token_hash FROM invitations WHERE token_hash LIKE 'i-%' ORDER BY token_hash").await, ["i-live", "i-recent"]);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE email = 'f@b.fr'").fetch_one(&db).await.unwrap();
    assert_eq!(n, 1);
    // The account's own live session and its sign-up mails are untouched.
    assert!(app.json("account/me", &[]).await.is_object());
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE to_addr = 'anne@cabinet-93.fr' AND body <> ''").fetch_one(&db).await.unwrap();
    assert!(n >= 1);
    // A second run finds nothing more.
    let again = app::server::retention::purge(&db, now).await.unwrap();
    assert!(again.values().all(|n| *n == 0), "{again:?}");
}
