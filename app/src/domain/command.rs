//! The commands a form's buttons send in its `op` field ("grant:admin:a@b.fr",
//! "cancel:42", "back"...). Pages render a button's value with `code()`; the server
//! parses it with `from_code()` (or `str::parse`), refusing what is unknown or
//! malformed with a French message for the `op` field (or the part at fault).

use super::{Email, Role};
use std::str::FromStr;

/// A command refused: the field it is reported on, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadCommand {
    pub field: &'static str,
    pub message: &'static str,
}

impl std::fmt::Display for BadCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for BadCommand {}

impl From<BadCommand> for crate::error::AppError {
    fn from(e: BadCommand) -> Self {
        crate::error::AppError::validation(e.field, e.message)
    }
}

const UNKNOWN: BadCommand = BadCommand { field: "op", message: "Action inconnue." };

fn bad_op(message: &'static str) -> BadCommand {
    BadCommand { field: "op", message }
}

/// "verb" or "verb:argument".
fn split(op: &str) -> (&str, Option<&str>) {
    match op.split_once(':') {
        Some((verb, arg)) => (verb, Some(arg)),
        None => (op, None),
    }
}

/// A positive id, digits only ("12"; not "+12", "", "1:2").
fn id(arg: &str, refused: BadCommand) -> Result<i64, BadCommand> {
    if arg.is_empty() || !arg.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused);
    }
    arg.parse().map_err(|_| refused)
}

/// An address named in a command: no colon (the separator), and a valid address.
fn email(arg: &str) -> Result<Email, BadCommand> {
    if arg.contains(':') {
        return Err(BadCommand { field: "email", message: "Adresse e-mail invalide (exemple : prenom.nom@cabinet.fr)." });
    }
    Email::parse(arg).map_err(|message| BadCommand { field: "email", message })
}

macro_rules! from_str_via_from_code {
    ($($ty:ident),+) => {$(
        impl FromStr for $ty {
            type Err = BadCommand;
            fn from_str(s: &str) -> Result<Self, BadCommand> {
                Self::from_code(s)
            }
        }
    )+};
}

from_str_via_from_code!(RoleCommand, ThirdPartyCommand, DelegationCommand, SessionCommand, AdminCommand, RightsCommand, ReviewCommand, ParticipantsCommand);

/// MON ENTREPRISE, the rights table: "grant:ROLE:EMAIL" or "revoke:ROLE:EMAIL".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleCommand {
    Grant { role: Role, email: Email },
    Revoke { role: Role, email: Email },
}

impl RoleCommand {
    pub fn role(&self) -> Role {
        match self {
            Self::Grant { role, .. } | Self::Revoke { role, .. } => *role,
        }
    }

    pub fn email(&self) -> &Email {
        match self {
            Self::Grant { email, .. } | Self::Revoke { email, .. } => email,
        }
    }

    pub fn code(&self) -> String {
        let verb = match self {
            Self::Grant { .. } => "grant",
            Self::Revoke { .. } => "revoke",
        };
        format!("{verb}:{}:{}", self.role().code(), self.email())
    }

    pub fn from_code(op: &str) -> Result<Self, BadCommand> {
        let mut parts = op.splitn(3, ':');
        let (verb, role, address) = (parts.next().unwrap_or(""), parts.next(), parts.next());
        let grant = match verb {
            "grant" => true,
            "revoke" => false,
            _ => return Err(UNKNOWN),
        };
        let (Some(role), Some(address)) = (role, address) else { return Err(UNKNOWN) };
        let role = Role::from_code(role).ok_or(BadCommand { field: "role", message: "Rôle inconnu." })?;
        let email = email(address)?;
        Ok(if grant { Self::Grant { role, email } } else { Self::Revoke { role, email } })
    }
}

/// MON ENTREPRISE, third parties allowed to bill: "mode" (the `mode` field), "add" (the
/// `siret` field), "remove:<company id>".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThirdPartyCommand {
    SetMode,
    Allow,
    Disallow(i64),
}

