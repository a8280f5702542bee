//! The provider's back-office: its staff confirm a session, cancel a registration,
//! record attendance and close the session; staff of another provider and company
//! users are refused.

mod common;

use axum::http::StatusCode;
use common::{siret, TestApp};

async fn outbox_subjects(app: &TestApp, to: &str) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT subject FROM outbox WHERE to_addr = $1 ORDER BY created_at, id").bind(to).fetch_all(app.db()).await.unwrap();
    rows.into_iter().map(|(s,)| s).collect()
}

#[tokio::test]
async fn staff_confirm_record_attendance_and_close_a_session() {
    let mut admin = TestApp::spawn().await;
    let mut paul = admin.new_client();
    paul.sign_up("Paul", "Martin", "paul@cabinet-bo.fr").await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-bo.fr").await;
    let company = admin.create_company(1, &siret(70), "restricted", &[]).await;
    // The registrant types the names of anyone but himself.
    for (email, first, last) in [("marie@cabinet-bo.fr", "", ""), ("paul@cabinet-bo.fr", "Paul", "Martin")] {
        admin.json("wizard/participants", &[("op", "add"), ("email", email), ("first_name", first), ("last_name", last)]).await;
    }
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;

    let mut olivier = admin.provider_staff("olivier@crcc.fr", 1).await;
    let mut other = admin.provider_staff("zoe@autre-organisme.fr", 2).await;
    let s = [("session_id", "1")];

    // Only the staff of the session's provider.
    let (status, _, _) = other.call("provider/session", &s).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = other.call("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = admin.call("provider/session", &s).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = admin.call("provider/session/attendance", &[("session_id", "1"), ("marks[x]", "")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let page = olivier.json("provider/session", &s).await;
    let roster = page["roster"].as_array().unwrap().clone();
    assert_eq!(roster.len(), 2);
    assert!(roster.iter().all(|r| r["status"] == "en_attente"));
    assert_eq!(page["half_days"].as_array().unwrap().len(), 4, "14 hours: two days, four half days");
    let reg_of = |email: &str| roster.iter().find(|r| r["email"] == email).unwrap()["registration_id"].as_i64().unwrap();
    let (marie_reg, paul_reg) = (reg_of("marie@cabinet-bo.fr"), reg_of("paul@cabinet-bo.fr"));

    // Confirm the session: both registrations, participants and registrant told.
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;
    let page = olivier.json("provider/session", &s).await;
    assert_eq!(page["notice"], "2 inscription(s) confirmée(s).");
    assert_eq!(page["confirmed"], true);
    assert!(page["roster"].as_array().unwrap().iter().all(|r| r["status"] == "confirmee"));
    assert!(outbox_subjects(&admin, "paul@cabinet-bo.fr").await.iter().any(|s| s.ends_with(": confirmée")));
    // Marie registered Paul: she hears about his confirmation and hers, in one mail.
    assert_eq!(outbox_subjects(&admin, "marie@cabinet-bo.fr").await.iter().filter(|s| s.ends_with(": confirmée")).count(), 1);

    // Not closed before its last day.
    let (status, _, body) = olivier.call("provider/session/op", &[("session_id", "1"), ("op", "close")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Paul's registration is cancelled: his seat comes back.
    let (before,): (i64,) = sqlx::query_as("SELECT seats_taken FROM training_sessions WHERE id = 1").fetch_one(admin.db()).await.unwrap();
    let op = format!("cancel:{paul_reg}");
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", op.as_str())]).await;
    let (after,): (i64,) = sqlx::query_as("SELECT seats_taken FROM training_sessions WHERE id = 1").fetch_one(admin.db()).await.unwrap();
    assert_eq!(after, before - 1);
    assert!(outbox_subjects(&admin, "paul@cabinet-bo.fr").await.iter().any(|s| s.ends_with(": annulée")));

    // The session took place; Marie was there for three half days out of four.
    sqlx::query("UPDATE training_sessions SET start_date = '2026-01-05', end_date = '2026-01-06' WHERE id = 1").execute(admin.db()).await.unwrap();
    let marks: Vec<(String, String)> = (0..3).map(|h| (format!("marks[r{marie_reg}h{h}]"), "on".to_string())).collect();
    let mut form: Vec<(&str, &str)> = vec![("session_id", "1")];
    form.extend(marks.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    olivier.json("provider/session/attendance", &form).await;
    let page = olivier.json("provider/session", &s).await;
    let marie = page["roster"].as_array().unwrap().iter().find(|r| r["registration_id"] == marie_reg).unwrap().clone();
    assert_eq!(marie["present"], serde_json::json!([true, true, true, false]));
    assert_eq!(page["may_close"], true);

    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "close")]).await;
    let page = olivier.json("provider/session", &s).await;
    assert_eq!(page["session"]["status"], "closed");
    let marie = page["roster"].as_array().unwrap().iter().find(|r| r["registration_id"] == marie_reg).unwrap().clone();
    assert_eq!(marie["status"], "realisee");
    assert_eq!(marie["attended"], "10 h 30");
    // Her space counts the time attended.
    let spaces = admin.json("spaces/mine", &[]).await;
    let line = spaces["own_trainings"].as_array().unwrap().iter().find(|l| l["id"] == marie_reg).unwrap().clone();
    assert_eq!(line["status"], "realisee");
    assert_eq!(line["minutes"], 630);

    // A closed session no longer changes.
    let (status, _, _) = olivier.call("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, _) = olivier.call("provider/session/attendance", &[("session_id", "1"), ("marks[x]", "")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn cancelling_a_session_cancels_its_registrations_and_frees_the_seats() {
    let mut admin = TestApp::spawn().await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-bc.fr").await;
    let company = admin.create_company(4, &siret(71), "restricted", &[]).await;
    admin.json("wizard/participants", &[("op", "add"), ("email", "marie@cabinet-bc.fr"), ("first_name", ""), ("last_name", "")]).await;
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;
    let mut olivier = admin.provider_staff("olivier@organisme-bc.fr", 1).await;
    let provider_of_4: (i64,) = sqlx::query_as("SELECT t.provider_id FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE s.id = 4")
        .fetch_one(admin.db())
        .await
        .unwrap();
    if provider_of_4.0 != 1 {
        sqlx::query("UPDATE provider_staff SET provider_id = $1 WHERE email = 'olivier@organisme-bc.fr'").bind(provider_of_4.0).execute(admin.db()).await.unwrap();
    }
    olivier.json("provider/session/op", &[("session_id", "4"), ("op", "cancel")]).await;
    let page = olivier.json("provider/session", &[("session_id", "4")]).await;
    assert_eq!(page["session"]["status"], "cancelled");
    assert_eq!(page["session"]["seats_taken"], 0);
    assert!(page["roster"].as_array().unwrap().iter().all(|r| r["status"] == "annulee"));
    let spaces = admin.json("spaces/mine", &[]).await;
    assert!(spaces["own_trainings"].as_array().unwrap().iter().all(|l| l["status"] == "annulee"));
}
