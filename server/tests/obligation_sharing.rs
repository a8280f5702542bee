//! The firm's view of its collaborators' obligation: only those who share it, by their
//! own choice (given and withdrawn); for administrators and training managers only; its
//! CSV; and the January reminders, written once whatever the number of instances.

mod common;

use axum::http::StatusCode;
use common::{siret, TestApp};

/// A firm (Alice, administrator) with Tom (training manager), Béa (billing manager) and
/// Zoé (in the directory, no role, an expert-comptable as every test account); each
/// logged in. Returns the company id and the clients.
async fn firm() -> (i64, TestApp, TestApp, TestApp, TestApp) {
    let mut alice = TestApp::spawn().await;
    alice.sign_up("Alice", "Martin", "alice@cabinet-a.fr").await;
    let a = alice
        .create_company(
            1,
            &siret(61),
            "restricted",
            &[("tom@cabinet-a.fr", "Tom", "Durand", &["role_training"]), ("bea@cabinet-a.fr", "Béa", "Petit", &["role_billing"])],
        )
        .await;
    let cid = a.to_string();
    let (status, _, body) = alice
        .call("company/people/add", &[("company_id", &cid), ("email", "zoe@cabinet-a.fr"), ("first_name", "Zoé"), ("last_name", "Roux"), ("role", "")])
        .await;
    assert!(status.is_success(), "{body}");
    let mut clients = Vec::new();
    for (first, last, email) in [("Tom", "Durand", "tom@cabinet-a.fr"), ("Béa", "Petit", "bea@cabinet-a.fr"), ("Zoé", "Roux", "zoe@cabinet-a.fr")] {
        let mut c = alice.new_client();
        c.sign_up(first, last, email).await;
        clients.push(c);
    }
    let zoe = clients.pop().unwrap();
    let bea = clients.pop().unwrap();
    let tom = clients.pop().unwrap();
    (a, alice, tom, bea, zoe)
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(app.db()).await.unwrap();
    id
}

/// Forty hours of training on 1 January of each year given (test set-up: what the
/// person's own form would have written).
async fn forty_hours_in(app: &TestApp, email: &str, years: &[i32]) {
    let uid = user_id(app, email).await;
    for y in years {
        sqlx::query(
            "INSERT INTO obligation_activities (id, user_id, kind, title, organiser, done_on, minutes, created_at) \
             VALUES ($1, $2, 'formation', 'Formation', 'CRCC', $3, 2400, 0)",
        )
        .bind(app::server::db::new_id())
        .bind(uid)
        .bind(format!("{y}-01-01"))
        .execute(app.db())
        .await
        .unwrap();
    }
}

