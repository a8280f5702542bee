//! The outbox (issue 12): a mail exists exactly when the change that causes it does, the
//! worker of each instance sends it through a real SMTP peer, retries a refusal with
//! its backoff, gives up after 24 hours or a permanent refusal and shows that to the
//! provider's staff, and two instances never send one mail twice. On SQLite, or on
//! PostgreSQL with TEST_DATABASE_URL.
//!
//! The SMTP server is a real protocol peer on 127.0.0.1 (tokio, the commands lettre
//! sends); time is chosen by the tests where the schedule matters (`deliver_due` at a
//! given instant), never slept through.

mod common;

use app::server::db::now;
use app::server::mail::{deliver_due, Mailer, LEASE_SECS};
use app::server::outbox::{self, Mail};
use common::{siret, TestApp};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the SMTP server saw.
#[derive(Default)]
struct Seen {
    /// 451 answers still to give to RCPT.
    refusals_left: usize,
    /// Every RCPT address, refused or not, in order.
    recipients_asked: Vec<String>,
    /// Messages accepted after DATA: (recipient, message as received).
    accepted: Vec<(String, String)>,
}

impl Seen {
    fn accepted_for(&self, to: &str) -> usize {
        self.accepted.iter().filter(|(r, _)| r == to).count()
    }
}

/// A tiny SMTP server: 451 to the first `refusals` RCPT commands, 550 to any address
/// that starts with "inconnu" (no such mailbox), 250 otherwise; one message per
/// connection (lettre opens one per mail).
struct SmtpServer {
    port: u16,
    seen: Arc<Mutex<Seen>>,
}

