//! The waiting list of a full session (issue 13): a freed seat is offered to one person
//! only, the first in order, for 48 hours, then to the next; a taken offer becomes a
//! cart registration on exactly that seat — also when fifty requests race for it, on
//! SQLite and PostgreSQL (TEST_DATABASE_URL).

mod common;

use app::domain::waitlist::{ClaimOutcome, JoinOutcome, WaitlistStatus, OFFER_SECS};
use app::server::registrations::{self, RegisterOutcome};
use app::server::waitlist::{self, Claim, Participant};
use app::server::{orders, provider, Db};
use axum::http::{header, StatusCode};
use common::{siret, TestApp};

/// Session 4 (training 2, provider 2), made a one-seat session.
const SESSION: i64 = 4;

async fn user_id(db: &Db, email: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(db).await.unwrap();
    id
}

fn person(i: usize) -> Participant {
    Participant { email: format!("p{i}@cabinet-wl.fr"), first_name: format!("Prénom{i}"), last_name: format!("Nom{i}") }
}

async fn seats(db: &Db) -> (i64, i64) {
    sqlx::query_as("SELECT seats_taken, capacity FROM training_sessions WHERE id = $1").bind(SESSION).fetch_one(db).await.unwrap()
}

/// (position, status) of every entry of the session, in order.
async fn entries(db: &Db) -> Vec<(i64, WaitlistStatus)> {
    sqlx::query_as("SELECT position, status FROM waitlist_entries WHERE session_id = $1 ORDER BY position")
        .bind(SESSION)
        .fetch_all(db)
        .await
        .unwrap()
}

async fn offered(db: &Db) -> Vec<i64> {
    entries(db).await.into_iter().filter(|(_, s)| *s == WaitlistStatus::Offered).map(|(p, _)| p).collect()
}

async fn entry_at(db: &Db, position: i64) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM waitlist_entries WHERE session_id = $1 AND position = $2")
        .bind(SESSION)
        .bind(position)
        .fetch_one(db)
        .await
        .unwrap();
    id
}

async fn offer_mails(db: &Db) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Une place s''est libérée%'").fetch_one(db).await.unwrap();
    n
}

/// A firm (its admin logged in) and the one-seat session, filled by one of its
/// registrations (returned).
async fn full_session(n: u32) -> (TestApp, i64, i64, i64) {
    let mut admin = TestApp::spawn().await;
    let email = format!("alice{n}@cabinet-wl.fr");
    admin.sign_up("Alice", "Attente", &email).await;
    let company = admin.create_company(SESSION, &siret(300 + n), "restricted", &[]).await;
    let user = user_id(admin.db(), &email).await;
    sqlx::query("UPDATE training_sessions SET capacity = 1, seats_taken = 0 WHERE id = $1").bind(SESSION).execute(admin.db()).await.unwrap();
    let holder = registrations::Participant { email: "titulaire@cabinet-wl.fr".into(), first_name: "Théo".into(), last_name: "Titulaire".into() };
    let RegisterOutcome::Registered(reg) = registrations::register(admin.db(), SESSION, Some(company), &holder, user).await.unwrap() else {
        panic!("the seat")
    };
    (admin, company, user, reg)
}

async fn join(db: &Db, company: i64, p: &Participant, user: i64) -> JoinOutcome {
    let mut tx = app::server::db::begin(db).await.unwrap();
    let outcome = waitlist::join(&mut tx, SESSION, company, p, user).await.unwrap().expect("the session");
    tx.commit().await.unwrap();
    outcome
}

