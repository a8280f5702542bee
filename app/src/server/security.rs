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
}

/// Writes one event of the security log.
pub fn log(event: Event, user_id: Option<i64>, client: Option<&str>, detail: &str) {
    tracing::info!(target: "security", event = event.name(), user_id, client, detail);
}
