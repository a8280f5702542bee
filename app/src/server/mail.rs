//! Outgoing mail. Every mail is written into the outbox (`outbox`) in the transaction
//! of the change that causes it; the worker of each instance ([`spawn_worker`]) sends
//! the due ones through SMTP when SMTP_URL is configured (lettre reads it:
//! `smtp://host:port` plain, `smtps://` TLS, `smtp://…?tls=required` STARTTLS,
//! `user:password@` to log in), retries them, and gives up after 24 hours.

use super::db::{now, Db};
use super::outbox::{self, Claimed, Mail, Next};
/// The operator's view of the outbox: (waiting, given up).
pub use super::outbox::backlog;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::{Any, AnyConnection, Transaction};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct Mailer {
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    /// Wakes this instance's worker after a commit that wrote mail.
    wake: Arc<Notify>,
    /// How long this instance's worker holds the mails it claims ([`LEASE_SECS`] unless
    /// [`Mailer::with_lease`] says otherwise).
    lease_secs: i64,
}

/// How long one SMTP command may wait for the server.
const SMTP_COMMAND_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one mail's whole SMTP exchange may take.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// How many mails a worker claims at once (then sends one after the other).
pub const BATCH: i64 = 8;
/// A claim's lease, by default: the whole batch at the longest, with a minute to spare.
/// No other worker takes the mails before it ends, so none is sent twice while its
/// sender lives.
pub const LEASE_SECS: i64 = BATCH * SEND_TIMEOUT.as_secs() as i64 + 60;
/// The shortest lease [`Mailer::with_lease`] accepts (`MAIL_LEASE_SECS`).
pub const MIN_LEASE_SECS: i64 = 18;
/// The least time a mail is given to be sent; with less left of the lease, it is given
/// back untried.
const MIN_SEND_TIME: Duration = Duration::from_secs(1);
/// How often a worker looks for due mails (retries, and mails written by the other
/// instances) when nothing wakes it.
const POLL: Duration = Duration::from_secs(5);

/// Why one attempt to send failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The mail server refused for good (unknown address…), or the mail cannot be
    /// written (an address lettre cannot read): not tried again.
    Permanent(String),
    /// Anything else (a 4xx answer, no connection, a timeout): tried again later.
    Transient(String),
}

impl Mailer {
    /// `smtp_url`: "smtp://host:port" (plain, for a relay on the local network or a
    /// test server), "smtps://user:password@host" (TLS) or
    /// "smtp://user:password@host:587?tls=required" (STARTTLS). `None` keeps mail in the
    /// outbox only.
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Self, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?;
        let smtp = match smtp_url {
            None => None,
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("SMTP_URL: {e}"))?
                    .timeout(Some(SMTP_COMMAND_TIMEOUT))
                    .build(),
            ),
        };
        Ok(Self { smtp, from, wake: Arc::new(Notify::new()), lease_secs: LEASE_SECS })
    }

    /// Another lease for the claims of this instance's worker (`MAIL_LEASE_SECS`): how long
    /// the mails of an instance that died stay claimed before another sends them. A
    /// worker hands a claimed mail to SMTP only while more than a ninth of the lease
    /// (a minute of the default one) is left, each within the time left: a shorter lease
    /// gives each mail less time, never another sender while this one may still send it.
    pub fn with_lease(mut self, secs: i64) -> Result<Self, String> {
        if secs < MIN_LEASE_SECS {
            return Err(format!("MAIL_LEASE_SECS: {secs} s, at least {MIN_LEASE_SECS} s"));
        }
        self.lease_secs = secs;
        Ok(self)
    }

    /// Whether mail leaves through SMTP (otherwise it stays in the outbox).
    pub fn delivers(&self) -> bool {
        self.smtp.is_some()
    }

    /// Writes a mail in the transaction of the change that causes it; commit that
    /// transaction with [`Mailer::commit`].
    pub async fn enqueue(&self, conn: &mut AnyConnection, mail: &Mail) -> Result<(), sqlx::Error> {
        outbox::enqueue(conn, mail).await
    }

    /// Commits a change and the mails it wrote, then wakes this instance's worker so
    /// that they leave at once.
    pub async fn commit(&self, tx: Transaction<'_, Any>) -> Result<(), sqlx::Error> {
        tx.commit().await?;
        self.wake();
        Ok(())
    }

    /// A mail that is its request's only write: written, and the worker woken.
    pub async fn post(&self, db: &Db, mail: &Mail) -> Result<(), sqlx::Error> {
        let mut conn = db.acquire().await?;
        outbox::enqueue(&mut conn, mail).await?;
        self.wake();
        Ok(())
    }

    /// Wakes this instance's worker (it also looks every few seconds by itself).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// One attempt to hand the mail to the SMTP server, within `limit`.
    async fn transmit(&self, smtp: &AsyncSmtpTransport<Tokio1Executor>, mail: &Claimed, limit: Duration) -> Result<(), Failure> {
        let message = mail.to_addr.parse::<Mailbox>().map_err(|e| e.to_string()).and_then(|to| {
            Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(mail.subject.as_str())
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.clone())
                .map_err(|e| e.to_string())
        });
        let message = message.map_err(Failure::Permanent)?;
        match tokio::time::timeout(limit, smtp.send(message)).await {
            Err(_) => Err(Failure::Transient(format!("pas de réponse du serveur de courrier en {} s", limit.as_secs()))),
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
            Ok(Err(e)) => Err(Failure::Transient(e.to_string())),
        }
    }
}

