//! Roles on a company and the registration policy.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Admin,
    TrainingManager,
    BillingManager,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::TrainingManager, Role::BillingManager];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::TrainingManager => "training_manager",
            Role::BillingManager => "billing_manager",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrateur",
            Role::TrainingManager => "Responsable de formation",
            Role::BillingManager => "Responsable facturation",
        }
    }

    /// May this role register participants for the company?
    pub fn may_register(self) -> bool {
        matches!(self, Role::Admin | Role::TrainingManager)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationPolicy {
    /// Any user of the portal may register participants for the company.
    Open,
    /// Only the listed persons with an admin or training-manager role may.
    Restricted,
}

impl RegistrationPolicy {
    pub fn code(self) -> &'static str {
        match self {
            RegistrationPolicy::Open => "open",
            RegistrationPolicy::Restricted => "restricted",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "open" => Some(Self::Open),
            "restricted" => Some(Self::Restricted),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RegistrationPolicy::Open => "Ouvert à tout utilisateur",
            RegistrationPolicy::Restricted => "Restreint aux personnes habilitées",
        }
    }
}

/// The tabs of a company space a user may open (the server refuses the others anyway).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tabs {
    /// The company's trainings.
    pub home: bool,
    pub cart: bool,
    pub orders: bool,
    pub surveys: bool,
    /// Billing documents (administrators and billing managers, never delegated).
    pub documents: bool,
    /// MON ENTREPRISE.
    pub admin: bool,
}

impl Tabs {
    /// An administrator's: every tab.
    pub const ADMIN: Tabs = Tabs { home: true, cart: true, orders: true, surveys: true, documents: true, admin: true };
}

/// May a user holding `roles` on a company with `policy` register participants for it?
pub fn may_register(policy: RegistrationPolicy, roles: &[Role]) -> bool {
    policy == RegistrationPolicy::Open || roles.iter().any(|r| r.may_register())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn who_may_register() {
        use RegistrationPolicy::*;
        assert!(may_register(Open, &[]));
        assert!(!may_register(Restricted, &[]));
        assert!(!may_register(Restricted, &[Role::BillingManager]));
        assert!(may_register(Restricted, &[Role::TrainingManager]));
        assert!(may_register(Restricted, &[Role::Admin]));
    }
}
