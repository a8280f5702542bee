//! Outgoing mail: always recorded in the outbox table; sent through SMTP when
//! SMTP_URL is configured (lettre reads it: `smtp://host:port` plain, `smtps://` TLS,
//! `smtp://…?tls=required` STARTTLS, `user:password@` to log in).

use super::db::{new_id, now, Db};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
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
            Some(url) => Some(AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("SMTP_URL: {e}"))?.build()),
        };
        Ok(Self { smtp, from })
    }

    /// Records the mail, then hands it to SMTP in the background.
    pub async fn send(&self, db: &Db, to: &str, subject: &str, body: &str) -> Result<(), sqlx::Error> {
        self.send_for(db, None, to, subject, body).await
    }

    /// Like `send`, counted against the account whose action sends it (its hourly
    /// bound, `sent_for_since`).
    pub async fn send_for(&self, db: &Db, account: Option<i64>, to: &str, subject: &str, body: &str) -> Result<(), sqlx::Error> {
        let id = new_id();
        sqlx::query("INSERT INTO outbox (id, to_addr, subject, body, created_at, sent_for) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(to)
            .bind(subject)
            .bind(body)
            .bind(now())
            .bind(account)
            .execute(db)
            .await?;
        let Some(smtp) = self.smtp.clone() else { return Ok(()) };
        let message = to.parse::<Mailbox>().map_err(|e| e.to_string()).and_then(|to| {
            Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body.to_string())
                .map_err(|e| e.to_string())
        });
        let db = db.clone();
        tokio::spawn(async move {
            let result = match message {
                Ok(m) => smtp.send(m).await.map(|_| ()).map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            let (sent_at, error) = match result {
                Ok(()) => (Some(now()), None),
                Err(e) => {
                    tracing::warn!("mail {id} not sent: {e}");
                    (None, Some(e))
                }
            };
            let _ = sqlx::query("UPDATE outbox SET sent_at = $1, error = $2 WHERE id = $3")
                .bind(sent_at)
                .bind(error)
                .bind(id)
                .execute(&db)
                .await;
        });
        Ok(())
    }
}

/// How many mails the account's actions made the portal send since `since` (Unix s).
pub async fn sent_for_since(db: &Db, account: i64, since: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE sent_for = $1 AND created_at > $2")
        .bind(account)
        .bind(since)
        .fetch_one(db)
        .await?;
    Ok(n)
}

/// Tells each participant of a validated order about his registration. A participant
/// without an account was invited when he was put in the cart (`invite_participant`):
/// he is reminded of that link, and invited again only when no invitation of his is
/// still usable (expired, or none was sent).
pub async fn announce_order(
    db: &Db,
    mailer: &Mailer,
    url: &str,
    order_id: i64,
    company_id: i64,
    company_name: &str,
    by: &crate::domain::account::CurrentUser,
) -> Result<(), sqlx::Error> {
    for seat in super::orders::ordered_seats(db, order_id).await? {
        let intro = format!(
            "Bonjour {},\n\n{} vous a inscrit(e) pour le compte de {} à la formation « {} » ({}, {}).\n",
            seat.first_name, by.display_name(), company_name, seat.training_title, seat.period, seat.city
        );
        let pending = "Votre inscription est en attente de confirmation par l'organisme de formation.";
        let announced = format!("Inscription à « {} »", seat.training_title);
        let (subject, body) = if super::accounts::by_email(db, &seat.email).await?.is_some() {
            (announced, format!("{intro}{pending}\n\nRetrouvez-la dans vos espaces : {url}/espaces\n"))
        } else if super::invitations::usable_for(db, &seat.email).await? {
            (
                announced,
                format!("{intro}{pending}\n\nPour la suivre, créez votre mot de passe avec le lien de l'invitation que vous avez reçue.\n"),
            )
        } else {
            let token = super::invitations::create(db, &seat.email, &seat.first_name, &seat.last_name, Some(company_id), by.id).await?;
            (invitation_subject(&seat.training_title), format!("{intro}{}", invitation_link(url, &token)))
        };
        mailer.send_for(db, Some(by.id), &seat.email, &subject, &body).await?;
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
    pub db: &'a Db,
    pub mailer: &'a Mailer,
    pub url: &'a str,
    pub by: &'a crate::domain::account::CurrentUser,
}

impl Sender<'_> {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), sqlx::Error> {
        self.mailer.send_for(self.db, Some(self.by.id), to, subject, body).await
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
/// choose his password. `session`: "du 14/01/2027 au 15/01/2027, Lyon".
pub async fn invite_participant(
    s: &Sender<'_>,
    company_id: i64,
    company_name: &str,
    p: &Addressee<'_>,
    training_title: &str,
    session: &str,
) -> Result<(), sqlx::Error> {
    let token = super::invitations::create(s.db, p.email, p.first_name, p.last_name, Some(company_id), s.by.id).await?;
    let body = format!(
        "Bonjour {},\n\n{} vous inscrit pour le compte de {company_name} à la formation « {training_title} » ({session}).\n\
         L'inscription sera ferme quand la commande sera validée ; l'organisme de formation la confirmera ensuite.\n{}",
        p.first_name,
        s.by.display_name(),
        invitation_link(s.url, &token)
    );
    s.send(p.email, &invitation_subject(training_title), &body).await
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
/// invitation to create his account when he has none. Nothing is sent for no role, nor
/// to the one who gave them (he knows).
pub async fn tell_roles(
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
    let (subject, body) = if super::accounts::by_email(s.db, person.email).await?.is_some() {
        (
            format!("Vous avez reçu {given} dans l'espace de « {company_name} »"),
            format!("{intro}\nRetrouvez-le dans vos espaces : {}/espaces\n", s.url),
        )
    } else {
        let token = super::invitations::create(s.db, person.email, person.first_name, person.last_name, Some(company_id), s.by.id).await?;
        (
            space_invitation_subject(company_name),
            format!("{intro}Créez votre mot de passe en suivant ce lien (valable 7 jours, une seule fois) :\n{}/invitation/{token}\n", s.url),
        )
    };
    s.send(person.email, &subject, &body).await
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
}
