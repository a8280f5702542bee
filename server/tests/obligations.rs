//! Issue 13, the training obligation of each professional: the portal's attended hours
//! in his ledger, his outside activities with their proofs (who may read them), his
//! professions, his declaration, the operator's command, and hostile inputs. Runs on
//! SQLite, and on PostgreSQL with TEST_DATABASE_URL.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{demo_login, pdf_text, siret, TestApp};
use std::io::Read;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/// A multipart body as a browser sends the form "Ajouter une activité".
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----obligations-test-boundary-7MA4YWxkTrZu0gW".to_string();
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    if let Some((file_name, content_type, bytes)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"proof\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (boundary, body)
}

/// Posts the form (from this site, as the browser does); the status and where it leads.
async fn upload_from(client: &mut TestApp, origin: &str, fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (StatusCode, String) {
    let (boundary, body) = multipart(fields, file);
    let mut req = Request::builder()
        .method("POST")
        .uri("/mes-obligations/activites")
        .header(header::HOST, common::HOST)
        .header(header::ORIGIN, origin)
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
    if let Some(token) = client.session_cookie() {
        req = req.header(header::COOKIE, format!("{}={token}", client.cookie_name()));
    }
    let (status, headers, body) = client.raw(req.body(Body::from(body)).unwrap()).await;
    let to = headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_string()).unwrap_or(body);
    (status, to)
}

async fn upload(client: &mut TestApp, fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (StatusCode, String) {
    let origin = client.origin();
    upload_from(client, &origin, fields, file).await
}

fn today() -> app::domain::Date {
    app::server::db::today()
}

/// A conference of `hours` on `date`, as typed.
fn conference<'a>(title: &'a str, date: &'a str, hours: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("kind", "conference"), ("title", title), ("organiser", "CNCC"), ("date", date), ("hours", hours)]
}

async fn activities_of(app: &TestApp, email: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM obligation_activities a JOIN users u ON u.id = a.user_id WHERE u.email = $1")
        .bind(email)
        .fetch_one(app.db())
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn attendance_recorded_by_the_provider_becomes_ledger_hours() {
    let mut marie = TestApp::spawn().await;
    marie.sign_up("Marie", "Durand", "marie@cabinet-ob.fr").await;
    let company = marie.create_company(1, &siret(81), "restricted", &[]).await;
    marie.json("wizard/participants", &[("op", "add"), ("email", "marie@cabinet-ob.fr"), ("first_name", ""), ("last_name", "")]).await;
    marie.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    marie.validate_cart(company).await;
    let mut olivier = marie.provider_staff("olivier@crcc-ob.fr", 1).await;
    let s = [("session_id", "1")];
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;
    // Nothing yet: the session has not taken place.
    let v = marie.json("obligations/mine", &[]).await;
    assert_eq!(v["entries"].as_array().unwrap().len(), 0, "{v}");

    // The session took place ten and nine days ago; Marie attended three half days of four.
    let (start, end) = (today().add_days(-10), today().add_days(-9));
    sqlx::query("UPDATE training_sessions SET start_date = $1, end_date = $2 WHERE id = 1")
        .bind(start.iso())
        .bind(end.iso())
        .execute(marie.db())
        .await
        .unwrap();
    let page = olivier.json("provider/session", &s).await;
    let reg = page["roster"][0]["registration_id"].as_i64().unwrap();
    let marks: Vec<(String, String)> = (0..3).map(|h| (format!("marks[r{reg}h{h}]"), "on".to_string())).collect();
    let mut form: Vec<(&str, &str)> = vec![("session_id", "1")];
    form.extend(marks.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    olivier.json("provider/session/attendance", &form).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "close")]).await;

    // Her ledger: the training, 10 h 30, a "formation" of the portal; she is an
    // expert-comptable (her account's profession), so the EC rule applies.
    let year = end.year.to_string();
    let v = marie.json("obligations/mine", &[("year", year.as_str())]).await;
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{v}");
    assert_eq!(entries[0]["source"], "Portal");
    assert_eq!(entries[0]["kind"], "formation");
    assert_eq!(entries[0]["minutes"], 630);
    assert_eq!(entries[0]["date"]["day"], end.day);
    assert_eq!(v["rules"].as_array().unwrap().len(), 1);
    let ec = &v["rules"][0];
    assert_eq!(ec["profession"], "ec");
    assert_eq!(ec["standing"]["year_counted"], 630);
    assert_eq!(ec["standing"]["year_missing"], 20 * 60 - 630);
    let sentence = ec["sentence"].as_str().unwrap();
    assert!(sentence.contains("9 h 30") && sentence.contains("minimum annuel de 20 h"), "{sentence}");
    // Mes espaces says so in one line.
    let (status, html) = marie.get("/espaces").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("obligations-resume") && html.contains("/mes-obligations"), "no summary in Mes espaces");
}