impl SmtpServer {
    async fn start(refusals: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Seen { refusals_left: refusals, ..Default::default() }));
        let shared = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { return };
                tokio::spawn(session(socket, shared.clone()));
            }
        });
        Self { port, seen }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn seen<T>(&self, f: impl FnOnce(&Seen) -> T) -> T {
        f(&self.seen.lock().unwrap())
    }

    /// Waits (at most 20 s, polling) until the condition holds.
    async fn wait_until(&self, what: &str, condition: impl Fn(&Seen) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !self.seen(&condition) {
            assert!(tokio::time::Instant::now() < deadline, "the SMTP server never saw: {what}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// One SMTP conversation.
async fn session(socket: tokio::net::TcpStream, seen: Arc<Mutex<Seen>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    if write.write_all(b"220 smtp.test ESMTP\r\n").await.is_err() {
        return;
    }
    let mut recipient = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let answer: String = if upper.starts_with("EHLO") {
            "250-smtp.test\r\n250 8BITMIME\r\n".into()
        } else if upper.starts_with("HELO") || upper.starts_with("MAIL FROM") || upper.starts_with("RSET") || upper.starts_with("NOOP") {
            "250 OK\r\n".into()
        } else if upper.starts_with("RCPT TO") {
            let address = line[line.find('<').map_or(0, |i| i + 1)..line.find('>').unwrap_or(line.len())].to_string();
            let mut s = seen.lock().unwrap();
            s.recipients_asked.push(address.clone());
            if address.starts_with("inconnu") {
                "550 5.1.1 Boîte aux lettres inconnue\r\n".into()
            } else if s.refusals_left > 0 {
                s.refusals_left -= 1;
                "451 4.3.0 Réessayez plus tard\r\n".into()
            } else {
                recipient = address;
                "250 OK\r\n".into()
            }
        } else if upper == "DATA" {
            if write.write_all(b"354 Envoyez le message\r\n").await.is_err() {
                return;
            }
            let mut message = String::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                message.push_str(&l);
                message.push('\n');
            }
            seen.lock().unwrap().accepted.push((recipient.clone(), message));
            "250 OK reçu\r\n".into()
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(b"221 Au revoir\r\n").await;
            return;
        } else {
            "502 Commande inconnue\r\n".into()
        };
        if write.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The outbox row of the only mail to `to`: (attempts, next attempt, sent, failed, error).
async fn row(app: &TestApp, to: &str) -> (i64, i64, Option<i64>, Option<i64>, Option<String>) {
    sqlx::query_as("SELECT attempts, next_attempt_at, sent_at, failed_at, error FROM outbox WHERE to_addr = $1")
        .bind(to)
        .fetch_one(app.db())
        .await
        .unwrap()
}

async fn count_to(app: &TestApp, to: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE to_addr = $1").bind(to).fetch_one(app.db()).await.unwrap();
    n
}

/// A worker driven by the test, on the SMTP server, with the test's clock.
fn test_mailer(smtp: &SmtpServer) -> Mailer {
    Mailer::new(Some(&smtp.url()), "Portail <portail@test.fr>").unwrap()
}

/// Passes at `at` until nothing more is due then.
async fn drain(app: &TestApp, mailer: &Mailer, at: i64) {
    while deliver_due(app.db(), mailer, at).await.unwrap().claimed > 0 {}
}

#[tokio::test]
async fn a_mail_whose_transaction_rolls_back_is_never_sent() {
    let smtp = SmtpServer::start(0).await;
    let url = smtp.url();
    let app = TestApp::spawn_configured(move |s, _| s.smtp_url = Some(url)).await;
    let mailer = &app.state.mailer;

    // A change that fails after writing its mail: the mail goes with it.
    let mut tx = app::server::db::begin(app.db()).await.unwrap();
    mailer.enqueue(&mut tx, &Mail::new("annule@cabinet-o1.fr", "Annulé", "Ne doit jamais partir.")).await.unwrap();
    tx.rollback().await.unwrap();
    // One that commits: its mail leaves, woken by the commit.
    let mut tx = app::server::db::begin(app.db()).await.unwrap();
    mailer.enqueue(&mut tx, &Mail::new("garde@cabinet-o1.fr", "Gardé", "Part.")).await.unwrap();
    mailer.commit(tx).await.unwrap();
    smtp.wait_until("the committed mail", |s| s.accepted_for("garde@cabinet-o1.fr") == 1).await;

    // Through the portal: a sign-up's confirmation link leaves as well.
    let mut visitor = app.new_client();
    let (status, _, body) = visitor.post_sign_up("Léa", "Roux", "lea@cabinet-o1.fr", "mot-de-passe-solide").await;
    assert!(status.is_success(), "{body}");
    smtp.wait_until("the confirmation link", |s| s.accepted_for("lea@cabinet-o1.fr") == 1).await;
    let link = smtp.seen(|s| s.accepted.iter().find(|(r, _)| r == "lea@cabinet-o1.fr").unwrap().1.clone());
    assert!(link.contains("/confirmer/"), "{link}");

    // The worker went through the outbox twice since the rollback: nothing of it.
    assert_eq!(count_to(&app, "annule@cabinet-o1.fr").await, 0);
    assert!(smtp.seen(|s| !s.recipients_asked.iter().any(|r| r == "annule@cabinet-o1.fr")));
    let (_, _, sent, _, _) = row(&app, "garde@cabinet-o1.fr").await;
    assert!(sent.is_some(), "the sending is recorded");
}

#[tokio::test]
async fn an_smtp_server_that_refuses_twice_then_accepts_gets_the_mail_once() {
    let smtp = SmtpServer::start(2).await;
    // The portal writes the mail; the test runs the worker with its own clock.
    let app = TestApp::spawn().await;
    let mailer = test_mailer(&smtp);
    let to = "paul@cabinet-o2.fr";
    app.state.mailer.post(app.db(), &Mail::new(to, "Essai", "Bonjour Paul,\n\nUn message du portail.\n")).await.unwrap();

    let t0 = now();
    let first = deliver_due(app.db(), &mailer, t0).await.unwrap();
    assert_eq!((first.claimed, first.sent, first.retried), (1, 0, 1));
    let (attempts, t1, sent, failed, error) = row(&app, to).await;
    assert_eq!((attempts, sent, failed), (1, None, None));
    assert!(error.as_deref().is_some_and(|e| e.contains("451")), "{error:?}");
    assert!((30..=35).contains(&(t1 - t0)), "first wait: {}", t1 - t0);

    // Not due before its time.
    assert_eq!(deliver_due(app.db(), &mailer, t1 - 1).await.unwrap().claimed, 0);
    let second = deliver_due(app.db(), &mailer, t1).await.unwrap();
    assert_eq!((second.claimed, second.retried), (1, 1));
    let (attempts, t2, _, _, _) = row(&app, to).await;
    assert_eq!(attempts, 2);
    assert!((60..=65).contains(&(t2 - t1)), "the wait doubles: {}", t2 - t1);

    let third = deliver_due(app.db(), &mailer, t2).await.unwrap();
    assert_eq!((third.claimed, third.sent), (1, 1));
    let (attempts, _, sent, failed, error) = row(&app, to).await;
    assert_eq!((attempts, failed, error), (3, None, None));
    assert!(sent.is_some());
    // Nothing more, ever.
    assert_eq!(deliver_due(app.db(), &mailer, t2 + 86_400).await.unwrap().claimed, 0);
    smtp.seen(|s| {
        assert_eq!(s.recipients_asked.iter().filter(|r| *r == to).count(), 3, "three attempts");
        assert_eq!(s.accepted_for(to), 1, "one mail received");
        assert!(s.accepted[0].1.contains("Subject: Essai"), "{}", s.accepted[0].1);
    });
    assert_eq!(outbox::backlog(app.db()).await.unwrap(), (0, 0));
}

#[tokio::test]
async fn the_lease_of_an_instance_that_died_expires_and_another_sends_the_mail() {
    let smtp = SmtpServer::start(0).await;
    let app = TestApp::spawn().await;
    let mailer = test_mailer(&smtp);
    let to = "zoe@cabinet-o3.fr";
    app.state.mailer.post(app.db(), &Mail::new(to, "Essai", "Texte")).await.unwrap();
    let t0 = now();
    // An instance claims it, then dies before sending.
    let lost = outbox::claim(app.db(), t0, 8, LEASE_SECS).await.unwrap();
    assert_eq!(lost.len(), 1);
    assert_eq!(deliver_due(app.db(), &mailer, t0 + LEASE_SECS - 1).await.unwrap().claimed, 0, "held by its lease");
    let done = deliver_due(app.db(), &mailer, t0 + LEASE_SECS).await.unwrap();
    assert_eq!((done.claimed, done.sent), (1, 1));
    // Had the first instance come back, its record would be refused: the claim is not its own.
    assert!(!outbox::sent(app.db(), &lost[0], t0 + LEASE_SECS + 1).await.unwrap());
    let (attempts, _, _, _, _) = row(&app, to).await;
    assert_eq!(attempts, 2);
    assert_eq!(smtp.seen(|s| s.accepted_for(to)), 1);
}

#[tokio::test]
async fn mails_older_than_a_day_and_erased_addresses_are_given_up_unsent() {
    let smtp = SmtpServer::start(0).await;
    let app = TestApp::spawn().await;
    let mailer = test_mailer(&smtp);
    for to in ["vieux@cabinet-o4.fr", "efface@cabinet-o4.fr", "frais@cabinet-o4.fr"] {
        app.state.mailer.post(app.db(), &Mail::new(to, "Essai", "Texte")).await.unwrap();
    }
    sqlx::query("UPDATE outbox SET created_at = created_at - 86400 WHERE to_addr = 'vieux@cabinet-o4.fr'").execute(app.db()).await.unwrap();
    // As the erasure of a person leaves it (`privacy`).
    sqlx::query("UPDATE outbox SET to_addr = 'efface-1@invalid', body = '' WHERE to_addr = 'efface@cabinet-o4.fr'").execute(app.db()).await.unwrap();
    let done = deliver_due(app.db(), &mailer, now()).await.unwrap();
    assert_eq!((done.expired, done.sent), (2, 1));
    assert_eq!(row(&app, "vieux@cabinet-o4.fr").await.4.as_deref(), Some(outbox::NOT_SENT_IN_TIME));
    assert_eq!(row(&app, "efface-1@invalid").await.4.as_deref(), Some(outbox::ERASED));
    smtp.seen(|s| assert_eq!(s.recipients_asked, ["frais@cabinet-o4.fr"]));
    assert_eq!(outbox::backlog(app.db()).await.unwrap(), (0, 2));
}

#[tokio::test]
async fn two_instances_send_each_mail_once() {
    let smtp = SmtpServer::start(0).await;
    let url = smtp.url();
    let a = TestApp::spawn_configured({
        let url = url.clone();
        move |s, _| s.smtp_url = Some(url)
    })
    .await;
    let b = a.second_instance_configured(move |s, _| s.smtp_url = Some(url)).await;
    println!("two instances with their workers on {}", if common::is_postgres() { "PostgreSQL" } else { "SQLite" });

    // Many mails at once, written by both instances; both workers woken together.
    const N: usize = 40;
    let recipients: Vec<String> = (0..N).map(|i| format!("p{i:02}@cabinet-o5.fr")).collect();
    let mut tx_a = app::server::db::begin(a.db()).await.unwrap();
    for to in &recipients[..N / 2] {
        a.state.mailer.enqueue(&mut tx_a, &Mail::new(to.as_str(), "Essai", "Texte")).await.unwrap();
    }
    a.state.mailer.commit(tx_a).await.unwrap();
    let mut tx_b = app::server::db::begin(b.db()).await.unwrap();
    for to in &recipients[N / 2..] {
        b.state.mailer.enqueue(&mut tx_b, &Mail::new(to.as_str(), "Essai", "Texte")).await.unwrap();
    }
    b.state.mailer.commit(tx_b).await.unwrap();
    a.state.mailer.wake();

    smtp.wait_until("every mail", |s| s.accepted.len() >= N).await;
    // Both workers poll again meanwhile: nothing is sent a second time.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let (waiting,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(a.db()).await.unwrap();
        if waiting == 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{waiting} mails never recorded as sent");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    smtp.seen(|s| {
        let mut per: BTreeMap<&str, usize> = BTreeMap::new();
        for (r, _) in &s.accepted {
            *per.entry(r.as_str()).or_default() += 1;
        }
        assert_eq!(per.len(), N, "{per:?}");
        assert!(per.values().all(|n| *n == 1), "a mail sent twice: {per:?}");
    });
}

#[tokio::test]
async fn concurrent_claims_on_two_instances_never_take_one_mail_twice() {
    let a = TestApp::spawn().await;
    let b = a.second_instance().await;
    const N: usize = 60;
    for i in 0..N {
        a.state.mailer.post(a.db(), &Mail::new(format!("c{i:02}@cabinet-o6.fr"), "Essai", "Texte")).await.unwrap();
    }
    let at = now();
    // Six claimers on two pools, three mails at a time, until nothing is left.
    let mut tasks = Vec::new();
    for k in 0..6 {
        let db = if k % 2 == 0 { a.db().clone() } else { b.db().clone() };
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let claimed = outbox::claim(&db, at, 3, LEASE_SECS).await.expect("a claim never fails under contention");
                if claimed.is_empty() {
                    return mine;
                }
                mine.extend(claimed.into_iter().map(|c| c.id));
            }
        }));
    }
    let mut all = Vec::new();
    let mut claimers_with_mail = 0;
    for t in tasks {
        let mine = t.await.unwrap();
        claimers_with_mail += usize::from(!mine.is_empty());
        all.extend(mine);
    }
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), N, "each mail claimed once");
    assert_eq!(distinct.len(), N);
    println!("{N} mails claimed by {claimers_with_mail} of 6 concurrent claimers, none twice");
}

