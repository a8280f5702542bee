//! Roles on a company, the registration policy, and the one table of rights on a
//! company (`allows`).

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
    /// may use: those who manage registrations there (administrators, training managers)
    /// register, those who see its billing (administrators, billing managers) read the
    /// orders — as the rights table says of their roles.
    pub fn for_roles(self, roles: &[Role]) -> Scope {
        let may = |need| roles.iter().any(|r| role_allows(*r, need));
        Scope { register: self.register && may(Need::Manage), orders: self.orders && may(Need::Billing) }
    }
}

/// A company as seen by one user: the facts every decision on it needs. The server
/// loads it; deciding is pure (`allows`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub company_id: i64,
    pub name: String,
    pub policy: RegistrationPolicy,
    /// The roles the user holds on the company.
    pub roles: Vec<Role>,
    /// What delegations from this company let the user do (through a structure where he
    /// holds a role).
    pub delegated: Scope,
}

impl Access {
    /// The tabs of the company space this access opens.
    pub fn tabs(&self) -> Tabs {
        Tabs::of(self)
    }
}

/// What a server function needs on a company.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Need {
    /// Register participants for the company (policy and roles).
    Register,
    /// Hold any role on the company, or a delegation to register its participants.
    Member,
    /// Hold a role that registers participants (administrator, training manager).
    Manage,
    /// Administrator or billing manager, or a delegation to read the orders: the
    /// validated orders.
    Orders,
    /// Administrator or billing manager: billing documents (never delegated).
    Billing,
    /// Be an administrator.
    Admin,
}

impl Need {
    pub const ALL: [Need; 6] = [Need::Register, Need::Member, Need::Manage, Need::Orders, Need::Billing, Need::Admin];
}

/// THE rights table: does this access meet the need? Every check on a company, every
/// tab shown and every delegation used derives from it.
pub fn allows(access: &Access, need: Need) -> bool {
    let by_role = access.roles.iter().any(|r| role_allows(*r, need));
    let by_policy = need == Need::Register && access.policy == RegistrationPolicy::Open;
    let by_delegation = match need {
        Need::Register | Need::Member => access.delegated.register,
        Need::Orders => access.delegated.orders,
        // Managing, billing documents and administration are never delegated.
        Need::Manage | Need::Billing | Need::Admin => false,
    };
    by_role || by_policy || by_delegation
}

/// The part of the table that one role grants on its own.
pub fn role_allows(role: Role, need: Need) -> bool {
    match need {
        Need::Member => true,
        Need::Register | Need::Manage => matches!(role, Role::Admin | Role::TrainingManager),
        Need::Orders | Need::Billing => matches!(role, Role::Admin | Role::BillingManager),
        Need::Admin => role == Role::Admin,
    }
}

/// When the need is not met: is the company hidden (answered "not found")? It is to a
/// stranger (no role, no delegation), so as not to confirm that it exists; only the
/// right to register, which an open company grants to anybody, is refused by name.
pub fn hides_company(access: &Access, need: Need) -> bool {
    need != Need::Register && access.roles.is_empty() && !access.delegated.any()
}

/// Why the need is not met, in French. It names nobody (the page offers "Demander
/// les droits", which mails the administrators), and names the company only to one of
/// its members: a stranger refused registration in restricted mode is not told whose
/// space the SIRET he typed opens.
pub fn refusal(access: &Access, need: Need) -> String {
    let company = if allows(access, Need::Member) || access.delegated.any() {
        format!("« {} »", access.name)
    } else {
        String::from("cette structure")
    };
    match need {
        Need::Register => format!(
            "Les inscriptions pour {company} sont réservées aux personnes habilitées. \
             Vous pouvez demander ce droit à ses administrateurs."
        ),
        Need::Billing | Need::Orders => {
            format!("Cette page est réservée aux administrateurs et aux responsables facturation de {company}.")
        }
        Need::Manage => format!("Cette action est réservée aux administrateurs et aux responsables de formation de {company}."),
        Need::Member | Need::Admin => format!("Cette action est réservée aux administrateurs de {company}."),
    }
}

/// Roles that a company may protect with a second factor: those that see its billing
/// and change its rights.
pub fn needs_second_factor(roles: &[Role]) -> bool {
    roles.iter().any(|r| matches!(r, Role::Admin | Role::BillingManager))
}