impl ThirdPartyCommand {
    pub fn code(&self) -> String {
        match self {
            Self::SetMode => "mode".into(),
            Self::Allow => "add".into(),
            Self::Disallow(company) => format!("remove:{company}"),
        }
    }

    pub fn from_code(op: &str) -> Result<Self, BadCommand> {
        match split(op) {
            ("mode", None) => Ok(Self::SetMode),
            ("add", None) => Ok(Self::Allow),
            ("remove", Some(company)) => Ok(Self::Disallow(id(company, bad_op("Structure inconnue."))?)),
            _ => Err(UNKNOWN),
        }
    }
}

/// MON ENTREPRISE, delegations: "grant" (the `siret` and scope fields), "revoke:<delegation id>".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DelegationCommand {
    Grant,
    Revoke(i64),
}

impl DelegationCommand {
    pub fn code(&self) -> String {
        match self {
            Self::Grant => "grant".into(),
            Self::Revoke(delegation) => format!("revoke:{delegation}"),
        }
    }

    pub fn from_code(op: &str) -> Result<Self, BadCommand> {
        match split(op) {
            ("grant", None) => Ok(Self::Grant),
            ("revoke", Some(delegation)) => Ok(Self::Revoke(id(delegation, bad_op("Délégation inconnue."))?)),
            _ => Err(UNKNOWN),
        }
    }
}

/// The provider's back-office, on a session: "confirm" (the session is held, its pending
/// registrations confirmed) or "confirm:<registration>", "cancel" (the session and its
/// registrations) or "cancel:<registration>", "close" (after its last day),
/// "invoice:<order>" (the final invoice of the order's registrations on the session),
/// "downpayment:<order>".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionCommand {
    /// `None`: the whole session.
    Confirm(Option<i64>),
    /// `None`: the whole session.
    Cancel(Option<i64>),
    Close,
    Invoice(i64),
    DownPayment(i64),
}

impl SessionCommand {
    pub fn code(&self) -> String {
        match self {
            Self::Confirm(None) => "confirm".into(),
            Self::Confirm(Some(r)) => format!("confirm:{r}"),
            Self::Cancel(None) => "cancel".into(),
            Self::Cancel(Some(r)) => format!("cancel:{r}"),
            Self::Close => "close".into(),
            Self::Invoice(order) => format!("invoice:{order}"),
            Self::DownPayment(order) => format!("downpayment:{order}"),
        }
    }

    pub fn from_code(op: &str) -> Result<Self, BadCommand> {
        let target = |arg: &str| id(arg, bad_op("Élément inconnu."));
        match split(op) {
            ("confirm", None) => Ok(Self::Confirm(None)),
            ("confirm", Some(r)) => Ok(Self::Confirm(Some(target(r)?))),
            ("cancel", None) => Ok(Self::Cancel(None)),
            ("cancel", Some(r)) => Ok(Self::Cancel(Some(target(r)?))),
            ("close", None) => Ok(Self::Close),
            ("invoice", Some(order)) => Ok(Self::Invoice(target(order)?)),
            ("downpayment", Some(order)) => Ok(Self::DownPayment(target(order)?)),
            _ => Err(UNKNOWN),
        }
    }
}

/// Wizard, step "Se déclarer administrateur": "back" or "next".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminCommand {
    Back,
    Next,
}

impl AdminCommand {
    pub fn code(&self) -> String {
        match self {
            Self::Back => "back".into(),
            Self::Next => "next".into(),
        }
    }

    pub fn from_code(op: &str) -> Result<Self, BadCommand> {
        match op {
            "back" => Ok(Self::Back),
            "next" => Ok(Self::Next),
            _ => Err(UNKNOWN),
        }
    }
}

/// Wizard, step "Droits d'inscription": "back", "add" (the person typed), "remove:<email>",
/// "next".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RightsCommand {
    Back,
    Add,
    Remove(Email),
    Next,
}

impl RightsCommand {
    pub fn code(&self) -> String {
        match self {
            Self::Back => "back".into(),
            Self::Add => "add".into(),
            Self::Remove(email) => format!("remove:{email}"),
            Self::Next => "next".into(),
        }
    }