fn names(view: &serde_json::Value) -> Vec<String> {
    view["rows"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_firm_sees_only_those_who_share_and_only_while_they_do() {
    let (a, mut alice, mut tom, mut bea, mut zoe) = firm().await;
    let cid = a.to_string();
    let view = alice.json("company/obligations", &[("company_id", &cid), ("profession", "")]).await;
    assert_eq!(view["people"], 0, "{view}");
    assert!(names(&view).is_empty());

    // Zoé sees her firm, not shared yet, and shares.
    let firms = zoe.json("obligations/sharing", &[]).await;
    assert_eq!(firms[0]["company_id"], a);
    assert_eq!(firms[0]["shared"], false);
    let (status, _, body) = zoe.call("obligations/sharing/set", &[("company_id", &cid), ("share", "on")]).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(zoe.json("obligations/sharing", &[]).await[0]["shared"], true);

    // The administrator and the training manager see her, behind (nothing done).
    for client in [&mut alice, &mut tom] {
        let view = client.json("company/obligations", &[("company_id", &cid), ("profession", "")]).await;
        assert_eq!(view["people"], 1, "{view}");
        assert_eq!(names(&view), vec!["zoe@cabinet-a.fr"]);
        let row = &view["rows"][0];
        assert_eq!(row["profession_code"], "ec");
        assert!(row["pace"]["Behind"]["missing"].as_i64().unwrap() == 120 * 60, "{row}");
    }
    // Filtered on another profession: nobody; an unknown one is no filter.
    let cac = alice.json("company/obligations", &[("company_id", &cid), ("profession", "cac")]).await;
    assert_eq!((cac["filter"].as_str(), names(&cac).len(), cac["people"].as_i64()), (Some("cac"), 0, Some(1)));
    let junk = alice.json("company/obligations", &[("company_id", &cid), ("profession", "' OR 1=1 --")]).await;
    assert_eq!((junk["filter"].as_str(), names(&junk).len()), (Some(""), 1));

    // The CSV says the same, to the same people.
    let (status, csv) = alice.download(&format!("/entreprise/{a}/obligations.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("Nom;Adresse;Profession;"), "{csv}");
    // Nothing done: 120 h to do, behind by how far the year has gone (the day's pace).
    let line = csv.lines().nth(1).unwrap_or_default();
    assert!(line.starts_with("Zoé Roux;zoe@cabinet-a.fr;Expert-comptable;0;") && line.contains(";0;120;") && line.ends_with(";en_retard"), "{csv}");
    let (status, _) = bea.download(&format!("/entreprise/{a}/obligations.csv")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the billing manager does not manage registrations");
    let (status, _, _) = bea.call("company/obligations", &[("company_id", &cid), ("profession", "")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Withdrawn: gone from the view and the CSV; both changes are in the journal.
    let (status, _, body) = zoe.call("obligations/sharing/set", &[("company_id", &cid), ("share", "off")]).await;
    assert!(status.is_success(), "{body}");
    let view = alice.json("company/obligations", &[("company_id", &cid), ("profession", "")]).await;
    assert_eq!((view["people"].as_i64(), names(&view).len()), (Some(0), 0));
    let (_, csv) = alice.download(&format!("/entreprise/{a}/obligations.csv")).await;
    assert!(!String::from_utf8(csv).unwrap().contains("zoe@"));
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE company_id = $1 AND action LIKE 'obligation.%'")
        .bind(a)
        .fetch_one(alice.db())
        .await
        .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn nobody_shares_with_a_firm_he_is_not_in_nor_reads_another_firms_list() {
    let (a, alice, _tom, _bea, mut zoe) = firm().await;
    let cid = a.to_string();
    zoe.call("obligations/sharing/set", &[("company_id", &cid), ("share", "on")]).await;
    // Another firm's administrator.
    let mut bob = alice.new_client();
    bob.sign_up("Bob", "Bernard", "bob@cabinet-b.fr").await;
    let b = bob.create_company(1, &siret(62), "restricted", &[]).await;
    let (status, _, body) = bob.call("company/obligations", &[("company_id", &cid), ("profession", "")]).await;
    assert!(status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN, "{status}");
    assert!(!body.contains("zoe@"), "{body}");
    let (status, csv) = bob.download(&format!("/entreprise/{a}/obligations.csv")).await;
    assert!(status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN, "{status}");
    assert!(!String::from_utf8_lossy(&csv).contains("zoe@"));
    // Zoé cannot give her data to a firm she is not in (it is not even said to exist).
    let (status, _, _) = zoe.call("obligations/sharing/set", &[("company_id", &b.to_string()), ("share", "on")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM obligation_consents WHERE company_id = $1").bind(b).fetch_one(alice.db()).await.unwrap();
    assert_eq!(n, 0);
    // Bob's own firm view: empty.
    let view = bob.json("company/obligations", &[("company_id", &b.to_string()), ("profession", "")]).await;
    assert_eq!(view["people"], 0);
}

#[tokio::test]
async fn the_january_reminders_go_once_to_those_behind_and_their_firm() {
    let (a, alice, _tom, _bea, mut zoe) = firm().await;
    zoe.call("obligations/sharing/set", &[("company_id", &a.to_string()), ("share", "on")]).await;
    // Alice did her hours (40 h in each of 2024, 2025, 2026); Tom and Béa did nothing
    // but do not share; Zoé did nothing and shares.
    forty_hours_in(&alice, "alice@cabinet-a.fr", &[2024, 2025, 2026]).await;
    let db = alice.db().clone();
    let day = |s| app::domain::Date::parse(s).unwrap();
    let url = "https://portail.test";

    // Not in February.
    let r = app::server::obligation_sharing::january_reminders(&db, url, day("2027-02-01")).await.unwrap();
    assert_eq!((r.persons, r.firms), (0, 0));
    // Two instances at once in January, then again the next day: one round of mails.
    let (r1, r2) = tokio::join!(
        app::server::obligation_sharing::january_reminders(&db, url, day("2027-01-04")),
        app::server::obligation_sharing::january_reminders(&db, url, day("2027-01-04")),
    );
    let (r1, r2) = (r1.unwrap(), r2.unwrap());
    let r3 = app::server::obligation_sharing::january_reminders(&db, url, day("2027-01-05")).await.unwrap();
    assert_eq!(r1.persons + r2.persons + r3.persons, 3, "Tom, Béa and Zoé: {r1:?} {r2:?} {r3:?}");
    assert_eq!(r1.firms + r2.firms + r3.firms, 1);
    let mails: Vec<(String, String, String)> =
        sqlx::query_as("SELECT to_addr, subject, body FROM outbox WHERE subject LIKE '%obligation%formation%' ORDER BY to_addr, subject")
            .fetch_all(&db)
            .await
            .unwrap();
    let to: Vec<&str> = mails.iter().map(|m| m.0.as_str()).collect();
    // The firm's mail goes to its administrator and its training manager; Alice, whose
    // obligation is met, gets no personal reminder.
    assert_eq!(to, vec!["alice@cabinet-a.fr", "bea@cabinet-a.fr", "tom@cabinet-a.fr", "tom@cabinet-a.fr", "zoe@cabinet-a.fr"], "{mails:#?}");
    let zoe_mail = mails.iter().find(|m| m.0 == "zoe@cabinet-a.fr").unwrap();
    assert!(zoe_mail.1.contains("2026") && zoe_mail.2.contains("Il vous a manqué 120 h") && zoe_mail.2.contains("31 mars 2027"), "{zoe_mail:?}");
    let firm_mail = mails.iter().find(|m| m.0 == "alice@cabinet-a.fr").unwrap();
    assert!(firm_mail.2.contains("Zoé Roux") && !firm_mail.2.contains("Tom Durand"), "only those who share: {firm_mail:?}");
}
