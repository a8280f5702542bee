//! Delegation of rights to another structure: company A lets the habilitated people of
//! structure B register A's participants and/or see A's orders, until A revokes it.

pub use super::rights::Scope;
use serde::{Deserialize, Serialize};

/// One delegation, seen from either side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationLine {
    pub id: i64,
    /// The other structure: the delegate (granted) or the delegating one (received).
    pub other_id: i64,
    pub other_name: String,
    pub other_siret: String,
    pub scope: Scope,
    /// Unix seconds.
    pub since: i64,
}

/// MON ENTREPRISE — Délégations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegations {
    pub granted: Vec<DelegationLine>,
    pub received: Vec<DelegationLine>,
}