#[tokio::test]
async fn undelivered_mails_are_shown_to_the_staff_of_their_provider_only() {
    let smtp = SmtpServer::start(0).await;
    let mut admin = TestApp::spawn().await;
    let mailer = test_mailer(&smtp);
    admin.sign_up("Marie", "Durand", "marie@cabinet-o7.fr").await;
    let company = admin.create_company(1, &siret(77), "restricted", &[]).await;
    // A participant whose address the mail server does not know.
    let unknown = "inconnu.paul@cabinet-o7.fr";
    for (email, first, last) in [("marie@cabinet-o7.fr", "", ""), (unknown, "Paul", "Martin")] {
        admin.json("wizard/participants", &[("op", "add"), ("email", email), ("first_name", first), ("last_name", last)]).await;
    }
    admin.json("wizard/participants", &[("op", "confirm"), ("email", ""), ("first_name", ""), ("last_name", "")]).await;
    admin.validate_cart(company).await;
    let mut olivier = admin.provider_staff("olivier@crcc.fr", 1).await;
    let mut zoe = admin.provider_staff("zoe@autre-organisme.fr", 2).await;
    olivier.json("provider/session/op", &[("session_id", "1"), ("op", "confirm")]).await;

    // Invitation, order, confirmation: each written about session 1's provider.
    let about: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT subject, provider_id FROM outbox WHERE to_addr = $1 ORDER BY created_at, id").bind(unknown).fetch_all(admin.db()).await.unwrap();
    assert_eq!(about.len(), 3, "{about:?}");
    assert!(about.iter().all(|(_, p)| *p == Some(1)), "{about:?}");

    drain(&admin, &mailer, now()).await;
    let (waiting, failed) = outbox::backlog(admin.db()).await.unwrap();
    assert_eq!((waiting, failed), (0, 3), "the refused mails are given up at once, the others sent");
    assert!(smtp.seen(|s| s.accepted_for("marie@cabinet-o7.fr")) >= 3, "Marie's confirmation link, order and session news");

    let home = olivier.json("provider/home", &[]).await;
    let shown = home["undelivered"].as_array().unwrap();
    assert_eq!(shown.len(), 3, "{home}");
    assert!(shown.iter().all(|m| m["to"] == unknown && m["attempts"] == 1), "{shown:?}");
    assert!(shown.iter().all(|m| m["error"].as_str().unwrap().contains("550")), "{shown:?}");
    assert!(shown.iter().any(|m| m["subject"].as_str().unwrap().ends_with(": confirmée")), "{shown:?}");
    let (_, html) = olivier.get("/organisme").await;
    assert!(html.contains("Courriers non remis") && html.contains(unknown), "the staff page lists them");
    // Another provider's staff: none of them.
    let home = zoe.json("provider/home", &[]).await;
    assert_eq!(home["undelivered"], serde_json::json!([]), "{home}");
    let (_, html) = zoe.get("/organisme").await;
    assert!(!html.contains(unknown) && !html.contains("Courriers non remis"));
    // A company user is no staff.
    let (status, _, body) = admin.call("provider/home", &[]).await;
    assert_eq!(status, axum::http::StatusCode::FORBIDDEN, "{body}");
}