/// The access without the roles that a second factor protects (what a person holds
/// until he sets one up, on a company that requires it).
pub fn without_second_factor(access: &Access) -> Access {
    let mut a = access.clone();
    a.roles.retain(|r| !matches!(r, Role::Admin | Role::BillingManager));
    a
}

/// Why a role protected by a second factor does not count yet.
pub fn second_factor_refusal(access: &Access) -> String {
    format!(
        "« {} » exige la double authentification de ses administrateurs et responsables facturation : \
         activez-la dans Mon compte (Double authentification).",
        access.name
    )
}

/// The role to ask for when a need is refused: the one that meets it with the least.
pub fn role_for(need: Need) -> Role {
    match need {
        Need::Register | Need::Manage | Need::Member => Role::TrainingManager,
        Need::Orders | Need::Billing => Role::BillingManager,
        Need::Admin => Role::Admin,
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

    /// The need each tab asks: a tab opens when the table allows its need.
    pub fn of(access: &Access) -> Tabs {
        let may = |need| allows(access, need);
        Tabs {
            home: may(Need::Member),
            cart: may(Need::Register),
            orders: may(Need::Orders),
            surveys: may(Need::Manage),
            documents: may(Need::Billing),
            admin: may(Need::Admin),
        }
    }
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

    fn access(policy: RegistrationPolicy, roles: &[Role], delegated: Scope) -> Access {
        Access { company_id: 1, name: "Cabinet".into(), policy, roles: roles.to_vec(), delegated }
    }

    const NONE: Scope = Scope { register: false, orders: false };
    const REG: Scope = Scope { register: true, orders: false };
    const ORD: Scope = Scope { register: false, orders: true };
    const BOTH: Scope = Scope { register: true, orders: true };

    /// Today's decisions, written out: (roles, policy, delegated) -> the needs met.
    fn expected(roles: &[Role], policy: RegistrationPolicy, d: Scope) -> Vec<Need> {
        use Need::*;
        let admin = roles.contains(&Role::Admin);
        let training = roles.contains(&Role::TrainingManager);
        let billing = roles.contains(&Role::BillingManager);
        let mut out = Vec::new();
        if policy == RegistrationPolicy::Open || admin || training || d.register {
            out.push(Register);
        }
        if !roles.is_empty() || d.register {
            out.push(Member);
        }
        if admin || training {
            out.push(Manage);
        }
        if admin || billing || d.orders {
            out.push(Orders);
        }
        if admin || billing {
            out.push(Billing);
        }
        if admin {
            out.push(Admin);
        }
        out
    }

    #[test]
    fn every_role_every_need_every_policy_every_delegation() {
        use RegistrationPolicy::*;
        let role_sets: [&[Role]; 5] =
            [&[], &[Role::Admin], &[Role::TrainingManager], &[Role::BillingManager], &[Role::TrainingManager, Role::BillingManager]];
        for roles in role_sets {
            for policy in [Open, Restricted] {
                for d in [NONE, REG, ORD, BOTH] {
                    let a = access(policy, roles, d);
                    let want = expected(roles, policy, d);
                    for need in Need::ALL {
                        assert_eq!(allows(&a, need), want.contains(&need), "{roles:?} {policy:?} {d:?} {need:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_table_spelled_out() {
        use Need::*;
        use RegistrationPolicy::*;
        let a = |roles: &[Role], p, d| access(p, roles, d);
        // An administrator may everything, whatever the policy.
        for need in Need::ALL {
            assert!(allows(&a(&[Role::Admin], Restricted, NONE), need));
        }
        // A training manager registers and manages; no orders, billing, administration.
        let t = a(&[Role::TrainingManager], Restricted, NONE);
        assert!(allows(&t, Register) && allows(&t, Member) && allows(&t, Manage));
        assert!(!allows(&t, Orders) && !allows(&t, Billing) && !allows(&t, Admin));
        // A billing manager: orders and billing; registers only when the company is open.
        let b = a(&[Role::BillingManager], Restricted, NONE);
        assert!(allows(&b, Member) && allows(&b, Orders) && allows(&b, Billing));
        assert!(!allows(&b, Register) && !allows(&b, Manage) && !allows(&b, Admin));
        assert!(allows(&a(&[Role::BillingManager], Open, NONE), Register));
        // Nobody: only registering, in open mode.
        for need in Need::ALL {
            assert_eq!(allows(&a(&[], Open, NONE), need), need == Register);
            assert!(!allows(&a(&[], Restricted, NONE), need));
        }
        // Delegations: registering makes a member; orders are read; never billing,
        // managing or administration.
        let both = a(&[], Restricted, BOTH);
        assert!(allows(&both, Register) && allows(&both, Member) && allows(&both, Orders));
        assert!(!allows(&both, Manage) && !allows(&both, Billing) && !allows(&both, Admin));
        let orders = a(&[], Restricted, ORD);
        assert!(!allows(&orders, Member) && !allows(&orders, Register) && allows(&orders, Orders));
    }

    #[test]
    fn strangers_do_not_see_the_company() {
        use RegistrationPolicy::*;
        for need in Need::ALL {
            assert_eq!(hides_company(&access(Restricted, &[], NONE), need), need != Need::Register);
            assert!(!hides_company(&access(Restricted, &[Role::BillingManager], NONE), need));
            assert!(!hides_company(&access(Open, &[], ORD), need));
            assert!(!hides_company(&access(Restricted, &[], REG), need));
        }
    }

    #[test]
    fn refusals_name_nobody_and_the_company_only_to_its_members() {
        let stranger = access(RegistrationPolicy::Restricted, &[], NONE);
        assert_eq!(
            refusal(&stranger, Need::Register),
            "Les inscriptions pour cette structure sont réservées aux personnes habilitées. \
             Vous pouvez demander ce droit à ses administrateurs."
        );
        let billing = access(RegistrationPolicy::Restricted, &[Role::BillingManager], NONE);
        assert!(refusal(&billing, Need::Register).contains("« Cabinet »"));
        let training = access(RegistrationPolicy::Restricted, &[Role::TrainingManager], NONE);
        assert_eq!(
            refusal(&training, Need::Billing),
            "Cette page est réservée aux administrateurs et aux responsables facturation de « Cabinet »."
        );
        assert_eq!(refusal(&training, Need::Orders), refusal(&training, Need::Billing));
        assert_eq!(refusal(&billing, Need::Admin), "Cette action est réservée aux administrateurs de « Cabinet ».");
        assert_eq!(role_for(Need::Register), Role::TrainingManager);
        assert_eq!(role_for(Need::Orders), Role::BillingManager);
        assert_eq!(role_for(Need::Admin), Role::Admin);
    }

    #[test]
    fn a_second_factor_protects_administrators_and_billing_managers_only() {
        let both = access(RegistrationPolicy::Restricted, &[Role::Admin, Role::TrainingManager, Role::BillingManager], NONE);
        assert!(needs_second_factor(&both.roles));
        assert!(!needs_second_factor(&[Role::TrainingManager]));
        let bare = without_second_factor(&both);
        assert_eq!(bare.roles, vec![Role::TrainingManager]);
        assert!(allows(&bare, Need::Manage) && !allows(&bare, Need::Billing) && !allows(&bare, Need::Admin));
        assert!(second_factor_refusal(&both).contains("exige la double authentification"));
    }

    #[test]
    fn tabs_follow_the_table() {
        use RegistrationPolicy::*;
        assert_eq!(Tabs::of(&access(Restricted, &[Role::Admin], NONE)), Tabs::ADMIN);
        assert_eq!(
            Tabs::of(&access(Restricted, &[Role::TrainingManager], NONE)),
            Tabs { home: true, cart: true, orders: false, surveys: true, documents: false, admin: false }
        );
        assert_eq!(
            Tabs::of(&access(Restricted, &[Role::BillingManager], NONE)),
            Tabs { home: true, cart: false, orders: true, surveys: false, documents: true, admin: false }
        );
        assert_eq!(
            Tabs::of(&access(Open, &[Role::BillingManager], NONE)),
            Tabs { home: true, cart: true, orders: true, surveys: false, documents: true, admin: false }
        );
        assert_eq!(
            Tabs::of(&access(Restricted, &[], BOTH)),
            Tabs { home: true, cart: true, orders: true, surveys: false, documents: false, admin: false }
        );
        assert_eq!(Tabs::of(&access(Restricted, &[], ORD)), Tabs { orders: true, ..Tabs::default() });
        assert_eq!(Tabs::of(&access(Open, &[], NONE)), Tabs { cart: true, ..Tabs::default() });
    }

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
    fn scope_labels() {
        assert_eq!(Scope { register: true, orders: true }.label(), "inscrire des participants, consulter les commandes");
        assert_eq!(Scope { register: false, orders: true }.label(), "consulter les commandes");
        assert_eq!(Scope::default().label(), "aucun droit");
    }
}
