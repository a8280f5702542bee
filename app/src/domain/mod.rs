//! Types shared by the server and the browser, pure and unit-tested: newtypes that parse
//! their raw input (Email, Siret, Money, Date…), forms whose `parse()` gives a valid value
//! or one `FieldErrors` (field → French message), states and commands as enums with their
//! stored codes (`code`), and the rights table (`rights::allows`).

pub mod account;
pub mod attendance;
pub mod catalogue;
pub mod code;
pub mod command;
pub mod company;
pub mod date;
pub mod delegation;
pub mod device;
pub mod directory;
pub mod form;
pub mod identity;
pub mod invoice;
pub mod knowledge;
pub mod money;
pub mod obligation;
pub mod obligation_firm;
pub mod order;
pub mod page;
pub mod provider;
pub mod registration;
pub mod retention;
pub mod rights;
pub mod session;
pub mod support;
pub mod survey;
pub mod waitlist;
pub mod wizard;

pub use date::Date;
pub use form::{FieldError, FieldErrors, Text};
pub use identity::{Email, Siret};
pub use money::Money;
pub use rights::{RegistrationPolicy, Role};