/// What one pass of a worker did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Mails claimed (each counted as an attempt).
    pub claimed: usize,
    pub sent: usize,
    /// Failed this time, to be tried again.
    pub retried: usize,
    /// Given up: a permanent refusal, or 24 hours of failures.
    pub failed: usize,
    /// Given up without an attempt: too old, or the address erased.
    pub expired: u64,
}

/// One pass of the worker at `at` (unix seconds; tests choose it): gives up the mails
/// that can no longer be sent, claims the due ones, sends them, records each outcome.
/// Without SMTP, does nothing.
pub async fn deliver_due(db: &Db, mailer: &Mailer, at: i64) -> Result<Delivered, sqlx::Error> {
    let Some(smtp) = &mailer.smtp else { return Ok(Delivered::default()) };
    // The lease runs from `at`: mails are handed to SMTP only within its part to use.
    let started = std::time::Instant::now();
    let usable = Duration::from_secs((mailer.lease_secs - mailer.lease_secs / 9) as u64);
    let mut done = Delivered { expired: outbox::expire(db, at).await?, ..Default::default() };
    if done.expired > 0 {
        tracing::error!(count = done.expired, "outbox: {} mail(s) given up without being sent (older than 24 hours, or address erased)", done.expired);
    }
    let claimed = outbox::claim(db, at, BATCH, mailer.lease_secs).await?;
    done.claimed = claimed.len();
    for mail in &claimed {
        let left = usable.saturating_sub(started.elapsed());
        if left < MIN_SEND_TIME {
            // Too late in the lease to send it: given back untried, due at once.
            let at = at + started.elapsed().as_secs() as i64;
            if outbox::failed_attempt(db, mail, "non tenté dans le temps réservé à l'envoi ; remis en file", Next::RetryAt(at), at).await? {
                done.retried += 1;
            }
            continue;
        }
        let outcome = mailer.transmit(smtp, mail, left.min(SEND_TIMEOUT)).await;
        // The outcome is recorded at the pass's time plus the time spent sending.
        let recorded_at = at + started.elapsed().as_secs() as i64;
        let (error, permanent) = match outcome {
            Ok(()) => {
                if outbox::sent(db, mail, recorded_at).await? {
                    done.sent += 1;
                } else {
                    tracing::warn!(mail = mail.id, "outbox: mail sent after its claim was taken over");
                }
                continue;
            }
            Err(Failure::Permanent(e)) => (e, true),
            Err(Failure::Transient(e)) => (e, false),
        };
        let next = outbox::after_failure(mail.created_at, mail.attempts, recorded_at, permanent);
        if !outbox::failed_attempt(db, mail, &error, next, recorded_at).await? {
            tracing::warn!(mail = mail.id, "outbox: attempt recorded after its claim was taken over: {error}");
            continue;
        }
        match next {
            Next::RetryAt(when) => {
                done.retried += 1;
                tracing::warn!(mail = mail.id, attempts = mail.attempts, retry_in = when - recorded_at, "outbox: mail not sent, tried again later: {error}");
            }
            Next::GiveUp => {
                done.failed += 1;
                tracing::error!(mail = mail.id, attempts = mail.attempts, "outbox: mail given up, not delivered: {error}");
            }
        }
    }
    Ok(done)
}