    pub fn from_code(op: &str) -> Result<Self, BadCommand> {
        match split(op) {
            ("back", None) => Ok(Self::Back),
            ("add", None) => Ok(Self::Add),
            ("remove", Some(address)) => Ok(Self::Remove(email(address)?)),
            ("next", None) => Ok(Self::Next),
            _ => Err(UNKNOWN),
        }
    }
}

/// Wizard, step "Vérifier vos paramètres": "back" or "finalise" (create the space).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewCommand {
    Back,
    Finalise,
}

impl ReviewCommand {
    pub fn code(&self) -> String {
        match self {
            Self::Back => "back".into(),
            Self::Finalise => "finalise".into(),
        }
    }

    pub fn from_code(op: &str) -> Result<Self, BadCommand> {
        match op {
            "back" => Ok(Self::Back),
            "finalise" => Ok(Self::Finalise),
            _ => Err(UNKNOWN),
        }
    }
}

/// Wizard, step "Participants": "add_directory" (the person picked), "add" (the address
/// typed), "remove:<email>", "confirm" (register them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParticipantsCommand {
    AddFromDirectory,
    Add,
    Remove(Email),
    Confirm,
}

impl ParticipantsCommand {
    pub fn code(&self) -> String {
        match self {
            Self::AddFromDirectory => "add_directory".into(),
            Self::Add => "add".into(),
            Self::Remove(email) => format!("remove:{email}"),
            Self::Confirm => "confirm".into(),
        }
    }

