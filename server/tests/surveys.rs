//! Satisfaction questionnaires: once, after the session, by the participant only; the
//! company's managers see the answers and averages.

mod common;

use axum::http::StatusCode;
use common::{siret, TestApp};

#[tokio::test]
async fn a_participant_answers_once_and_the_company_sees_the_averages() {
    let mut admin = TestApp::spawn().await;
    let mut paul = admin.new_client();
    paul.sign_up("Paul", "Martin", "paul@cabinet-s.fr").await;
    admin.sign_up("Marie", "Durand", "marie@cabinet-s.fr").await;
    let company = admin.create_company(1, &siret(60), "restricted", &[("lea@cabinet-s.fr", "Léa", "Petit", &["role_training"])]).await;
    // The registrant types the names of anyone but himself.
    for (email, first, last) in [("marie@cabinet-s.fr", "", ""), ("paul@cabinet-s.fr", "Paul", "Martin")] {
        admin.json("wizard/participants", &[("op", "add"), ("email", email), ("first_name", first), ("last_name", last)]).await;
    }
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;
    let regs = admin.json("company/home", &[("company_id", &company.to_string())]).await["registrations"]["items"].clone();
    let id_of = |email: &str| {
        regs.as_array().unwrap().iter().find(|r| r["participant_email"] == email).unwrap()["id"].as_i64().unwrap().to_string()
    };
    let (paul_reg, marie_reg) = (id_of("paul@cabinet-s.fr"), id_of("marie@cabinet-s.fr"));

    // Before the session: no questionnaire.
    let (status, _, _) = paul.call("survey/get", &[("registration_id", paul_reg.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The session took place.
    sqlx::query("UPDATE training_sessions SET start_date = '2025-01-06', end_date = '2025-01-07' WHERE id = 1")
        .execute(admin.db())
        .await
        .unwrap();
    let spaces = paul.json("spaces/mine", &[]).await;
    assert_eq!(spaces["surveys_to_fill"], serde_json::json!([paul_reg.parse::<i64>().unwrap()]));

    // Another participant's questionnaire is not his.
    let (status, _, _) = paul.call("survey/get", &[("registration_id", marie_reg.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = paul
        .call("survey/answer", &[("registration_id", marie_reg.as_str()), ("content", "1"), ("trainer", "1"), ("organisation", "1"), ("overall", "1"), ("comment", "")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A missing rating is refused, the comment kept.
    let errors = paul
        .json("survey/answer", &[("registration_id", paul_reg.as_str()), ("content", "5"), ("trainer", "4"), ("overall", "4"), ("comment", "Très concret.")])
        .await;
    assert!(errors["organisation"].as_str().unwrap().contains("de 1 à 5"));
    let page = paul.json("survey/get", &[("registration_id", paul_reg.as_str())]).await;
    assert_eq!(page["values"]["comment"], "Très concret.");

    paul.json(
        "survey/answer",
        &[("registration_id", paul_reg.as_str()), ("content", "5"), ("trainer", "4"), ("organisation", "3"), ("overall", "4"), ("comment", "Très concret.")],
    )
    .await;
    let (status, _, _) = paul
        .call("survey/answer", &[("registration_id", paul_reg.as_str()), ("content", "1"), ("trainer", "1"), ("organisation", "1"), ("overall", "1"), ("comment", "")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "an answer is final");
    admin.json(
        "survey/answer",
        &[("registration_id", marie_reg.as_str()), ("content", "4"), ("trainer", "5"), ("organisation", "3"), ("overall", "5"), ("comment", "")],
    )
    .await;

    let cid = company.to_string();
    let result = admin.json("survey/company", &[("company_id", cid.as_str())]).await;
    let training = &result["trainings"][0];
    assert_eq!(training["answers"].as_array().unwrap().len(), 2);
    // Content 5 and 4 -> 4,5; the page shows it.
    let (_, html) = admin.get(&format!("/entreprise/{company}/questionnaires")).await;
    assert!(html.contains("4,5") && html.contains("Très concret."), "averages and comments shown");

    // The training manager sees them; a participant without a role does not.
    let mut lea = admin.new_client();
    lea.sign_up("Léa", "Petit", "lea@cabinet-s.fr").await;
    lea.json("survey/company", &[("company_id", cid.as_str())]).await;
    let (status, _, _) = paul.call("survey/company", &[("company_id", cid.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
