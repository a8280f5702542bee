//! Knowledge tests ("tests de validation des acquis"): the provider's staff write them,
//! the participant takes his own a bounded number of times and is scored on the server,
//! the provider sees the results per session, the company's managers see who passed,
//! and the certificate mentions the result when the provider chose so.

mod common;

use axum::http::StatusCode;
use common::{pdf_text, siret, TestApp};
use serde_json::Value;

const QUESTIONS: &str = "Q: Quelles normes un CAC applique-t-il ?\n+ NEP\n+ ISA\n- PCG\n\nVF: Le certificat de réalisation remplace l'attestation de présence.\n= vrai\n";

/// A firm with two participants of session 1 (provider 1): Marie, its administrator,
/// registered herself and Paul; Léa is its training manager. Returns the clients, the
/// company, the registrations (Paul's, Marie's) and the training of session 1.
struct Firm {
    admin: TestApp,
    paul: TestApp,
    lea: TestApp,
    company: i64,
    paul_reg: String,
    marie_reg: String,
    training: String,
}

async fn firm(n: u32) -> Firm {
    let mut admin = TestApp::spawn().await;
    let mut paul = admin.new_client();
    let paul_email = format!("paul@cabinet-k{n}.fr");
    let marie_email = format!("marie@cabinet-k{n}.fr");
    let lea_email = format!("lea@cabinet-k{n}.fr");
    paul.sign_up("Paul", "Martin", &paul_email).await;
    admin.sign_up("Marie", "Durand", &marie_email).await;
    let company = admin.create_company(1, &siret(80 + n), "restricted", &[(lea_email.as_str(), "Léa", "Petit", &["role_training"])]).await;
    for (email, first, last) in [(marie_email.as_str(), "", ""), (paul_email.as_str(), "Paul", "Martin")] {
        admin.json("wizard/participants", &[("op", "add"), ("email", email), ("first_name", first), ("last_name", last)]).await;
    }
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;
    let regs = admin.json("company/home", &[("company_id", &company.to_string())]).await["registrations"]["items"].clone();
    let id_of = |email: &str| {
        regs.as_array().unwrap().iter().find(|r| r["participant_email"] == email).unwrap()["id"].as_i64().unwrap().to_string()
    };
    let (paul_reg, marie_reg) = (id_of(&paul_email), id_of(&marie_email));
    let mut lea = admin.new_client();
    lea.sign_up("Léa", "Petit", &lea_email).await;
    let (training,): (i64,) = sqlx::query_as("SELECT training_id FROM training_sessions WHERE id = 1").fetch_one(admin.db()).await.unwrap();
    Firm { admin, paul, lea, company, paul_reg, marie_reg, training: training.to_string() }
}

async fn save(staff: &mut TestApp, training: &str, moment: &str, title: &str, pass_mark: &str, attempts: &str, questions: &str) -> Value {
    staff
        .json(
            "knowledge/save",
            &[
                ("training_id", training),
                ("test[moment]", moment),
                ("test[title]", title),
                ("test[pass_mark]", pass_mark),
                ("test[max_attempts]", attempts),
                ("test[on_certificate]", "on"),
                ("test[questions]", questions),
            ],
        )
        .await;
    staff.json("knowledge/training", &[("training_id", training)]).await
}

/// The session took place (its last day is over).
async fn session_over(app: &TestApp) {
    sqlx::query("UPDATE training_sessions SET start_date = '2025-01-06', end_date = '2025-01-07' WHERE id = 1").execute(app.db()).await.unwrap();
}

/// The ids of the page's open test's questions and choices, by text.
fn ids(test: &Value) -> (String, String, String, String, String, String) {
    let q = test["questions"].as_array().expect("questions");
    let choice = |qi: usize, text: &str| q[qi]["choices"].as_array().unwrap().iter().find(|c| c["text"] == text).unwrap()["id"].to_string();
    (q[0]["id"].to_string(), choice(0, "NEP"), choice(0, "ISA"), choice(0, "PCG"), q[1]["id"].to_string(), choice(1, "Vrai"))
}

fn as_pairs<'a>(form: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    form.iter().map(|(a, b)| (*a, b.as_str())).collect()
}

