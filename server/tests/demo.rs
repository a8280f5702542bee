//! The demo firm: one account per role on seeded data, a past session whose
//! questionnaires the participants fill, seen by the company and by the provider.

mod common;

use app::server::demo::{DEMO_STAFF, PAST_SESSION};
use axum::http::StatusCode;
use common::{demo_login, TestApp};

#[tokio::test]
async fn demo_participant_answers_and_company_and_provider_see_it() {
    let app = TestApp::spawn_with(true).await;
    let mut paul = demo_login(&app, "paul.collaborateur@cabinet-demo.fr").await;
    let spaces = paul.json("spaces/mine", &[]).await;
    // A participant without a role: only his own trainings.
    assert!(spaces["companies"].as_array().unwrap().is_empty());
    let own = spaces["own_trainings"].as_array().unwrap();
    let past = own.iter().find(|l| l["session_id"] == PAST_SESSION).expect("past session");
    assert_eq!(past["status"], "realisee");
    assert_eq!(past["upcoming"], false);
    let confirmed = own.iter().find(|l| l["status"] == "confirmee").expect("a confirmed registration");
    assert_eq!(confirmed["link"], app::server::seed::virtual_link(confirmed["session_id"].as_i64().unwrap()));
    let reg = past["id"].as_i64().unwrap();
    assert_eq!(spaces["surveys_to_fill"], serde_json::json!([reg]));

    // The company before Paul's answer: Hugo's alone.
    let mut alice = demo_login(&app, "alice.admin@cabinet-demo.fr").await;
    let company = alice.json("spaces/mine", &[]).await["companies"][0]["id"].as_i64().unwrap().to_string();
    let (status, _, _) = paul.call("company/home", &[("company_id", company.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let before = alice.json("survey/company", &[("company_id", company.as_str())]).await;
    assert_eq!(before["trainings"][0]["answers"].as_array().unwrap().len(), 1);

    let reg_s = reg.to_string();
    paul.json(
        "survey/answer",
        &[("registration_id", reg_s.as_str()), ("content", "5"), ("trainer", "4"), ("organisation", "5"), ("overall", "5"), ("comment", "Très clair.")],
    )
    .await;
    let after = alice.json("survey/company", &[("company_id", company.as_str())]).await;
    let answers = after["trainings"][0]["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 2);
    // Hugo (4, 5, 3, 4) and Paul (5, 4, 5, 5).
    let mut contents: Vec<(String, i64)> =
        answers.iter().map(|a| (a[0].as_str().unwrap().to_string(), a[1]["content"].as_i64().unwrap())).collect();
    contents.sort();
    assert_eq!(contents, vec![("Hugo Lambert".to_string(), 4), ("Paul Bernard".to_string(), 5)]);

    // The provider's staff see it for their session; other users have no provider space.
    let mut olivier = demo_login(&app, DEMO_STAFF.0).await;
    let home = olivier.json("provider/home", &[]).await;
    assert_eq!(home["provider_name"], "CRCC de Paris — Formation");
    // Its sessions come by pages, the past ones last.
    let pages = home["sessions"]["total"].as_u64().unwrap().div_ceil(home["sessions"]["per_page"].as_u64().unwrap());
    let mut sessions = Vec::new();
    for n in 1..=pages {
        let page = olivier.json("provider/home", &[("page", n.to_string().as_str())]).await;
        sessions.extend(page["sessions"]["items"].as_array().unwrap().clone());
    }
    assert!(sessions.iter().any(|s| s["id"] == PAST_SESSION && s["status"] == "closed"));
    let surveys = home["surveys"].as_array().unwrap();
    assert_eq!(surveys.len(), 1);
    assert_eq!(surveys[0]["answers"].as_array().unwrap().len(), 2);
    let (status, _, _) = alice.call("provider/home", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.new_client().call("provider/home", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn demo_firm_is_loaded_once() {
    let app = TestApp::spawn_with(true).await;
    assert!(!app::server::demo::load_demo_company(app.db()).await.unwrap());
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM companies").fetch_one(app.db()).await.unwrap();
    assert_eq!(n, 1);
}