#[tokio::test]
async fn an_outside_activity_with_its_proof_reaches_the_person_and_his_firm_managers_only() {
    let app = TestApp::spawn_with(true).await;
    let mut paul = demo_login(&app, "paul.collaborateur@cabinet-demo.fr").await;
    let day = today().add_days(-1);
    let date = day.iso();
    let fields = conference("Congrès national des CAC", &date, "3,5");
    let (status, to) = upload(&mut paul, &fields, Some(("Attestation congrès.pdf", "application/pdf", PDF))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    assert_eq!(to, format!("/mes-obligations?annee={}", day.year));
    let year = day.year.to_string();
    let v = paul.json("obligations/mine", &[("year", year.as_str())]).await;
    assert_eq!(v["notice"], "L'activité « Congrès national des CAC » est ajoutée.");
    let entry = v["entries"].as_array().unwrap().iter().find(|e| e["source"] == "Outside").expect("the conference").clone();
    assert_eq!((entry["kind"].as_str(), entry["minutes"].as_i64()), (Some("conference"), Some(210)));
    assert_eq!(entry["proof"], "Attestation_congr_s.pdf");
    let id = entry["id"].as_i64().unwrap();
    // The conference counts for his obligation (EC, demo accounts' profession).
    let ec = &v["rules"][0];
    let minutes: i64 = v["entries"].as_array().unwrap().iter().filter(|e| e["date"]["year"] == day.year).map(|e| e["minutes"].as_i64().unwrap()).sum();
    assert_eq!(ec["standing"]["year_counted"], minutes);
    assert!(ec["sentence"].as_str().unwrap().starts_with("Il vous manque"), "{}", ec["sentence"]);
    // His page shows it, with the proof's link and the declaration's.
    let (_, html) = paul.get(&format!("/mes-obligations?annee={year}")).await;
    assert!(html.contains("Congrès national des CAC") && html.contains(&format!("/mes-obligations/justificatif/{id}")));
    assert!(html.contains(&format!("/mes-obligations/declaration/{year}/zip")));

    // The proof: to Paul, and, once he shares his obligation with his firm, to its
    // administrator and training manager.
    let path = format!("/mes-obligations/justificatif/{id}");
    let mut alice = demo_login(&app, "alice.admin@cabinet-demo.fr").await;
    assert_eq!(alice.download(&path).await.0, StatusCode::NOT_FOUND, "his firm, before he shares");
    let firm = paul.json("obligations/sharing", &[]).await[0]["company_id"].as_i64().expect("Paul's firm").to_string();
    let (status, _, body) = paul.call("obligations/sharing/set", &[("company_id", firm.as_str()), ("share", "on")]).await;
    assert!(status.is_success(), "{body}");
    for email in ["paul.collaborateur@cabinet-demo.fr", "alice.admin@cabinet-demo.fr", "thomas.formation@cabinet-demo.fr"] {
        let mut c = demo_login(&app, email).await;
        let req = Request::builder().uri(&path).header(header::HOST, common::HOST);
        let req = req.header(header::COOKIE, format!("{}={}", c.cookie_name(), c.session_cookie().unwrap()));
        let (status, headers, bytes) = c.raw_bytes(req.body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{email}");
        assert_eq!(bytes, PDF, "{email}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
        assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
    }
    // Not to the firm's billing manager, another firm's administrator, a stranger.
    let mut berenice = demo_login(&app, "berenice.facturation@cabinet-demo.fr").await;
    assert_eq!(berenice.download(&path).await.0, StatusCode::NOT_FOUND, "billing manager");
    let mut other = app.new_client();
    other.sign_up("Olga", "Autre", "olga@autre-cabinet.fr").await;
    other.create_company(1, &siret(82), "restricted", &[]).await;
    assert_eq!(other.download(&path).await.0, StatusCode::NOT_FOUND, "another firm's administrator");
    let mut stranger = app.new_client();
    stranger.sign_up("Sam", "Inconnu", "sam@ailleurs.fr").await;
    assert_eq!(stranger.download(&path).await.0, StatusCode::NOT_FOUND, "a stranger");
    let mut visitor = app.new_client();
    let (status, _) = visitor.download(&path).await;
    assert!(status.is_redirection(), "a visitor is sent to log in: {status}");

    // The declaration of the year: PDF, CSV, and both with the proof in a ZIP.
    let (status, pdf) = paul.download(&format!("/mes-obligations/declaration/{year}/pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&pdf);
    for part in ["Déclaration de formation continue", "Congrès national des CAC", "Expert-comptable", "Heures retenues", "3 h 30"] {
        assert!(text.contains(part), "{part} missing from the PDF:\n{text}");
    }
    let (status, csv) = paul.download(&format!("/mes-obligations/declaration/{year}/csv")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains(&format!("{date};Conférence, colloque;Congrès national des CAC;CNCC;déclarée;3 h 30;210;210;justificatifs/{id}-Attestation_congr_s.pdf")), "{csv}");
    let (status, zip) = paul.download(&format!("/mes-obligations/declaration/{year}/zip")).await;
    assert_eq!(status, StatusCode::OK);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut names: Vec<String> = archive.file_names().map(str::to_string).collect();
    names.sort();
    assert_eq!(names, vec![
        format!("declaration-{year}.csv"),
        format!("declaration-{year}.pdf"),
        format!("justificatifs/{id}-Attestation_congr_s.pdf")
    ]);
    let mut proof = Vec::new();
    archive.by_name(&format!("justificatifs/{id}-Attestation_congr_s.pdf")).unwrap().read_to_end(&mut proof).unwrap();
    assert_eq!(proof, PDF);
    // Nobody else's declaration: the route takes no account id, the stranger's is empty.
    let (_, theirs) = stranger.download(&format!("/mes-obligations/declaration/{year}/csv")).await;
    assert!(!String::from_utf8_lossy(&theirs).contains("Congrès"));

    // Another user cannot delete it; Paul can, and the proof goes with it.
    let sid = id.to_string();
    let (status, _, _) = stranger.call("obligations/activity/delete", &[("id", sid.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut alice = demo_login(&app, "alice.admin@cabinet-demo.fr").await;
    let (status, _, _) = alice.call("obligations/activity/delete", &[("id", sid.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "his firm's administrator neither");
    assert_eq!(activities_of(&app, "paul.collaborateur@cabinet-demo.fr").await, 1);
    paul.json("obligations/activity/delete", &[("id", sid.as_str())]).await;
    assert_eq!(activities_of(&app, "paul.collaborateur@cabinet-demo.fr").await, 0);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM obligation_proofs").fetch_one(app.db()).await.unwrap();
    assert_eq!(n, 0);
    assert_eq!(paul.download(&path).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hostile_inputs_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let mut ana = app.new_client();
    ana.sign_up("Ana", "Lopez", "ana@cabinet-hostile.fr").await;
    let date = today().iso();
    let refused = |field: &'static str| move |v: serde_json::Value| {
        assert!(v["form"]["errors"][field].is_string(), "no message on {field}: {v}");
    };

    // Negative, zero, quarter and absurd durations.
    for hours in ["-3", "0", "2,25", "1e9", "99999"] {
        let (status, to) = upload(&mut ana, &conference("Colloque", &date, hours), None).await;
        assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, "/mes-obligations#ajouter"), "{hours}");
        refused("hours")(ana.json("obligations/mine", &[]).await);
    }
    // A future date.
    let future = today().add_days(2).iso();
    upload(&mut ana, &conference("Colloque", &future, "2"), None).await;
    let v = ana.json("obligations/mine", &[]).await;
    refused("date")(v.clone());
    assert_eq!(v["form"]["values"]["title"], "Colloque", "what was typed comes back");
    // An HTML page, an executable, an empty file named .pdf: told by their bytes.
    for bytes in [&b"<html><script>alert(1)</script></html>"[..], b"MZ\x90\x00\x03\x00", b""] {
        let (status, _) = upload(&mut ana, &conference("Colloque", &date, "2"), Some(("attestation.pdf", "application/pdf", bytes))).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        refused("proof")(ana.json("obligations/mine", &[]).await);
    }
    // Over 5 Mo, and far over (beyond the body limit of the route).
    for size in [5 * 1024 * 1024 + 1, 8 * 1024 * 1024] {
        let mut big = PDF.to_vec();
        big.resize(size, b' ');
        let (status, to) = upload(&mut ana, &conference("Colloque", &date, "2"), Some(("gros.pdf", "application/pdf", &big))).await;
        assert!(status == StatusCode::SEE_OTHER || status == StatusCode::PAYLOAD_TOO_LARGE, "{size}: {status} {to}");
        if status == StatusCode::SEE_OTHER {
            refused("proof")(ana.json("obligations/mine", &[]).await);
        }
    }
    // An unknown kind, missing fields.
    upload(&mut ana, &[("kind", "sieste"), ("title", ""), ("organiser", ""), ("date", "hier"), ("hours", "")], None).await;
    let v = ana.json("obligations/mine", &[]).await;
    assert_eq!(v["form"]["errors"].as_object().unwrap().len(), 5, "{v}");
    // From another site, or without a session.
    let (status, _) = upload_from(&mut ana, "https://evil.example", &conference("Colloque", &date, "2"), Some(("a.pdf", "application/pdf", PDF))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut visitor = app.new_client();
    let (status, to) = upload(&mut visitor, &conference("Colloque", &date, "2"), Some(("a.pdf", "application/pdf", PDF))).await;
    assert!(status.is_redirection() && to.starts_with("/connexion"), "{status} {to}");
    assert_eq!(activities_of(&app, "ana@cabinet-hostile.fr").await, 0, "nothing was recorded");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM obligation_activities").fetch_one(app.db()).await.unwrap();
    assert_eq!(n, 0);

    // Half an hour, with an image as proof: accepted.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let (status, to) = upload(&mut ana, &conference("Colloque", &date, "0,5"), Some(("photo.png", "image/png", png))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(to.starts_with("/mes-obligations?annee="), "{to}");
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM obligation_activities").fetch_one(app.db()).await.unwrap();
    // Another person's activity: neither its proof nor its deletion.
    let mut ben = app.new_client();
    ben.sign_up("Ben", "Martin", "ben@cabinet-hostile.fr").await;
    assert_eq!(ben.download(&format!("/mes-obligations/justificatif/{id}")).await.0, StatusCode::NOT_FOUND);
    let (status, _, _) = ben.call("obligations/activity/delete", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = ben.call("obligations/activity/delete", &[("id", "-1")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(activities_of(&app, "ana@cabinet-hostile.fr").await, 1);
    let (status, bytes) = ana.download(&format!("/mes-obligations/justificatif/{id}")).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, &png[..]));
    // Declarations of a year out of range or in an unknown format.
    for path in ["/mes-obligations/declaration/1999/pdf", "/mes-obligations/declaration/2026/exe", "/mes-obligations/declaration/abc/pdf"] {
        let (status, _) = ana.download(path).await;
        assert!(status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST, "{path}: {status}");
    }
    // An unknown profession.
    let (status, _, _) = ana.call("obligations/professions/set", &[("professions[pilote]", "on")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn professions_are_declared_in_mon_compte_and_each_rule_counts_apart() {
    let app = TestApp::spawn().await;
    let mut leo = app.new_client();
    leo.sign_up("Léo", "Petit", "leo@cabinet-pro.fr").await;
    // The account's profession (ec) counts until he declares his.
    let p = leo.json("obligations/professions", &[]).await;
    let declared: Vec<&str> = p["options"].as_array().unwrap().iter().filter(|o| o[2] == true).map(|o| o[0].as_str().unwrap()).collect();
    assert_eq!(declared, vec!["ec"]);
    assert_eq!(p["options"].as_array().unwrap().len(), 3, "cac, durabilite, ec: {p}");
    let (_, html) = leo.get("/mon-compte").await;
    assert!(html.contains("Mes professions réglementées") && html.contains(r#"name="professions[durabilite]""#));

    // Without JavaScript, from Mon compte: CAC and auditeur de durabilité.
    let (status, _, _) = leo.post_form("obligations/professions/set", &[("professions[cac]", "on"), ("professions[durabilite]", "on")], "/mon-compte").await;
    assert!(status.is_redirection(), "{status}");
    let p = leo.json("obligations/professions", &[]).await;
    assert_eq!(p["notice"], "Vos professions réglementées sont enregistrées.");
    let date = today().iso();
    upload(&mut leo, &conference("Assises", &date, "45"), Some(("a.pdf", "application/pdf", PDF))).await;
    let v = leo.json("obligations/mine", &[]).await;
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.iter().map(|r| r["profession"].as_str().unwrap()).collect::<Vec<_>>(), vec!["cac", "durabilite"]);
    // The same activity counts for each, capped to 40 h of conferences over the period.
    for r in rules {
        assert_eq!(r["standing"]["counted"], serde_json::json!([40 * 60]), "{r}");
        assert_eq!(r["standing"]["kinds"][1]["left"], 0);
    }

    // The operator lowers the cap of one rule: only that rule changes.
    let out = app::server::obligations::cli::run_on(app.db(), &["set".into(), "durabilite".into(), "cap_conference".into(), "10".into()])
        .await
        .unwrap();
    assert!(out.contains("durabilite: Auditeur de durabilité") && out.contains("cap_conference=10 h"), "{out}");
    let v = leo.json("obligations/mine", &[]).await;
    let counted: Vec<i64> = v["rules"].as_array().unwrap().iter().map(|r| r["standing"]["year_counted"].as_i64().unwrap()).collect();
    assert_eq!(counted, vec![40 * 60, 10 * 60]);
    for bad in [vec!["set", "pilote", "year_hours", "20"], vec!["set", "cac", "year_hours", "-1"], vec!["set", "cac", "password", "x"], vec!["drop"]] {
        let args: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
        assert!(app::server::obligations::cli::run_on(app.db(), &args).await.is_err(), "{bad:?}");
    }
    let listed = app::server::obligations::cli::run_on(app.db(), &[]).await.unwrap();
    assert_eq!(listed.lines().count(), 3, "{listed}");

    // None ticked: no obligation followed any more.
    leo.call("obligations/professions/set", &[]).await;
    let v = leo.json("obligations/mine", &[]).await;
    assert_eq!(v["rules"].as_array().unwrap().len(), 0);
    let (_, html) = leo.get("/mes-obligations").await;
    assert!(html.contains("Aucune profession réglementée"));
}