/// Starts this instance's worker: it sends due mails as soon as a commit wakes it, and
/// looks every few seconds for retries and mails written by other instances. Without
/// SMTP, mails stay in the outbox and no worker runs.
pub fn spawn_worker(db: Db, mailer: Mailer) {
    if !mailer.delivers() {
        tracing::info!("SMTP_URL is not set: mails are kept in the outbox, not sent");
        return;
    }
    tokio::spawn(async move {
        loop {
            let full = match deliver_due(&db, &mailer, now()).await {
                Ok(done) => done.claimed as i64 == BATCH,
                Err(e) => {
                    tracing::warn!("outbox: {e}");
                    false
                }
            };
            // A full batch: more may be due at once.
            if !full {
                tokio::select! {
                    _ = mailer.wake.notified() => {}
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
        }
    });
}

/// Tells each participant of a validated order about his registration, in the
/// order's transaction. A participant without an account was invited when he was put
/// in the cart (`invite_participant`): he is reminded of that link, and invited again
/// only when no invitation of his is still usable (expired, or none was sent).
pub async fn announce_order(
    conn: &mut AnyConnection,
    s: &Sender<'_>,
    order_id: i64,
    company_id: i64,
    company_name: &str,
) -> Result<(), sqlx::Error> {
    for seat in super::orders::ordered_seats(&mut *conn, order_id).await? {
        let intro = format!(
            "Bonjour {},\n\n{} vous a inscrit(e) pour le compte de {} à la formation « {} » ({}, {}).\n",
            seat.first_name, s.by.display_name(), company_name, seat.training_title, seat.period, seat.city
        );
        let pending = "Votre inscription est en attente de confirmation par l'organisme de formation.";
        let announced = format!("Inscription à « {} »", seat.training_title);
        let (subject, body) = if super::accounts::exists(&mut *conn, &seat.email).await? {
            (announced, format!("{intro}{pending}\n\nRetrouvez-la dans vos espaces : {}/espaces\n", s.url))
        } else if super::invitations::usable_for(&mut *conn, &seat.email).await? {
            (
                announced,
                format!("{intro}{pending}\n\nPour la suivre, créez votre mot de passe avec le lien de l'invitation que vous avez reçue.\n"),
            )
        } else {
            let token = super::invitations::create(&mut *conn, &seat.email, &seat.first_name, &seat.last_name, Some(company_id), s.by.id).await?;
            (invitation_subject(&seat.training_title), format!("{intro}{}", invitation_link(s.url, &token)))
        };
        outbox::enqueue(conn, &s.mail(&seat.email, subject, body).about_provider(Some(seat.provider_id))).await?;
    }
    Ok(())
}

fn invitation_subject(training_title: &str) -> String {
    format!("Invitation : votre inscription à « {training_title} »")
}

fn invitation_link(url: &str, token: &str) -> String {
    format!("Pour suivre votre formation, créez votre mot de passe en suivant ce lien (valable 7 jours, une seule fois) :\n{url}/invitation/{token}\n")
}

/// Who sends a mail on the portal's behalf: the account whose action sends it (counted
/// against its hourly allowance), and the portal's address for links.
pub struct Sender<'a> {
    pub url: &'a str,
    pub by: &'a crate::domain::account::CurrentUser,
}

impl Sender<'_> {
    /// A mail of this sender's action.
    pub fn mail(&self, to: &str, subject: impl Into<String>, body: impl Into<String>) -> Mail {
        Mail::new(to, subject, body).sent_for(Some(self.by.id))
    }
}

/// A person mailed by name.
pub struct Addressee<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
}

