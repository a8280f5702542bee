//! The waiting list of a full session (issue 13): firms put participants on it in the
//! order of arrival; a seat that frees up is offered to the first waiting entry and held
//! for it 48 hours, then, if the offer lapses or is withdrawn, to the next; a taken offer
//! becomes a cart registration on that very seat.
//!
//! The offered seat stays counted in `training_sessions.seats_taken` (held by the offer):
//! nobody registering from the catalogue can take it, and the `CHECK (seats_taken <=
//! capacity)` bounds offers and registrations together.
//!
//! Every change of a session's list — joining, an offer, a claim, a withdrawal, a lapse —
//! starts by locking the session's row ([`lock_session`]), as every change of its seats
//! does (`UPDATE training_sessions … WHERE id`): on PostgreSQL the list and the seats of
//! one session change one transaction after the other; on SQLite `BEGIN IMMEDIATE`
//! (`db::begin`) serialises every writer anyway. Within that, the database decides each
//! race with a conditional `UPDATE`: a seat is offered only while `seats_taken <
//! capacity`, to an entry still waiting; an offer is taken only while it is
//! `proposee` and not expired. One freed seat makes exactly one offer, to the first in
//! order; fifty clicks on it make one cart line.
//!
//! Where seats free up, the service that frees them calls [`seats_changed`] in its own
//! transaction: a firm's cancellation (`registrations::cancel`), the provider's
//! (`backoffice::cancel`), a larger capacity (`provider::set_capacity`), an expired cart
//! hold (`orders::release_in`). Lapsed offers are handled at access ([`sweep_session`],
//! and every change of the list) and by the periodic sweeper ([`sweep`]).

use super::db::{new_id, now, today, Db};
use super::seats::{self, free_seats};
use super::outbox::{self, Mail};
use crate::domain::code::sql_in;
use crate::domain::date::{paris_datetime, period_fr};
use crate::domain::session::SessionStatus;
use crate::domain::waitlist::{offers_to_make, ClaimOutcome, JoinOutcome, ProviderWaitlistLine, WaitlistLine, WaitlistStatus, OFFER_SECS};
use crate::domain::Date;
use sqlx::{Any, Transaction};

pub use super::seats::Participant;

/// What the list needs of a session.
#[derive(sqlx::FromRow)]
struct SessionFields {
    capacity: i64,
    seats_taken: i64,
    status: SessionStatus,
    start_date: String,
    end_date: String,
    city: String,
    title: String,
    training_id: i64,
    provider_id: i64,
}

impl SessionFields {
    /// Open and not begun: it takes registrations, so its list makes offers.
    fn takes_offers(&self) -> bool {
        self.status.is_open() && self.start_date > today().iso()
    }

    fn period(&self) -> String {
        match (Date::parse(&self.start_date), Date::parse(&self.end_date)) {
            (Some(s), Some(e)) => period_fr(s, e),
            _ => self.start_date.clone(),
        }
    }
}

const SESSION_SELECT: &str = "SELECT s.capacity, s.seats_taken, s.status, s.start_date, s.end_date, s.city, t.title, \
     t.id AS training_id, t.provider_id FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE s.id = $1";

