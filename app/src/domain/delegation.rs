//! Delegation of rights to another structure: company A lets the habilitated people of
//! structure B register A's participants and/or see A's orders, until A revokes it.

use super::Role;
use serde::{Deserialize, Serialize};

/// What a delegation grants. Never more than registering and reading orders: the
/// delegate never changes A's rights, information or billing documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Register A's collaborators (cart and order in A's name).
    pub register: bool,
    /// Read A's validated orders.
    pub orders: bool,
}

impl Scope {
    pub fn any(self) -> bool {
        self.register || self.orders
    }

    pub fn union(self, other: Scope) -> Scope {
        Scope { register: self.register || other.register, orders: self.orders || other.orders }
    }

    /// In French, for the lists: "inscrire des participants, consulter les commandes".
    pub fn label(self) -> String {
        let mut parts = Vec::new();
        if self.register {
            parts.push("inscrire des participants");
        }
        if self.orders {
            parts.push("consulter les commandes");
        }
        if parts.is_empty() {
            return "aucun droit".into();
        }
        parts.join(", ")
    }

    /// The part of a delegation that a person holding `roles` in the delegate structure
    /// may use: its registrants (administrators, training managers) register, its
    /// administrators and billing managers read the orders.
    pub fn for_roles(self, roles: &[Role]) -> Scope {
        Scope {
            register: self.register && roles.iter().any(|r| r.may_register()),
            orders: self.orders && roles.iter().any(|r| matches!(r, Role::Admin | Role::BillingManager)),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delegate_roles_bound_what_is_used() {
        let both = Scope { register: true, orders: true };
        assert_eq!(both.for_roles(&[Role::Admin]), both);
        assert_eq!(both.for_roles(&[Role::TrainingManager]), Scope { register: true, orders: false });
        assert_eq!(both.for_roles(&[Role::BillingManager]), Scope { register: false, orders: true });
        assert_eq!(both.for_roles(&[]), Scope::default());
        let orders_only = Scope { register: false, orders: true };
        assert_eq!(orders_only.for_roles(&[Role::TrainingManager]), Scope::default());
        assert!(!Scope::default().any());
    }

    #[test]
    fn labels() {
        assert_eq!(Scope { register: true, orders: true }.label(), "inscrire des participants, consulter les commandes");
        assert_eq!(Scope { register: false, orders: true }.label(), "consulter les commandes");
        assert_eq!(Scope::default().label(), "aucun droit");
    }
}