async fn attempts_stored(app: &TestApp) -> i64 {
    sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM knowledge_attempts").fetch_one(app.db()).await.unwrap().0
}

#[tokio::test]
async fn a_test_is_written_taken_scored_on_the_server_and_its_results_shown() {
    let Firm { mut admin, mut paul, mut lea, company, paul_reg, marie_reg, training } = firm(1).await;
    let mut olivier = admin.provider_staff("olivier@crcc-k.fr", 1).await;
    let mut zoe = admin.provider_staff("zoe@autre-organisme-k.fr", 2).await;
    let t = [("training_id", training.as_str())];

    // Only the staff of the training's provider.
    assert_eq!(zoe.call("knowledge/training", &t).await.0, StatusCode::NOT_FOUND);
    assert_eq!(admin.call("knowledge/training", &t).await.0, StatusCode::FORBIDDEN);
    let (status, _, _) = zoe
        .call("knowledge/save", &[("training_id", training.as_str()), ("test[moment]", "apres"), ("test[title]", "X"), ("test[pass_mark]", "1"), ("test[max_attempts]", "1"), ("test[questions]", QUESTIONS)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A careless text is refused with its line, and given back.
    let page = save(&mut olivier, &training, "apres", "Validation", "100", "2", "Q: Une seule ?\n+ oui").await;
    assert_eq!(page["forms"]["apres"]["errors"]["questions"], "Question de la ligne 1 : proposez au moins deux choix.");
    assert_eq!(page["forms"]["apres"]["values"]["questions"], "Q: Une seule ?\n+ oui");
    assert_eq!(page["tests"].as_array().unwrap().len(), 0);
    // Every right answer needed; two attempts.
    let page = save(&mut olivier, &training, "apres", "Validation", "100", "2", QUESTIONS).await;
    assert_eq!(page["tests"][0]["question_count"], 2);

    // Before the session's last day, the test after it is not open.
    let reg = [("registration_id", paul_reg.as_str())];
    let before = paul.json("knowledge/get", &reg).await;
    let test_id = before["tests"][0]["test_id"].to_string();
    assert_eq!(before["tests"][0]["state"], "NotYet");
    assert_eq!(before["tests"][0]["questions"], serde_json::json!([]));
    let answer_nothing = [("registration_id", paul_reg.as_str()), ("test_id", test_id.as_str())];
    assert_eq!(paul.call("knowledge/submit", &answer_nothing).await.0, StatusCode::CONFLICT);

    session_over(&admin).await;
    assert_eq!(paul.json("knowledge/mine", &[]).await[0]["state"], "Open");
    let page = paul.json("knowledge/get", &reg).await;
    let test = &page["tests"][0];
    // The questions, without any word of the answers.
    for q in test["questions"].as_array().unwrap() {
        let keys: Vec<&str> = q.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["choices", "id", "kind", "text"]);
        for c in q["choices"].as_array().unwrap() {
            assert_eq!(c.as_object().unwrap().keys().map(String::as_str).collect::<Vec<_>>(), ["id", "text"]);
        }
    }
    assert_eq!(test["corrections"], serde_json::json!([]));
    let (_, html) = paul.get(&format!("/test-des-acquis/{paul_reg}")).await;
    assert!(html.contains("Quelles normes un CAC applique-t-il ?") && html.contains("Envoyer mes réponses"), "{html}");
    assert!(!html.contains("bonne réponse"), "the page tells the answers before submission");
    let (q1, nep, isa, pcg, q2, vrai) = ids(test);

    // Nobody else's registration: Marie's is not Paul's, Paul's is not Marie's.
    assert_eq!(paul.call("knowledge/get", &[("registration_id", marie_reg.as_str())]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(admin.call("knowledge/get", &reg).await.0, StatusCode::NOT_FOUND);
    let k = |q: &str, c: &str| format!("answers[q{q}c{c}]");
    let (nep_key, isa_key, pcg_key, q2_key) = (k(&q1, &nep), k(&q1, &isa), k(&q1, &pcg), format!("answers[q{q2}]"));
    let foreign = [("registration_id", paul_reg.as_str()), ("test_id", test_id.as_str()), (nep_key.as_str(), "on")];
    assert_eq!(admin.call("knowledge/submit", &foreign).await.0, StatusCode::NOT_FOUND);
    let mut partial: Vec<(&str, String)> = vec![("registration_id", paul_reg.clone()), ("test_id", test_id.clone())];
    partial.push((nep_key.as_str(), "on".into()));
    let errors = paul.json("knowledge/submit", &as_pairs(&partial)).await;
    assert_eq!(errors[format!("q{q2}")], "Répondez à cette question.");
    assert_eq!(attempts_stored(&admin).await, 0);
    let page = paul.json("knowledge/get", &reg).await;
    assert_eq!(page["refused_test"].to_string(), test_id);
    assert_eq!(page["values"][format!("q{q1}c{nep}")], "on");
    // A choice of no question of the test: refused, no attempt.
    let mut hostile = partial.clone();
    hostile.push(("answers[q1c2]", "on".into()));
    hostile.push((q2_key.as_str(), vrai.clone()));
    let errors = paul.json("knowledge/submit", &as_pairs(&hostile)).await;
    assert_eq!(errors["answers"], "Réponse inconnue : rechargez la page du test.");
    assert_eq!(attempts_stored(&admin).await, 0);

    // First attempt: NEP and PCG (wrong), Vrai (right): 1 / 2, not passed; no correction yet.
    let mut first = partial.clone();
    first.push((pcg_key.as_str(), "on".into()));
    first.push((q2_key.as_str(), vrai.clone()));
    assert_eq!(paul.json("knowledge/submit", &as_pairs(&first)).await, serde_json::json!({}));
    let page = paul.json("knowledge/get", &reg).await;
    let test = &page["tests"][0];
    assert_eq!(test["attempts"][0]["score"], serde_json::json!({"correct": 1, "total": 2}));
    assert_eq!((test["state"].as_str(), test["missed"].clone()), (Some("Open"), serde_json::json!([1])));
    assert_eq!(test["corrections"], serde_json::json!([]), "no correction while another attempt is possible");
    // Second attempt: all right: passed, corrections shown.
    let mut second = partial.clone();
    second.push((isa_key.as_str(), "on".into()));
    second.push((q2_key.as_str(), vrai.clone()));
    paul.json("knowledge/submit", &as_pairs(&second)).await;
    let page = paul.json("knowledge/get", &reg).await;
    let test = &page["tests"][0];
    assert_eq!((test["state"].as_str(), test["attempts"][1]["passed"].as_bool()), (Some("Passed"), Some(true)));
    assert_eq!(test["corrections"][0]["choices"], serde_json::json!([["NEP", true, true], ["ISA", true, true], ["PCG", false, false]]));
    assert_eq!(test["questions"], serde_json::json!([]));
    let (_, html) = paul.get(&format!("/test-des-acquis/{paul_reg}")).await;
    assert!(html.contains("Tentative 2 : 2 / 2 (100 %)") && html.contains("(bonne réponse)"), "{html}");
    // No further attempt.
    let (status, _, body) = paul.call("knowledge/submit", &as_pairs(&second)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(attempts_stored(&admin).await, 2);

    // The provider sees each participant of the session.
    let results = olivier.json("knowledge/session", &[("session_id", "1")]).await;
    assert_eq!(zoe.call("knowledge/session", &[("session_id", "1")]).await.0, StatusCode::NOT_FOUND);
    let lines = results["results"][0]["lines"].as_array().unwrap();
    let line = |name: &str| lines.iter().find(|l| l["participant"] == name).unwrap().clone();
    assert_eq!((line("Paul Martin")["attempts"].as_i64(), line("Paul Martin")["passed"].as_bool()), (Some(2), Some(true)));
    assert_eq!(line("Marie Durand")["attempts"], 0);
    let (_, html) = olivier.get("/organisme/session/1").await;
    assert!(html.contains("Tests de validation des acquis") && html.contains("Réussi") && html.contains("Non passé"), "{html}");

    // The company's administrator and training manager see who passed; a participant
    // without a role does not.
    let cid = company.to_string();
    for manager in [&mut admin, &mut lea] {
        let results = manager.json("knowledge/company", &[("company_id", cid.as_str())]).await;
        assert_eq!(results[0]["lines"][0]["participant"], "Paul Martin");
        assert_eq!(results[0]["lines"][0]["passed"], true);
        assert_eq!(results[0]["lines"].as_array().unwrap().len(), 1, "only those who took it");
    }
    let (_, html) = admin.get(&format!("/entreprise/{company}/questionnaires")).await;
    assert!(html.contains("Tests de validation des acquis des collaborateurs") && html.contains("Réussi"), "{html}");
    assert_eq!(paul.call("knowledge/company", &[("company_id", cid.as_str())]).await.0, StatusCode::NOT_FOUND);

    // Once taken, the questions no longer change; the title and the mention do.
    let page = save(&mut olivier, &training, "apres", "Validation", "100", "2", "VF: Autre ?\n= faux").await;
    assert!(page["forms"]["apres"]["errors"]["questions"].as_str().unwrap().contains("ne changent plus"));
    let page = save(&mut olivier, &training, "apres", "Validation finale", "100", "2", QUESTIONS).await;
    assert_eq!(page["tests"][0]["title"], "Validation finale");
    let test_of = [("training_id", training.as_str()), ("test_id", test_id.as_str())];
    assert_eq!(olivier.call("knowledge/delete", &test_of).await.0, StatusCode::CONFLICT);

    // The certificate mentions the result (the provider chose so).
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "close")]).await;
    let (status, bytes) = paul.download(&format!("/documents/certificat/{paul_reg}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&bytes);
    assert!(text.contains("Test de validation des acquis (après la session) : réussi, 2 / 2 (100 %)"), "{text}");
    let (_, bytes) = admin.download(&format!("/documents/certificat/{marie_reg}")).await;
    assert!(!pdf_text(&bytes).contains("Test de validation"), "Marie did not take it");
}

#[tokio::test]
async fn another_company_sees_nothing_of_the_results() {
    let Firm { admin, mut paul, company, paul_reg, training, .. } = firm(2).await;
    let mut olivier = admin.provider_staff("olivier@crcc-k2.fr", 1).await;
    save(&mut olivier, &training, "apres", "Validation", "50", "1", QUESTIONS).await;
    session_over(&admin).await;
    let page = paul.json("knowledge/get", &[("registration_id", paul_reg.as_str())]).await;
    let test = &page["tests"][0];
    let test_id = test["test_id"].to_string();
    let (q1, nep, _, _, q2, vrai) = ids(test);
    let (k1, k2) = (format!("answers[q{q1}c{nep}]"), format!("answers[q{q2}]"));
    paul.json("knowledge/submit", &[("registration_id", paul_reg.as_str()), ("test_id", test_id.as_str()), (k1.as_str(), "on"), (k2.as_str(), vrai.as_str())]).await;

    // The administrator of another firm.
    let mut other = admin.new_client();
    other.sign_up("Bob", "Bernard", "bob@cabinet-autre-k.fr").await;
    let other_company = other.create_company(1, &siret(90), "restricted", &[]).await;
    let cid = company.to_string();
    let (status, _, body) = other.call("knowledge/company", &[("company_id", cid.as_str())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("Paul"), "{body}");
    let (_, html) = other.get(&format!("/entreprise/{company}/questionnaires")).await;
    assert!(!html.contains("Paul Martin"), "{html}");
    // His own firm's results hold nothing of Paul's.
    let own = other.json("knowledge/company", &[("company_id", other_company.to_string().as_str())]).await;
    assert_eq!(own, serde_json::json!([]));
    // Nor does he reach Paul's test.
    assert_eq!(other.call("knowledge/get", &[("registration_id", paul_reg.as_str())]).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_submissions_beyond_the_limit_are_refused() {
    let Firm { admin, paul, paul_reg, training, .. } = firm(3).await;
    let mut olivier = admin.provider_staff("olivier@crcc-k3.fr", 1).await;
    save(&mut olivier, &training, "apres", "Validation", "50", "1", QUESTIONS).await;
    session_over(&admin).await;
    let page = paul.clone().json("knowledge/get", &[("registration_id", paul_reg.as_str())]).await;
    let test = &page["tests"][0];
    let test_id = test["test_id"].to_string();
    let (q1, nep, _, _, q2, vrai) = ids(test);
    let form: Vec<(String, String)> = vec![
        ("registration_id".into(), paul_reg.clone()),
        ("test_id".into(), test_id),
        (format!("answers[q{q1}c{nep}]"), "on".into()),
        (format!("answers[q{q2}]"), vrai),
    ];
    // Two server instances on one database, as behind a load balancer.
    let other_instance = paul.second_instance().await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let mut client = if i % 2 == 0 { paul.clone() } else { other_instance.clone() };
            let form = form.clone();
            tokio::spawn(async move {
                let pairs: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                client.call("knowledge/submit", &pairs).await.0
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let ok = statuses.iter().filter(|s| s.is_success()).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((ok, refused), (1, 11), "{statuses:?}");
    assert_eq!(attempts_stored(&admin).await, 1);
}

#[tokio::test]
async fn without_javascript_the_forms_post_and_the_page_answers() {
    let Firm { mut admin, mut paul, paul_reg, marie_reg, training, .. } = firm(4).await;
    let mut olivier = admin.provider_staff("olivier@crcc-k4.fr", 1).await;
    // The provider's form, posted without JavaScript: back to its page, which shows it.
    let page = format!("/organisme/formation/{training}/tests");
    let (status, _, _) = olivier
        .post_form(
            "knowledge/save",
            &[
                ("training_id", training.as_str()),
                ("test[moment]", "avant"),
                ("test[title]", "Positionnement"),
                ("test[pass_mark]", "0"),
                ("test[max_attempts]", "1"),
                ("test[questions]", QUESTIONS),
            ],
            &page,
        )
        .await;
    assert!(status.is_redirection(), "{status}");
    let (_, html) = olivier.get(&page).await;
    assert!(html.contains("Test « Positionnement » créé (2 questions).") && html.contains("= vrai"), "{html}");

    // Before the session (it is to come): the test before it is open.
    let (_, html) = paul.get("/espaces").await;
    assert!(html.contains(&format!("/test-des-acquis/{paul_reg}")) && html.contains("Test de validation des acquis"), "{html}");
    let test = paul.json("knowledge/get", &[("registration_id", paul_reg.as_str())]).await["tests"][0].clone();
    let test_id = test["test_id"].to_string();
    let (q1, nep, _, _, q2, vrai) = ids(&test);
    let here = format!("/test-des-acquis/{paul_reg}");
    let nep_key = format!("answers[q{q1}c{nep}]");
    let (status, _, _) = paul
        .post_form("knowledge/submit", &[("registration_id", paul_reg.as_str()), ("test_id", test_id.as_str()), (nep_key.as_str(), "on")], &here)
        .await;
    assert!(status.is_redirection(), "{status}");
    let (_, html) = paul.get(&here).await;
    assert!(html.contains("Répondez à cette question."), "{html}");
    let q2_key = format!("answers[q{q2}]");
    paul.post_form(
        "knowledge/submit",
        &[("registration_id", paul_reg.as_str()), ("test_id", test_id.as_str()), (nep_key.as_str(), "on"), (q2_key.as_str(), vrai.as_str())],
        &here,
    )
    .await;
    let (_, html) = paul.get(&here).await;
    assert!(html.contains("Tentative 1 : 1 / 2 (50 %) — réussi") && html.contains("Corrections"), "{html}");

    // Once the session has begun, the test before it is closed.
    sqlx::query("UPDATE training_sessions SET start_date = '2025-01-06', end_date = '2030-01-07' WHERE id = 1").execute(admin.db()).await.unwrap();
    let test = paul.json("knowledge/get", &[("registration_id", paul_reg.as_str())]).await["tests"][0].clone();
    assert_eq!(test["state"], "Passed");
    let marie = [("registration_id", marie_reg.as_str())];
    let test = admin.json("knowledge/get", &marie).await["tests"][0].clone();
    assert_eq!((test["state"].as_str(), test["questions"].clone()), (Some("Closed"), serde_json::json!([])));
    let late = [("registration_id", marie_reg.as_str()), ("test_id", test_id.as_str()), (nep_key.as_str(), "on"), (q2_key.as_str(), vrai.as_str())];
    assert_eq!(admin.call("knowledge/submit", &late).await.0, StatusCode::CONFLICT);
}