async fn claim(db: &Db, company: i64, entry: i64, user: i64) -> Claim {
    let mut tx = app::server::db::begin(db).await.unwrap();
    let held_until = app::server::db::now() + orders::HOLD_SECS;
    let outcome = waitlist::claim(&mut tx, company, entry, user, held_until).await.unwrap().expect("the entry");
    tx.commit().await.unwrap();
    outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_join_in_order_and_each_freed_seat_goes_to_one_person_the_first() {
    let (admin, company, user, reg) = full_session(1).await;
    let db = admin.db().clone();

    // A session with a free seat has no list: register directly.
    sqlx::query("UPDATE training_sessions SET capacity = 2 WHERE id = $1").bind(SESSION).execute(&db).await.unwrap();
    assert_eq!(join(&db, company, &person(99), user).await, JoinOutcome::NotFull);
    sqlx::query("UPDATE training_sessions SET capacity = 1 WHERE id = $1").bind(SESSION).execute(&db).await.unwrap();

    // Fifty people join at once: fifty distinct places, 1 to 50.
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move { join(&db, company, &person(i), user).await })
        })
        .collect();
    let mut ranks = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            JoinOutcome::Joined { rank, .. } => ranks.push(rank),
            other => panic!("{other:?}"),
        }
    }
    ranks.sort_unstable();
    assert_eq!(ranks, (1..=50).collect::<Vec<i64>>());
    assert_eq!(entries(&db).await.iter().map(|e| e.0).collect::<Vec<_>>(), (1..=50).collect::<Vec<i64>>());
    // Twice on one list, or on the list while registered: refused.
    let first_in_line: (String,) =
        sqlx::query_as("SELECT participant_email FROM waitlist_entries WHERE session_id = $1 AND position = 1").bind(SESSION).fetch_one(&db).await.unwrap();
    let again = Participant { email: first_in_line.0.clone(), first_name: "X".into(), last_name: "Y".into() };
    assert_eq!(join(&db, company, &again, user).await, JoinOutcome::AlreadyOnList);
    let holder = Participant { email: "titulaire@cabinet-wl.fr".into(), first_name: "T".into(), last_name: "T".into() };
    assert_eq!(join(&db, company, &holder, user).await, JoinOutcome::AlreadyRegistered);
    assert_eq!(offer_mails(&db).await, 0);

    // The firm cancels its registration while fifty others try to register: the seat
    // goes to the list's first, to nobody else.
    let cancelled = {
        let db = db.clone();
        tokio::spawn(async move { registrations::cancel(&db, company, reg, None).await.unwrap() })
    };
    let racing: Vec<_> = (100..150)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let p = person(i);
                let p = registrations::Participant { email: p.email, first_name: p.first_name, last_name: p.last_name };
                registrations::register(&db, SESSION, Some(company), &p, user).await.unwrap()
            })
        })
        .collect();
    assert!(cancelled.await.unwrap());
    for r in racing {
        assert_eq!(r.await.unwrap(), RegisterOutcome::Full, "a seat of the waiting list went to a newcomer");
    }
    assert_eq!(offered(&db).await, vec![1], "one offer, to the first in order");
    assert_eq!(seats(&db).await, (1, 1), "the offer holds the seat");
    assert_eq!(offer_mails(&db).await, 1);
    let (to, body): (String, String) =
        sqlx::query_as("SELECT to_addr, body FROM outbox WHERE subject LIKE 'Une place s''est libérée%'").fetch_one(&db).await.unwrap();
    assert_eq!(to, "alice1@cabinet-wl.fr", "the requester is mailed");
    assert!(body.contains("« Accepter la place »") && body.contains("réservée jusqu'au"), "{body}");
    let (expires, made): (i64, i64) = sqlx::query_as("SELECT offer_expires_at, offered_at FROM waitlist_entries WHERE session_id = $1 AND position = 1")
        .bind(SESSION)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(expires - made, OFFER_SECS);

    // Someone still waiting has nothing to take.
    let Claim::Refused(refused) = claim(&db, company, entry_at(&db, 2).await, user).await else { panic!("nothing offered to the second") };
    assert_eq!(refused, ClaimOutcome::NotOffered);

    // The first withdraws: the seat goes to the second.
    let mut tx = app::server::db::begin(&db).await.unwrap();
    assert!(waitlist::withdraw(&mut tx, company, entry_at(&db, 1).await).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(offered(&db).await, vec![2]);
    assert_eq!(seats(&db).await, (1, 1));

    // The second lets 48 hours pass: the sweep hands the seat to the third.
    sqlx::query("UPDATE waitlist_entries SET offer_expires_at = $1 WHERE session_id = $2 AND position = 2")
        .bind(app::server::db::now() - 1)
        .bind(SESSION)
        .execute(&db)
        .await
        .unwrap();
    let Claim::Refused(late) = claim(&db, company, entry_at(&db, 2).await, user).await else { panic!("a lapsed offer was taken") };
    assert_eq!(late, ClaimOutcome::Lapsed);
    assert_eq!(offered(&db).await, vec![3], "the lapsed offer passed to the next in order");
    assert_eq!(entries(&db).await[1].1, WaitlistStatus::Lapsed);
    assert_eq!(seats(&db).await, (1, 1));
    assert_eq!(offer_mails(&db).await, 3);

    // Fifty clicks on the third's offer: one cart line, on that seat.
    let third = entry_at(&db, 3).await;
    let clicks: Vec<_> = (0..50)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { claim(&db, company, third, user).await })
        })
        .collect();
    let (mut done, mut taken) = (Vec::new(), 0);
    for c in clicks {
        match c.await.unwrap() {
            Claim::Done(seat) => done.push(seat.registration_id),
            Claim::Refused(ClaimOutcome::AlreadyTaken) => taken += 1,
            Claim::Refused(other) => panic!("{other:?}"),
        }
    }
    assert_eq!((done.len(), taken), (1, 49));
    assert_eq!(seats(&db).await, (1, 1), "the seat passed from the offer to the cart line");
    let (status, held_until): (String, Option<i64>) =
        sqlx::query_as("SELECT status, held_until FROM registrations WHERE id = $1").bind(done[0]).fetch_one(&db).await.unwrap();
    assert_eq!(status, "panier");
    assert!(held_until.is_some());
    assert_eq!(orders::cart(&db, company, user).await.unwrap().len(), 1, "the seat is in the firm's cart");
    assert_eq!(entries(&db).await[2].1, WaitlistStatus::Taken);
    assert_eq!(offered(&db).await, Vec::<i64>::new());

    // The cart hold runs out: the seat goes to the next in order (the fourth).
    sqlx::query("UPDATE registrations SET held_until = $1 WHERE id = $2").bind(app::server::db::now() - 1).bind(done[0]).execute(&db).await.unwrap();
    assert_eq!(orders::release_expired(&db).await.unwrap(), 1);
    assert_eq!(offered(&db).await, vec![4]);
    assert_eq!(seats(&db).await, (1, 1));

    // The provider adds two seats: the fifth and sixth are offered them.
    assert!(provider::set_capacity(&db, SESSION, 3).await.unwrap());
    assert_eq!(offered(&db).await, vec![4, 5, 6]);
    assert_eq!(seats(&db).await, (3, 3));
    // And cannot lower the capacity below the seats the offers hold.
    assert!(!provider::set_capacity(&db, SESSION, 2).await.unwrap());

    // The periodic sweep hands a lapsed offer on, to the next in order.
    sqlx::query("UPDATE waitlist_entries SET offer_expires_at = $1 WHERE session_id = $2 AND position = 5")
        .bind(app::server::db::now() - 1)
        .bind(SESSION)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(waitlist::sweep(&db).await.unwrap(), 1);
    assert_eq!(offered(&db).await, vec![4, 6, 7]);
    assert_eq!(waitlist::sweep(&db).await.unwrap(), 0, "nothing left to do");
    assert_eq!(seats(&db).await, (3, 3));
}

