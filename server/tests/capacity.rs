//! A session never holds more registrations than its capacity, even under a burst of
//! concurrent requests.

mod common;

use app::domain::account::SignupForm;
use app::server::registrations::{register, Participant, RegisterOutcome};
use app::server::{accounts, Db};

async fn a_user(db: &Db) -> i64 {
    let form = SignupForm {
        civility: "m".into(),
        first_name: "Jean".into(),
        last_name: "Dupont".into(),
        email: "jean@cabinet-h.fr".into(),
        phone: "0123456789".into(),
        profession: "autre".into(),
        professional_number: String::new(),
        address_line: "1 rue A".into(),
        postal_code: "75001".into(),
        city: "Paris".into(),
    };
    match accounts::create(db, &form.parse().unwrap(), "mot-de-passe-solide".into()).await.unwrap() {
        accounts::CreateOutcome::Created(id) => id,
        accounts::CreateOutcome::EmailTaken => unreachable!(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_requests_for_the_last_seat_yield_one_registration() {
    let app = common::TestApp::spawn().await;
    let db = app.db().clone();
    let user = a_user(&db).await;
    sqlx::query("UPDATE training_sessions SET seats_taken = capacity - 1 WHERE id = 1").execute(&db).await.unwrap();

    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let p = Participant { email: format!("p{i}@cabinet-h.fr"), first_name: "P".into(), last_name: format!("{i}") };
                register(&db, 1, None, &p, user).await.expect("no database error under contention")
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    let registered = outcomes.iter().filter(|o| matches!(o, RegisterOutcome::Registered(_))).count();
    let full = outcomes.iter().filter(|o| **o == RegisterOutcome::Full).count();
    assert_eq!((registered, full), (1, 49));
    let (taken, capacity): (i64, i64) =
        sqlx::query_as("SELECT seats_taken, capacity FROM training_sessions WHERE id = 1").fetch_one(&db).await.unwrap();
    assert_eq!(taken, capacity);
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM registrations WHERE session_id = 1").fetch_one(&db).await.unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn the_same_person_is_registered_once_and_keeps_no_seat_twice() {
    let app = common::TestApp::spawn().await;
    let db = app.db().clone();
    let user = a_user(&db).await;
    let p = Participant { email: "lea@cabinet-h.fr".into(), first_name: "Léa".into(), last_name: "Petit".into() };
    assert!(matches!(register(&db, 4, None, &p, user).await.unwrap(), RegisterOutcome::Registered(_)));
    assert_eq!(register(&db, 4, None, &p, user).await.unwrap(), RegisterOutcome::AlreadyRegistered);
    let (taken,): (i64,) = sqlx::query_as("SELECT seats_taken FROM training_sessions WHERE id = 4").fetch_one(&db).await.unwrap();
    assert_eq!(taken, 1);
}