/// Invites a participant without an account when he is added to the cart (the guide:
/// "ils recevront un mail les invitant à se connecter"), with a single-use link to
/// choose his password, in the registration's transaction. `session`: "du 14/01/2027 au
/// 15/01/2027, Lyon"; `provider_id`: the session's.
#[allow(clippy::too_many_arguments)]
pub async fn invite_participant(
    conn: &mut AnyConnection,
    s: &Sender<'_>,
    company_id: i64,
    company_name: &str,
    p: &Addressee<'_>,
    training_title: &str,
    session: &str,
    provider_id: i64,
) -> Result<(), sqlx::Error> {
    let token = super::invitations::create(&mut *conn, p.email, p.first_name, p.last_name, Some(company_id), s.by.id).await?;
    let body = format!(
        "Bonjour {},\n\n{} vous inscrit pour le compte de {company_name} à la formation « {training_title} » ({session}).\n\
         L'inscription sera ferme quand la commande sera validée ; l'organisme de formation la confirmera ensuite.\n{}",
        p.first_name,
        s.by.display_name(),
        invitation_link(s.url, &token)
    );
    outbox::enqueue(conn, &s.mail(p.email, invitation_subject(training_title), body).about_provider(Some(provider_id))).await
}

/// The subject of an invitation to create one's account and join a company space.
pub fn space_invitation_subject(company_name: &str) -> String {
    format!("Invitation : espace entreprise de {company_name}")
}

/// "le rôle « Administrateur »", "les rôles « Administrateur » et « Responsable facturation »".
fn roles_fr(roles: &[crate::domain::Role]) -> String {
    let quoted: Vec<String> = roles.iter().map(|r| format!("« {} »", r.label())).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((only, [])) => format!("le rôle {only}"),
        Some((last, first)) => format!("les rôles {} et {last}", first.join(", ")),
    }
}

/// The person newly given `roles` on a company is told, with a link to the portal: an
/// invitation to create his account when he has none. Written in the transaction that
/// gives the roles. Nothing is sent for no role, nor to the one who gave them (he
/// knows).
pub async fn tell_roles(
    conn: &mut AnyConnection,
    s: &Sender<'_>,
    company_id: i64,
    company_name: &str,
    person: &Addressee<'_>,
    roles: &[crate::domain::Role],
) -> Result<(), sqlx::Error> {
    if roles.is_empty() || person.email == s.by.email() {
        return Ok(());
    }
    let given = roles_fr(roles);
    let intro = format!(
        "Bonjour {},\n\n{} vous a donné {given} dans l'espace entreprise de {company_name} sur le portail de formation.\n",
        person.first_name,
        s.by.display_name()
    );
    let (subject, body) = if super::accounts::exists(&mut *conn, person.email).await? {
        (
            format!("Vous avez reçu {given} dans l'espace de « {company_name} »"),
            format!("{intro}\nRetrouvez-le dans vos espaces : {}/espaces\n", s.url),
        )
    } else {
        let token = super::invitations::create(&mut *conn, person.email, person.first_name, person.last_name, Some(company_id), s.by.id).await?;
        (
            space_invitation_subject(company_name),
            format!("{intro}Créez votre mot de passe en suivant ce lien (valable 7 jours, une seule fois) :\n{}/invitation/{token}\n", s.url),
        )
    };
    outbox::enqueue(conn, &s.mail(person.email, subject, body)).await
}

/// One mail to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Someone of a company told of its registrations: its administrators and training
/// managers.
#[derive(Clone, Debug)]
pub struct Manager {
    pub company_id: i64,
    pub email: String,
    pub first_name: String,
}

