//! Who is calling. `CurrentUser` (a domain type) travels to the browser; the server
//! part reads the session cookie and enforces rights.

pub use crate::domain::account::CurrentUser;

#[cfg(feature = "ssr")]
pub mod server;