/// Locks the session's row for the rest of the transaction (PostgreSQL: a row lock, as
/// any change of its seats takes; SQLite: the transaction holds the write lock already)
/// and reads it. `None`: no such session.
async fn lock_session(tx: &mut Transaction<'_, Any>, session_id: i64) -> Result<Option<SessionFields>, sqlx::Error> {
    let locked = sqlx::query("UPDATE training_sessions SET seats_taken = seats_taken WHERE id = $1")
        .bind(session_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if locked == 0 {
        return Ok(None);
    }
    read_session(tx, session_id).await
}

async fn read_session(tx: &mut Transaction<'_, Any>, session_id: i64) -> Result<Option<SessionFields>, sqlx::Error> {
    sqlx::query_as(SESSION_SELECT).bind(session_id).fetch_optional(&mut **tx).await
}

/// The seats of a session may have changed (freed, capacity raised, an offer ended), in
/// the transaction of that change: lapsed offers give their seat back, then each free
/// seat is offered to the next waiting entry, in order, and its requester is mailed. A
/// session that no longer takes registrations closes its list (the seats its offers held
/// go back). Returns how many offers were made.
pub async fn seats_changed(tx: &mut Transaction<'_, Any>, session_id: i64) -> Result<u64, sqlx::Error> {
    let Some(session) = lock_session(tx, session_id).await? else { return Ok(0) };
    if !session.takes_offers() {
        close_list(tx, session_id).await?;
        return Ok(0);
    }
    let lapsed = sqlx::query(
        "UPDATE waitlist_entries SET status = $1, ended_at = $2 WHERE session_id = $3 AND status = $4 AND offer_expires_at < $5",
    )
    .bind(WaitlistStatus::Lapsed)
    .bind(now())
    .bind(session_id)
    .bind(WaitlistStatus::Offered)
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    free_seats(tx, session_id, lapsed).await?;
    offer_free_seats(tx, session_id).await
}

/// [`seats_changed`] after a registration gave its seat back (in the same transaction).
pub async fn seat_freed_by(tx: &mut Transaction<'_, Any>, registration_id: i64) -> Result<u64, sqlx::Error> {
    let session: Option<(i64,)> =
        sqlx::query_as("SELECT session_id FROM registrations WHERE id = $1").bind(registration_id).fetch_optional(&mut **tx).await?;
    match session {
        Some((session_id,)) => seats_changed(tx, session_id).await,
        None => Ok(0),
    }
}

/// The next entry to be offered a seat, with what its mail says.
#[derive(sqlx::FromRow)]
struct NextEntry {
    id: i64,
    participant_first_name: String,
    participant_last_name: String,
    legal_name: String,
    requester_email: String,
    requester_first_name: String,
}

/// Offers each free seat of the locked session to the next waiting entry.
async fn offer_free_seats(tx: &mut Transaction<'_, Any>, session_id: i64) -> Result<u64, sqlx::Error> {
    let Some(session) = read_session(tx, session_id).await? else { return Ok(0) };
    let (waiting,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM waitlist_entries WHERE session_id = $1 AND status = $2")
        .bind(session_id)
        .bind(WaitlistStatus::Waiting)
        .fetch_one(&mut **tx)
        .await?;
    let to_make = offers_to_make(session.capacity, session.seats_taken, waiting.max(0) as u64, session.takes_offers());
    let mut made = 0;
    for _ in 0..to_make {
        let next: Option<NextEntry> = sqlx::query_as(
            "SELECT e.id, e.participant_first_name, e.participant_last_name, c.legal_name, u.email AS requester_email, \
             u.first_name AS requester_first_name FROM waitlist_entries e JOIN companies c ON c.id = e.company_id \
             JOIN users u ON u.id = e.requested_by WHERE e.session_id = $1 AND e.status = $2 ORDER BY e.position LIMIT 1",
        )
        .bind(session_id)
        .bind(WaitlistStatus::Waiting)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(next) = next else { break };
        // The seat first: never more than the capacity, whatever else happened.
        let seat = sqlx::query("UPDATE training_sessions SET seats_taken = seats_taken + 1 WHERE id = $1 AND seats_taken < capacity")
            .bind(session_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if seat == 0 {
            break;
        }
        let until = now() + OFFER_SECS;
        let offered = sqlx::query(
            "UPDATE waitlist_entries SET status = $1, offered_at = $2, offer_expires_at = $3 WHERE id = $4 AND status = $5",
        )
        .bind(WaitlistStatus::Offered)
        .bind(now())
        .bind(until)
        .bind(next.id)
        .bind(WaitlistStatus::Waiting)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if offered == 0 {
            // Cannot happen under the session's lock; give the seat back rather than lose it.
            free_seats(tx, session_id, 1).await?;
            break;
        }
        outbox::enqueue(tx, &offer_mail(&session, &next, until)).await?;
        made += 1;
    }
    Ok(made)
}

/// The mail telling the requester of an entry that a seat is held for it.
fn offer_mail(session: &SessionFields, e: &NextEntry, until: i64) -> Mail {
    let participant = format!("{} {}", e.participant_first_name, e.participant_last_name);
    let body = format!(
        "Bonjour {},\n\nUne place s'est libérée à la formation « {} » ({}, {}). Elle est proposée à {participant}, \
         inscrit(e) sur liste d'attente pour le compte de {}.\n\n\
         La place lui est réservée jusqu'au {}. Pour l'accepter, connectez-vous au portail de formation : \
         dans « Mes espaces », rubrique « Mes listes d'attente », cliquez sur « Accepter la place ». \
         Elle rejoint alors votre panier comme une inscription ; validez ensuite la commande.\n\n\
         Passé ce délai, la place sera proposée à la personne suivante de la liste.\n",
        e.requester_first_name,
        session.title,
        session.period(),
        session.city,
        e.legal_name,
        paris_datetime(until),
    );
    Mail::new(&e.requester_email, format!("Une place s'est libérée : « {} »", session.title), body).about_provider(Some(session.provider_id))
}

/// The session no longer takes registrations: its list is over, and the seats its
/// offers held go back.
async fn close_list(tx: &mut Transaction<'_, Any>, session_id: i64) -> Result<(), sqlx::Error> {
    let offered = sqlx::query("UPDATE waitlist_entries SET status = $1, ended_at = $2 WHERE session_id = $3 AND status = $4")
        .bind(WaitlistStatus::Closed)
        .bind(now())
        .bind(session_id)
        .bind(WaitlistStatus::Offered)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    free_seats(tx, session_id, offered).await?;
    sqlx::query("UPDATE waitlist_entries SET status = $1, ended_at = $2 WHERE session_id = $3 AND status = $4")
        .bind(WaitlistStatus::Closed)
        .bind(now())
        .bind(session_id)
        .bind(WaitlistStatus::Waiting)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether the participant already has a registration to the session (of any state: a
/// session registers an address once).
async fn registered(tx: &mut Transaction<'_, Any>, session_id: i64, email: &str) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND participant_email = $2")
        .bind(session_id)
        .bind(email)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

/// Puts a participant on the session's waiting list for the company, last in order, in
/// `tx` (the caller commits whatever the outcome: lapsed offers may have been handed on).
/// `None`: no such session.
pub async fn join(
    tx: &mut Transaction<'_, Any>,
    session_id: i64,
    company_id: i64,
    p: &Participant,
    by_user: i64,
) -> Result<Option<JoinOutcome>, sqlx::Error> {
    if lock_session(tx, session_id).await?.is_none() {
        return Ok(None);
    }
    // Lapsed offers first: a seat they free goes to the list before anyone joins it.
    seats_changed(tx, session_id).await?;
    let Some(session) = read_session(tx, session_id).await? else { return Ok(None) };
    if !session.takes_offers() {
        return Ok(Some(JoinOutcome::SessionClosed));
    }
    // Free seats remain only when nobody waits: register directly.
    if session.seats_taken < session.capacity {
        return Ok(Some(JoinOutcome::NotFull));
    }
    let (on_list,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM waitlist_entries WHERE session_id = $1 AND participant_email = $2 AND status IN ({})",
        sql_in(&WaitlistStatus::ACTIVE)
    ))
    .bind(session_id)
    .bind(&p.email)
    .fetch_one(&mut **tx)
    .await?;
    if on_list > 0 {
        return Ok(Some(JoinOutcome::AlreadyOnList));
    }
    if registered(tx, session_id, &p.email).await? {
        return Ok(Some(JoinOutcome::AlreadyRegistered));
    }
    // Under the session's lock: positions are taken one after the other.
    let (position,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM waitlist_entries WHERE session_id = $1")
            .bind(session_id)
            .fetch_one(&mut **tx)
            .await?;
    let entry_id = new_id();
    sqlx::query(
        "INSERT INTO waitlist_entries (id, session_id, company_id, participant_email, participant_first_name, participant_last_name, \
         position, status, requested_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(entry_id)
    .bind(session_id)
    .bind(company_id)
    .bind(&p.email)
    .bind(&p.first_name)
    .bind(&p.last_name)
    .bind(position)
    .bind(WaitlistStatus::Waiting)
    .bind(by_user)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    let (rank,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM waitlist_entries WHERE session_id = $1 AND status = $2 AND position <= $3")
            .bind(session_id)
            .bind(WaitlistStatus::Waiting)
            .bind(position)
            .fetch_one(&mut **tx)
            .await?;
    Ok(Some(JoinOutcome::Joined { entry_id, rank }))
}

/// A taken offer: the cart registration it became, and what the invitation of a
/// participant without an account says.
#[derive(Clone, Debug)]
pub struct ClaimedSeat {
    pub registration_id: i64,
    pub session_id: i64,
    pub participant: Participant,
    pub training_title: String,
    /// "du 14/01/2027 au 15/01/2027, Lyon".
    pub session_label: String,
    pub provider_id: i64,
}

/// What a click on "Accepter la place" did.
#[derive(Clone, Debug)]
pub enum Claim {
    Done(ClaimedSeat),
    Refused(ClaimOutcome),
}

/// Takes the offer made to the company's entry: the held seat becomes a registration in
/// `by_user`'s cart (seats taken unchanged: the seat passes from the offer to the cart
/// line), held until `held_until` like any cart line (`orders::HOLD_SECS` from now). In
/// `tx`, which the caller commits whatever the outcome (a lapsed offer or a participant
/// registered otherwise hands the seat on). `None`: no such entry of the company.
pub async fn claim(
    tx: &mut Transaction<'_, Any>,
    company_id: i64,
    entry_id: i64,
    by_user: i64,
    held_until: i64,
) -> Result<Option<Claim>, sqlx::Error> {
    let entry: Option<(i64,)> = sqlx::query_as("SELECT session_id FROM waitlist_entries WHERE id = $1 AND company_id = $2")
        .bind(entry_id)
        .bind(company_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some((session_id,)) = entry else { return Ok(None) };
    // Locks the session, and lapses the offers whose time is over (this one maybe).
    seats_changed(tx, session_id).await?;
    let taken = sqlx::query(
        "UPDATE waitlist_entries SET status = $1, ended_at = $2 WHERE id = $3 AND company_id = $4 AND status = $5 AND offer_expires_at >= $6",
    )
    .bind(WaitlistStatus::Taken)
    .bind(now())
    .bind(entry_id)
    .bind(company_id)
    .bind(WaitlistStatus::Offered)
    .bind(now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    #[derive(sqlx::FromRow)]
    struct Row {
        status: WaitlistStatus,
        participant_email: String,
        participant_first_name: String,
        participant_last_name: String,
    }
    let row: Row = sqlx::query_as(
        "SELECT status, participant_email, participant_first_name, participant_last_name FROM waitlist_entries WHERE id = $1",
    )
    .bind(entry_id)
    .fetch_one(&mut **tx)
    .await?;
    if taken == 0 {
        return Ok(Some(Claim::Refused(match row.status {
            WaitlistStatus::Waiting => ClaimOutcome::NotOffered,
            WaitlistStatus::Taken => ClaimOutcome::AlreadyTaken,
            WaitlistStatus::Offered | WaitlistStatus::Lapsed => ClaimOutcome::Lapsed,
            WaitlistStatus::Withdrawn | WaitlistStatus::Closed => ClaimOutcome::Ended,
        })));
    }
    if registered(tx, session_id, &row.participant_email).await? {
        // Registered otherwise meanwhile: the offer ends, its seat goes to the next.
        sqlx::query("UPDATE waitlist_entries SET status = $1 WHERE id = $2")
            .bind(WaitlistStatus::Withdrawn)
            .bind(entry_id)
            .execute(&mut **tx)
            .await?;
        free_seats(tx, session_id, 1).await?;
        offer_free_seats(tx, session_id).await?;
        return Ok(Some(Claim::Refused(ClaimOutcome::AlreadyRegistered)));
    }
    let participant = Participant {
        email: row.participant_email,
        first_name: row.participant_first_name,
        last_name: row.participant_last_name,
    };
    let registration_id = seats::insert_cart_line(tx, session_id, Some(company_id), &participant, by_user, held_until).await?;
    sqlx::query("UPDATE waitlist_entries SET registration_id = $1 WHERE id = $2").bind(registration_id).bind(entry_id).execute(&mut **tx).await?;
    let session = read_session(tx, session_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    Ok(Some(Claim::Done(ClaimedSeat {
        registration_id,
        session_id,
        participant,
        session_label: format!("{}, {}", session.period(), session.city),
        training_title: session.title,
        provider_id: session.provider_id,
    })))
}

/// Takes the company's entry off the list; an offered seat goes to the next entry. In
/// `tx`. `false`: no such active entry of the company.
pub async fn withdraw(tx: &mut Transaction<'_, Any>, company_id: i64, entry_id: i64) -> Result<bool, sqlx::Error> {
    let entry: Option<(i64,)> = sqlx::query_as("SELECT session_id FROM waitlist_entries WHERE id = $1 AND company_id = $2")
        .bind(entry_id)
        .bind(company_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some((session_id,)) = entry else { return Ok(false) };
    seats_changed(tx, session_id).await?;
    let mut changed = false;
    for status in WaitlistStatus::ACTIVE {
        let n = sqlx::query("UPDATE waitlist_entries SET status = $1, ended_at = $2 WHERE id = $3 AND status = $4")
            .bind(WaitlistStatus::Withdrawn)
            .bind(now())
            .bind(entry_id)
            .bind(status)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if n > 0 && status.holds_seat() {
            free_seats(tx, session_id, n).await?;
            offer_free_seats(tx, session_id).await?;
        }
        changed |= n > 0;
    }
    Ok(changed)
}

/// Sessions whose list has something to do: offers lapsed, seats free while people wait,
/// or the session no longer takes registrations (`$1` now, `$2` today; `extra` narrows).
fn due_sql(extra: &str) -> String {
    format!(
        "SELECT DISTINCT e.session_id FROM waitlist_entries e JOIN training_sessions s ON s.id = e.session_id \
         WHERE e.status IN ({active}) AND (s.status <> '{open}' OR s.start_date <= $2 \
         OR (e.status = '{offered}' AND e.offer_expires_at < $1) OR (e.status = '{waiting}' AND s.seats_taken < s.capacity)){extra}",
        active = sql_in(&WaitlistStatus::ACTIVE),
        open = SessionStatus::Open.code(),
        offered = WaitlistStatus::Offered.code(),
        waiting = WaitlistStatus::Waiting.code(),
    )
}

async fn refresh(db: &Db, sessions: Vec<(i64,)>) -> Result<u64, sqlx::Error> {
    let mut made = 0;
    for (session_id,) in sessions {
        let mut tx = super::db::begin(db).await?;
        made += seats_changed(&mut tx, session_id).await?;
        tx.commit().await?;
    }
    Ok(made)
}

/// The periodic sweep: every list with something to do is brought up to date (lapsed
/// offers handed on, free seats offered, lists of ended sessions closed). Returns how
/// many offers were made.
pub async fn sweep(db: &Db) -> Result<u64, sqlx::Error> {
    let due: Vec<(i64,)> = sqlx::query_as(&due_sql("")).bind(now()).bind(today().iso()).fetch_all(db).await?;
    refresh(db, due).await
}

/// [`sweep`] for one session, when its list is looked at (nothing is written when it
/// is up to date). Whether anything was to do.
pub async fn sweep_session(db: &Db, session_id: i64) -> Result<bool, sqlx::Error> {
    let due: Vec<(i64,)> =
        sqlx::query_as(&due_sql(" AND e.session_id = $3")).bind(now()).bind(today().iso()).bind(session_id).fetch_all(db).await?;
    let any = !due.is_empty();
    refresh(db, due).await?;
    Ok(any)
}

/// A session as its waiting-list page shows it.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    pub training_id: i64,
    pub training_title: String,
    /// "du 14/01/2027 au 15/01/2027 — Lyon".
    pub label: String,
    pub seats_left: i64,
    /// Open and not begun: one may join its list (when it is full).
    pub takes_offers: bool,
    /// Entries waiting for a seat.
    pub waiting: i64,
}

pub async fn session_info(db: &Db, session_id: i64) -> Result<Option<SessionInfo>, sqlx::Error> {
    let Some(s): Option<SessionFields> = sqlx::query_as(SESSION_SELECT).bind(session_id).fetch_optional(db).await? else {
        return Ok(None);
    };
    let (waiting,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM waitlist_entries WHERE session_id = $1 AND status = $2")
        .bind(session_id)
        .bind(WaitlistStatus::Waiting)
        .fetch_one(db)
        .await?;
    Ok(Some(SessionInfo {
        training_id: s.training_id,
        label: format!("{} — {}", s.period(), s.city),
        seats_left: (s.capacity - s.seats_taken).max(0),
        takes_offers: s.takes_offers(),
        training_title: s.title,
        waiting,
    }))
}

/// Whose entries a person sees: those he asked for, those naming his proven address,
/// and those of the companies he manages.
pub struct Viewer<'a> {
    pub user_id: i64,
    pub email: Option<&'a str>,
    pub managed_companies: &'a [i64],
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    session_id: i64,
    training_id: i64,
    title: String,
    start_date: String,
    end_date: String,
    city: String,
    company_id: i64,
    legal_name: String,
    participant_first_name: String,
    participant_last_name: String,
    participant_email: String,
    status: WaitlistStatus,
    offer_expires_at: Option<i64>,
    queue_rank: i64,
}

/// The active entries the viewer sees (of one session with `session`), the soonest
/// sessions first, each in the list's order; `may_act` is left false for the caller to set.
pub async fn of_viewer(db: &Db, viewer: &Viewer<'_>, session: Option<i64>) -> Result<Vec<WaitlistLine>, sqlx::Error> {
    // Ids of our own rows, never user input.
    let managed = if viewer.managed_companies.is_empty() {
        "0 = 1".to_string()
    } else {
        format!("e.company_id IN ({})", viewer.managed_companies.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "))
    };
    let sql = format!(
        "SELECT e.id, e.session_id, t.id AS training_id, t.title, s.start_date, s.end_date, s.city, e.company_id, c.legal_name, \
         e.participant_first_name, e.participant_last_name, e.participant_email, e.status, e.offer_expires_at, \
         (SELECT COUNT(*) FROM waitlist_entries w WHERE w.session_id = e.session_id AND w.status = $1 AND w.position <= e.position) AS queue_rank \
         FROM waitlist_entries e JOIN training_sessions s ON s.id = e.session_id JOIN trainings t ON t.id = s.training_id \
         JOIN companies c ON c.id = e.company_id \
         WHERE e.status IN ({}) AND ($2 = 0 OR e.session_id = $3) AND (e.requested_by = $4 OR e.participant_email = $5 OR {managed}) \
         ORDER BY s.start_date, e.session_id, e.position",
        sql_in(&WaitlistStatus::ACTIVE)
    );
    let rows: Vec<LineRow> = sqlx::query_as(&sql)
        .bind(WaitlistStatus::Waiting)
        .bind(i64::from(session.is_some()))
        .bind(session.unwrap_or(0))
        .bind(viewer.user_id)
        .bind(viewer.email.unwrap_or(""))
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let period = match (Date::parse(&r.start_date), Date::parse(&r.end_date)) {
                (Some(s), Some(e)) => period_fr(s, e),
                _ => r.start_date.clone(),
            };
            WaitlistLine {
                id: r.id,
                session_id: r.session_id,
                training_id: r.training_id,
                training_title: r.title,
                period,
                city: r.city,
                company_id: r.company_id,
                company_name: r.legal_name,
                participant_name: format!("{} {}", r.participant_first_name, r.participant_last_name),
                participant_email: r.participant_email,
                rank: (r.status == WaitlistStatus::Waiting).then_some(r.queue_rank),
                offer_expires_at: r.offer_expires_at.filter(|_| r.status.holds_seat()),
                status: r.status,
                may_act: false,
            }
        })
        .collect())
}

/// Every entry of the session's list, in its order, for the provider's staff.
pub async fn of_session(db: &Db, session_id: i64) -> Result<Vec<ProviderWaitlistLine>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        position: i64,
        participant_first_name: String,
        participant_last_name: String,
        participant_email: String,
        legal_name: String,
        status: WaitlistStatus,
        created_at: i64,
        offer_expires_at: Option<i64>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.position, e.participant_first_name, e.participant_last_name, e.participant_email, c.legal_name, e.status, \
         e.created_at, e.offer_expires_at FROM waitlist_entries e JOIN companies c ON c.id = e.company_id \
         WHERE e.session_id = $1 ORDER BY e.position",
    )
    .bind(session_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProviderWaitlistLine {
            position: r.position,
            participant_name: format!("{} {}", r.participant_first_name, r.participant_last_name),
            participant_email: r.participant_email,
            company_name: r.legal_name,
            offer_expires_at: r.offer_expires_at.filter(|_| r.status.holds_seat()),
            status: r.status,
            requested_at: r.created_at,
        })
        .collect())
}