/// What the provider did to a session's registrations, told once to each address: each
/// participant of his own registration, whoever registered someone of the registrations
/// he made, and the administrators and training managers of a company of all of that
/// company's. `what`: "confirmée" or "annulée".
pub fn registration_news(
    url: &str,
    session: &super::backoffice::SessionRow,
    told: &[super::backoffice::Notified],
    managers: &[Manager],
    what: &str,
) -> Vec<Letter> {
    use super::backoffice::Notified;
    use std::collections::BTreeMap;
    #[derive(Default)]
    struct Reader<'a> {
        first_name: Option<&'a str>,
        own: bool,
        others: Vec<&'a Notified>,
        /// Companies he manages, for their links.
        companies: Vec<(i64, &'a str)>,
    }
    fn add<'a>(r: &mut Reader<'a>, n: &'a Notified) {
        if !r.others.iter().any(|o| o.registration_id == n.registration_id) {
            r.others.push(n);
        }
    }
    let mut readers: BTreeMap<&str, Reader> = BTreeMap::new();
    for n in told {
        let p = readers.entry(n.participant_email.as_str()).or_default();
        p.own = true;
        p.first_name = Some(n.participant_first_name.as_str());
        if n.registrant_email != n.participant_email {
            add(readers.entry(n.registrant_email.as_str()).or_default(), n);
        }
        let Some(company) = n.company_id else { continue };
        for m in managers.iter().filter(|m| m.company_id == company) {
            let r = readers.entry(m.email.as_str()).or_default();
            r.first_name.get_or_insert(m.first_name.as_str());
            if !r.companies.iter().any(|(id, _)| *id == company) {
                r.companies.push((company, n.company_name.as_deref().unwrap_or_default()));
            }
            if m.email != n.participant_email {
                add(r, n);
            }
        }
    }
    let period = crate::domain::date::period_fr(session.start, session.end);
    let about = format!("« {} » ({period}, {})", session.title, session.city);
    let subject = format!("« {} » ({period}) : {what}", session.title);
    readers
        .into_iter()
        .map(|(to, r)| {
            let mut body = match r.first_name {
                Some(f) => format!("Bonjour {f},\n\n"),
                None => "Bonjour,\n\n".to_string(),
            };
            if r.own {
                body += &format!("L'organisme de formation vous informe que votre inscription à {about} est {what}.\n");
            }
            if !r.others.is_empty() {
                let (which, is) = match r.others.len() {
                    1 => ("l'inscription suivante".to_string(), format!("est {what}")),
                    _ => ("les inscriptions suivantes".to_string(), format!("sont {what}s")),
                };
                let also = if r.own { "\nDe plus, " } else { "L'organisme de formation vous informe que " };
                body += &format!("{also}{which} à {about} {is} :\n");
                for n in &r.others {
                    let company = n.company_name.as_deref().map(|c| format!(", pour {c}")).unwrap_or_default();
                    body += &format!("- {} {} ({}){company}\n", n.participant_first_name, n.participant_last_name, n.participant_email);
                }
            }
            body += &format!("\nRetrouvez vos formations dans vos espaces : {url}/espaces\n");
            for (id, name) in &r.companies {
                body += &format!("Mon espace Entreprise de {name} : {url}/entreprise/{id}\n");
            }
            Letter { to: to.to_string(), subject: subject.clone(), body }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::server::backoffice::{Notified, SessionRow};

    #[test]
    fn roles_in_french() {
        assert_eq!(roles_fr(&[Role::Admin]), "le rôle « Administrateur »");
        assert_eq!(
            roles_fr(&[Role::Admin, Role::TrainingManager, Role::BillingManager]),
            "les rôles « Administrateur », « Responsable de formation » et « Responsable facturation »"
        );
    }

    fn registration(id: i64, participant: &str, registrant: &str, company: Option<i64>) -> Notified {
        Notified {
            registration_id: id,
            participant_email: format!("{participant}@x.fr"),
            participant_first_name: participant.to_string(),
            participant_last_name: "Nom".into(),
            registrant_email: format!("{registrant}@x.fr"),
            company_id: company,
            company_name: company.map(|_| "Cabinet X".to_string()),
        }
    }

    #[test]
    fn registration_news_tells_each_address_once_and_each_only_its_share() {
        let session = SessionRow {
            id: 1,
            title: "NEP".into(),
            start: crate::domain::Date::parse("2027-01-14").unwrap(),
            end: crate::domain::Date::parse("2027-01-15").unwrap(),
            hours: 14,
            city: "Lyon".into(),
            place: String::new(),
            status: crate::domain::session::SessionStatus::Open,
            confirmed: false,
            capacity: 10,
            seats_taken: 2,
        };
        // Paul registered by Rémi (an administrator), Théo by Sam (open mode, no role);
        // Nina is training manager.
        let told = [registration(1, "paul", "remi", Some(7)), registration(2, "theo", "sam", Some(7)), registration(3, "ugo", "ugo", None)];
        let managers = [
            Manager { company_id: 7, email: "remi@x.fr".into(), first_name: "Rémi".into() },
            Manager { company_id: 7, email: "nina@x.fr".into(), first_name: "Nina".into() },
            Manager { company_id: 8, email: "autre@x.fr".into(), first_name: "Autre".into() },
        ];
        let letters = registration_news("https://portail.fr", &session, &told, &managers, "confirmée");
        let to: Vec<&str> = letters.iter().map(|l| l.to.as_str()).collect();
        assert_eq!(to, ["nina@x.fr", "paul@x.fr", "remi@x.fr", "sam@x.fr", "theo@x.fr", "ugo@x.fr"]);
        assert!(letters.iter().all(|l| l.subject == "« NEP » (du 14/01/2027 au 15/01/2027) : confirmée"));
        let body = |who: &str| letters.iter().find(|l| l.to == who).unwrap().body.clone();
        assert!(body("paul@x.fr").contains("votre inscription à « NEP » (du 14/01/2027 au 15/01/2027, Lyon) est confirmée."));
        assert!(!body("paul@x.fr").contains("theo@"));
        for manager in ["remi@x.fr", "nina@x.fr"] {
            let b = body(manager);
            assert!(b.contains("les inscriptions suivantes") && b.contains("sont confirmées"), "{b}");
            assert!(b.contains("- paul Nom (paul@x.fr), pour Cabinet X") && b.contains("theo@x.fr"), "{b}");
            assert!(b.contains("https://portail.fr/entreprise/7") && !b.contains("votre inscription"), "{b}");
        }
        // Sam holds no role: he hears of the registration he made, nothing more.
        let sam = body("sam@x.fr");
        assert!(sam.contains("l'inscription suivante") && sam.contains("theo@x.fr") && !sam.contains("paul@"), "{sam}");
        assert!(!sam.contains("/entreprise/"), "{sam}");
        // Registered himself, without a company: his own news only.
        assert!(body("ugo@x.fr").starts_with("Bonjour ugo,") && !body("ugo@x.fr").contains("suivante"));
    }

    fn accepts(url: &str) -> bool {
        Mailer::new(Some(url), "Espace Entreprise <ne-pas-repondre@example.fr>").is_ok()
    }

    #[tokio::test]
    async fn smtp_urls_as_lettre_reads_them() {
        assert!(accepts("smtp://127.0.0.1:2525"));
        assert!(accepts("smtp://relay.example.fr"));
        assert!(accepts("smtps://portail:secret@smtp.example.fr"));
        assert!(accepts("smtps://portail:secret@smtp.example.fr:465"));
        assert!(accepts("smtp://portail:s%40cret@smtp.example.fr:587?tls=required"));
        assert!(accepts("smtp://smtp.example.fr?tls=opportunistic"));
        assert!(!accepts("http://smtp.example.fr"));
        assert!(!accepts("smtp://smtp.example.fr?tls=sometimes"));
        assert!(!accepts("smtp://"));
        assert!(!accepts("127.0.0.1:2525"));
        assert!(Mailer::new(None, "pas une adresse").is_err());
    }

    #[tokio::test]
    async fn a_lease_too_short_to_send_within_is_refused() {
        let mailer = || Mailer::new(Some("smtp://127.0.0.1:2525"), "Portail <portail@example.fr>").unwrap();
        assert_eq!(mailer().lease_secs, LEASE_SECS);
        assert_eq!(mailer().with_lease(MIN_LEASE_SECS).map(|m| m.lease_secs), Ok(MIN_LEASE_SECS));
        let e = mailer().with_lease(MIN_LEASE_SECS - 1).err().unwrap();
        assert!(e.starts_with("MAIL_LEASE_SECS: "), "{e}");
        // The default lease leaves each mail of a full batch its whole time to be sent.
        assert!(Duration::from_secs((LEASE_SECS - LEASE_SECS / 9) as u64) >= SEND_TIMEOUT * BATCH as u32);
    }
}