#[tokio::test]
async fn a_cancelled_session_closes_its_list_and_gives_the_offered_seats_back() {
    let (admin, company, user, reg) = full_session(2).await;
    let db = admin.db().clone();
    for i in 0..3 {
        assert!(matches!(join(&db, company, &person(i), user).await, JoinOutcome::Joined { .. }));
    }
    assert!(registrations::cancel(&db, company, reg, None).await.unwrap());
    assert_eq!(offered(&db).await, vec![1]);
    let session = app::server::backoffice::session(&db, 2, SESSION).await.unwrap().unwrap();
    let mut tx = app::server::db::begin(&db).await.unwrap();
    app::server::backoffice::cancel(&mut tx, &session, None).await.unwrap();
    tx.commit().await.unwrap();
    assert!(entries(&db).await.iter().all(|(_, s)| *s == WaitlistStatus::Closed), "{:?}", entries(&db).await);
    assert_eq!(seats(&db).await.0, 0);
    assert_eq!(join(&db, company, &person(10), user).await, JoinOutcome::SessionClosed);
}

/// Through the real HTTP stack, on two server instances: fifty clicks on "Accepter la
/// place" make one cart line; the others get a clear refusal (409), never a 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_clicks_through_two_instances_take_the_seat_once() {
    let (mut admin, company, _, reg) = full_session(3).await;
    let cid = company.to_string();
    let sid = SESSION.to_string();

    // The page of the full session, and the form to join its list.
    let (status, html) = admin.get("/formations/2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Session complète") && html.contains(&format!("/liste-d-attente/{SESSION}")), "no way to the list");
    let (status, html) = admin.get(&format!("/liste-d-attente/{SESSION}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("M&#x27;inscrire sur liste d&#x27;attente") || html.contains("M'inscrire sur liste d'attente"), "{html}");
    for i in 0..2 {
        let p = person(i);
        admin
            .json("waitlist/join", &[("company_id", &cid), ("session_id", &sid), ("email", &p.email), ("first_name", &p.first_name), ("last_name", &p.last_name)])
            .await;
    }
    let page = admin.json("waitlist/session", &[("session_id", &sid)]).await;
    assert_eq!(page["waiting"], 2, "{page}");
    assert_eq!(page["entries"].as_array().map(|a| a.len()), Some(2), "{page}");
    assert_eq!(page["entries"][0]["rank"], 1);
    assert_eq!(page["echo"]["notice"], "Prénom1 Nom1 est inscrit(e) sur liste d'attente, en position 2.");
    // An invalid participant is told why, the list unchanged.
    admin.json("waitlist/join", &[("company_id", &cid), ("session_id", &sid), ("email", "pas-une-adresse"), ("first_name", "A"), ("last_name", "B")]).await;
    let page = admin.json("waitlist/session", &[("session_id", &sid)]).await;
    assert!(page["echo"]["errors"]["email"].is_string(), "{page}");
    assert_eq!(page["waiting"], 2);

    // The firm cancels its registration through its space: the first is offered the seat.
    admin.json("company/registrations/cancel", &[("company_id", &cid), ("registration_id", &reg.to_string())]).await;
    let mine = admin.json("waitlist/mine", &[]).await;
    assert_eq!(mine["lines"][0]["status"], "proposee", "{mine}");
    assert_eq!(mine["lines"][0]["may_act"], true);
    assert_eq!(mine["lines"][1]["status"], "attend");
    let entry = mine["lines"][0]["id"].as_i64().unwrap().to_string();
    let waiting_entry = mine["lines"][1]["id"].as_i64().unwrap().to_string();

    // The provider's staff see the list in order.
    let mut staff = admin.provider_staff("olivier@organisme-wl.fr", 2).await;
    let list = staff.json("waitlist/provider", &[("session_id", &sid)]).await;
    assert_eq!(list[0]["position"], 1, "{list}");
    assert_eq!(list[0]["status"], "proposee");
    assert_eq!(list[1]["status"], "attend");
    let (status, html) = staff.get(&format!("/organisme/session/{SESSION}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Liste d&#x27;attente") || html.contains("Liste d'attente"), "no list on the provider's page");
    // Another firm's entry is not the caller's to see through the provider endpoint.
    let (status, _, _) = admin.call("waitlist/provider", &[("session_id", &sid)]).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");

    // Nothing offered to the second yet: a clear refusal.
    let (status, _, body) = admin.call("waitlist/claim", &[("company_id", &cid), ("entry_id", &waiting_entry)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    let other = admin.second_instance().await;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let mut client = if i % 2 == 0 { admin.clone() } else { other.clone() };
            let (cid, entry) = (cid.clone(), entry.clone());
            tokio::spawn(async move {
                let (status, headers, body) = client.call("waitlist/claim", &[("company_id", cid.as_str()), ("entry_id", entry.as_str())]).await;
                (status, headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_string()), body)
            })
        })
        .collect();
    let (mut won, mut refused) = (0, 0);
    for t in tasks {
        let (status, location, body) = t.await.unwrap();
        assert!(!status.is_server_error(), "{status} {body}");
        if status.is_success() {
            assert_eq!(location.as_deref(), Some(format!("/entreprise/{company}/panier").as_str()));
            won += 1;
        } else {
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
            assert!(body.contains("déjà été acceptée"), "{body}");
            refused += 1;
        }
    }
    assert_eq!((won, refused), (1, 49));
    assert_eq!(seats(admin.db()).await, (1, 1));
    let cart = admin.json("orders/cart", &[("company_id", &cid)]).await;
    let lines = cart["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1, "{cart}");
    assert_eq!(lines[0]["participant"], "Prénom0 Nom0");
    // The participant, without an account, is invited as from the catalogue.
    let (invited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM invitations WHERE email = 'p0@cabinet-wl.fr'").fetch_one(admin.db()).await.unwrap();
    assert_eq!(invited, 1);
    // The seat is ordered like any registration.
    admin.validate_cart(company).await;
    let (status,): (String,) = sqlx::query_as("SELECT status FROM registrations WHERE participant_email = 'p0@cabinet-wl.fr'").fetch_one(admin.db()).await.unwrap();
    assert_eq!(status, "en_attente");

    // Without JavaScript: the second is withdrawn by a plain form post, sent back.
    let (status, _, _) = admin.post_form("waitlist/withdraw", &[("company_id", &cid), ("entry_id", &waiting_entry)], &format!("/liste-d-attente/{SESSION}")).await;
    assert!(status.is_redirection() || status.is_success(), "{status}");
    assert_eq!(entries(admin.db()).await.iter().map(|e| e.1).collect::<Vec<_>>(), vec![WaitlistStatus::Taken, WaitlistStatus::Withdrawn]);
}