    pub fn from_code(op: &str) -> Result<Self, BadCommand> {
        match split(op) {
            ("add_directory", None) => Ok(Self::AddFromDirectory),
            ("add", None) => Ok(Self::Add),
            ("remove", Some(address)) => Ok(Self::Remove(email(address)?)),
            ("confirm", None) => Ok(Self::Confirm),
            _ => Err(UNKNOWN),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    #[test]
    fn role_commands_round_trip_and_refuse_the_malformed() {
        let grant = RoleCommand::Grant { role: Role::BillingManager, email: mail("a@b.fr") };
        assert_eq!(grant.code(), "grant:billing_manager:a@b.fr");
        for c in [grant, RoleCommand::Revoke { role: Role::Admin, email: mail("x.y@cabinet.fr") }] {
            assert_eq!(RoleCommand::from_code(&c.code()), Ok(c.clone()));
            assert_eq!(c.code().parse::<RoleCommand>(), Ok(c));
        }
        // The address is normalised like any typed address.
        assert_eq!(RoleCommand::from_code("revoke:admin: A@B.FR").map(|c| c.email().to_string()), Ok("a@b.fr".into()));
        let field = |op: &str| RoleCommand::from_code(op).unwrap_err().field;
        assert_eq!(field(""), "op");
        assert_eq!(field("grant"), "op");
        assert_eq!(field("grant:admin"), "op");
        assert_eq!(field("promote:admin:a@b.fr"), "op");
        assert_eq!(field("GRANT:admin:a@b.fr"), "op");
        assert_eq!(field("grant:root:a@b.fr"), "role");
        assert_eq!(field("grant::a@b.fr"), "role");
        assert_eq!(field("grant:admin:"), "email");
        assert_eq!(field("grant:admin:not-an-email"), "email");
        assert_eq!(field("grant:admin:a@b.fr:x"), "email");
        assert_eq!(field("grant:admin:x:a@b.fr"), "email");
        assert_eq!(RoleCommand::from_code("grant:root:a@b.fr").unwrap_err().message, "Rôle inconnu.");
    }

    #[test]
    fn company_commands_round_trip_and_refuse_the_malformed() {
        for c in [ThirdPartyCommand::SetMode, ThirdPartyCommand::Allow, ThirdPartyCommand::Disallow(42)] {
            assert_eq!(ThirdPartyCommand::from_code(&c.code()), Ok(c));
        }
        assert_eq!(ThirdPartyCommand::Disallow(42).code(), "remove:42");
        assert_eq!(ThirdPartyCommand::from_code("remove:x"), Err(bad_op("Structure inconnue.")));
        for op in ["", "remove", "remove:", "remove:1:2", "remove:-1", "mode:1", "add:", "delete:1"] {
            assert!(ThirdPartyCommand::from_code(op).is_err(), "{op}");
        }
        for c in [DelegationCommand::Grant, DelegationCommand::Revoke(7)] {
            assert_eq!(DelegationCommand::from_code(&c.code()), Ok(c));
        }
        assert_eq!(DelegationCommand::from_code("revoke:abc"), Err(bad_op("Délégation inconnue.")));
        assert_eq!(DelegationCommand::from_code("revoke"), Err(UNKNOWN));
        assert_eq!(DelegationCommand::from_code("grant:1"), Err(UNKNOWN));
        assert_eq!(DelegationCommand::from_code(""), Err(UNKNOWN));
    }

    #[test]
    fn session_commands_round_trip_and_refuse_the_malformed() {
        use SessionCommand::*;
        for c in [Confirm(None), Confirm(Some(3)), Cancel(None), Cancel(Some(4)), Close, Invoice(5), DownPayment(6)] {
            assert_eq!(SessionCommand::from_code(&c.code()), Ok(c));
            assert_eq!(c.code().parse::<SessionCommand>(), Ok(c));
        }
        assert_eq!(Confirm(Some(3)).code(), "confirm:3");
        assert_eq!(DownPayment(6).code(), "downpayment:6");
        assert_eq!(SessionCommand::from_code("confirm:x"), Err(bad_op("Élément inconnu.")));
        assert_eq!(SessionCommand::from_code("cancel:"), Err(bad_op("Élément inconnu.")));
        assert_eq!(SessionCommand::from_code("cancel:1:2"), Err(bad_op("Élément inconnu.")));
        for op in ["", "close:1", "invoice", "downpayment", "open", "Confirm", ":1"] {
            assert_eq!(SessionCommand::from_code(op), Err(UNKNOWN), "{op}");
        }
    }

    #[test]
    fn wizard_commands_round_trip_and_refuse_the_malformed() {
        for c in [AdminCommand::Back, AdminCommand::Next] {
            assert_eq!(AdminCommand::from_code(&c.code()), Ok(c));
        }
        for c in [ReviewCommand::Back, ReviewCommand::Finalise] {
            assert_eq!(ReviewCommand::from_code(&c.code()), Ok(c));
        }
        for c in [RightsCommand::Back, RightsCommand::Add, RightsCommand::Remove(mail("a@b.fr")), RightsCommand::Next] {
            assert_eq!(RightsCommand::from_code(&c.code()), Ok(c));
        }
        for c in [ParticipantsCommand::AddFromDirectory, ParticipantsCommand::Add, ParticipantsCommand::Remove(mail("a@b.fr")), ParticipantsCommand::Confirm] {
            assert_eq!(ParticipantsCommand::from_code(&c.code()), Ok(c));
        }
        assert_eq!(ParticipantsCommand::Remove(mail("a@b.fr")).code(), "remove:a@b.fr");
        for op in ["", "next:1", "finish", "back:"] {
            assert_eq!(AdminCommand::from_code(op), Err(UNKNOWN), "{op}");
            assert_eq!(ReviewCommand::from_code(op), Err(UNKNOWN), "{op}");
        }
        assert_eq!(RightsCommand::from_code("remove").unwrap_err(), UNKNOWN);
        assert_eq!(RightsCommand::from_code("remove:").unwrap_err().field, "email");
        assert_eq!(RightsCommand::from_code("remove:a@b.fr:x").unwrap_err().field, "email");
        assert_eq!(ParticipantsCommand::from_code("remove:nobody").unwrap_err().field, "email");
        assert_eq!(ParticipantsCommand::from_code("add_directory:x"), Err(UNKNOWN));
        assert_eq!(ParticipantsCommand::from_code("confirmer"), Err(UNKNOWN));
    }
}
