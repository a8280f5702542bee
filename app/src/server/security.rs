//! The security log: one structured `tracing` event, target `security`, for each thing
//! an operator must be able to follow (log-ins, lock-outs, recovery, confirmations,
//! sessions ended, refusals). Never a password, a token nor a code: only the event,
//! the account when known, the client address when known, and a short detail.

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    LoginSucceeded,
    LoginFailed,
    LockedOut,
    RecoveryAsked,
    RecoveryUsed,
    EmailConfirmed,
    EmailChanged,
    PasswordChanged,
    SecondFactorFailed,
    SecondFactorEnabled,
    SecondFactorDisabled,
    SessionEnded,
    AccountErased,
    OriginRefused,
    Forbidden,
    RateLimited,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::LoginSucceeded => "login.succeeded",
            Event::LoginFailed => "login.failed",
            Event::LockedOut => "login.locked_out",
            Event::RecoveryAsked => "recovery.asked",
            Event::RecoveryUsed => "recovery.used",
            Event::EmailConfirmed => "email.confirmed",
            Event::EmailChanged => "email.changed",
            Event::PasswordChanged => "password.changed",
            Event::SecondFactorFailed => "second_factor.failed",
            Event::SecondFactorEnabled => "second_factor.enabled",
            Event::SecondFactorDisabled => "second_factor.disabled",
            Event::SessionEnded => "session.ended",
            Event::AccountErased => "account.erased",
            Event::OriginRefused => "origin.refused",
            Event::Forbidden => "access.forbidden",
            Event::RateLimited => "rate.limited",
        }
    }

    /// Why a log-in was refused, for the `login_failures_total` counter: a wrong
    /// password (or an unknown address), a locked address, a wrong second-factor code
    /// (also counted when it is mistyped while setting the factor up: the event is the
    /// same). `None` for every other event.
    pub fn login_failure(self) -> Option<&'static str> {
        match self {
            Event::LoginFailed => Some("password"),
            Event::LockedOut => Some("locked_out"),
            Event::SecondFactorFailed => Some("second_factor"),
            _ => None,
        }
    }
}

/// Name of the counter of security events, one series per event (`event` label).
pub const EVENTS_METRIC: &str = "security_events_total";
/// Name of the counter of refused log-ins (`reason` label: [`Event::login_failure`]).
pub const LOGIN_FAILURES_METRIC: &str = "login_failures_total";

/// Writes one event of the security log and counts it (the server exports the counters
/// at `/metrics`).
pub fn log(event: Event, user_id: Option<i64>, client: Option<&str>, detail: &str) {
    tracing::info!(target: "security", event = event.name(), user_id, client, detail);
    metrics::counter!(EVENTS_METRIC, "event" => event.name()).increment(1);
    if let Some(reason) = event.login_failure() {
        metrics::counter!(LOGIN_FAILURES_METRIC, "reason" => reason).increment(1);
    }
}
