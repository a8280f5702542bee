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
    /// Hold any role on the company, or a delegation to register its participants: the
    /// entity that orders and its trainings (to come and done).
    Member,
    /// Hold a role that registers participants (administrator, training manager): the
    /// questionnaires and the carts of the firm.
    Manage,
    /// Any role: the training documents (agreements, e-learning protocols, completion
    /// certificates).
    Documents,
    /// The orders page: all of them with [`Need::Orders`]; a training manager sees
    /// those he placed.
    PlacedOrders,
    /// Administrator or billing manager, or a delegation to read the orders: every
    /// validated order and purchase order.
    Orders,
    /// Administrator or billing manager: invoices, down payments, credit notes,
    /// payments (never delegated).
    Billing,
    /// Be an administrator: MON ENTREPRISE.
    Admin,
}

impl Need {
    pub const ALL: [Need; 8] =
        [Need::Register, Need::Member, Need::Manage, Need::Documents, Need::PlacedOrders, Need::Orders, Need::Billing, Need::Admin];
}

/// THE rights table: does this access meet the need? Every check on a company, every
/// tab shown and every delegation used derives from it.
pub fn allows(access: &Access, need: Need) -> bool {
    let by_role = access.roles.iter().any(|r| role_allows(*r, need));
    let by_policy = need == Need::Register && access.policy == RegistrationPolicy::Open;
    let by_delegation = match need {
        Need::Register | Need::Member => access.delegated.register,
        Need::Orders | Need::PlacedOrders => access.delegated.orders,
        // Managing, documents, billing and administration are never delegated.
        Need::Manage | Need::Documents | Need::Billing | Need::Admin => false,
    };
    by_role || by_policy || by_delegation
}

/// The part of the table that one role grants on its own (domain.md, "Who sees which
/// point de repère").
pub fn role_allows(role: Role, need: Need) -> bool {
    match need {
        Need::Member | Need::Documents | Need::PlacedOrders => true,
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
        Need::Documents | Need::PlacedOrders => {
            format!("Cette page est réservée aux administrateurs, responsables de formation et responsables facturation de {company}.")
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
        Need::Register | Need::Manage | Need::Member | Need::Documents => Role::TrainingManager,
        Need::PlacedOrders | Need::Orders | Need::Billing => Role::BillingManager,
        Need::Admin => Role::Admin,
    }
}

/// A page of the company space: its tab, its path and the need it asks. The tabs shown
/// and the checks of the page's server function both come from [`Tab::need`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    /// "Mon espace Entreprise": the points de repère, the entity, its trainings.
    Home,
    /// Agreements, e-learning protocols, completion certificates.
    Documents,
    Surveys,
    /// The training obligation of the collaborators who share it with the firm.
    Obligations,
    Cart,
    Orders,
    /// Invoices (down payments, acquittées / non acquittées), credit notes, payments.
    Invoices,
    // MON ENTREPRISE, administrators only.
    Info,
    People,
    Establishments,
    Contacts,
    Delegations,
    Audit,
}

impl Tab {
    pub const ALL: [Tab; 13] = [
        Tab::Home,
        Tab::Documents,
        Tab::Surveys,
        Tab::Obligations,
        Tab::Cart,
        Tab::Orders,
        Tab::Invoices,
        Tab::Info,
        Tab::People,
        Tab::Establishments,
        Tab::Contacts,
        Tab::Delegations,
        Tab::Audit,
    ];
    /// The pages under MON ENTREPRISE, in the guide's order.
    pub const MON_ENTREPRISE: [Tab; 6] = [Tab::Info, Tab::People, Tab::Establishments, Tab::Contacts, Tab::Delegations, Tab::Audit];

    pub fn need(self) -> Need {
        match self {
            Tab::Home => Need::Member,
            Tab::Documents => Need::Documents,
            Tab::Surveys | Tab::Obligations => Need::Manage,
            Tab::Cart => Need::Register,
            Tab::Orders => Need::PlacedOrders,
            Tab::Invoices => Need::Billing,
            Tab::Info | Tab::People | Tab::Establishments | Tab::Contacts | Tab::Delegations | Tab::Audit => Need::Admin,
        }
    }

    pub fn is_mon_entreprise(self) -> bool {
        Self::MON_ENTREPRISE.contains(&self)
    }

    /// The page's path under /entreprise/:id.
    pub fn suffix(self) -> &'static str {
        match self {
            Tab::Home => "",
            Tab::Documents => "/documents",
            Tab::Surveys => "/questionnaires",
            Tab::Obligations => "/obligations",
            Tab::Cart => "/panier",
            Tab::Orders => "/commandes",
            Tab::Invoices => "/factures",
            Tab::Info => "/informations",
            Tab::People => "/annuaire",
            Tab::Establishments => "/etablissements",
            Tab::Contacts => "/interlocuteurs",
            Tab::Delegations => "/delegations",
            Tab::Audit => "/journal",
        }
    }

    pub fn path(self, company_id: i64) -> String {
        format!("/entreprise/{company_id}{}", self.suffix())
    }

    /// The tab of a path under /entreprise/:id (the page a refusal was met on).
    pub fn of_suffix(suffix: &str) -> Option<Tab> {
        Self::ALL.into_iter().find(|t| t.suffix() == suffix)
    }

    /// In the guide's words where it has them.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Home => "Mon espace Entreprise",
            Tab::Documents => "Conventions et certificats",
            Tab::Surveys => "Questionnaires",
            Tab::Obligations => "Obligations de formation",
            Tab::Cart => "Panier",
            Tab::Orders => "Commandes",
            Tab::Invoices => "Factures et avoirs",
            Tab::Info => "Information sur ma société",
            Tab::People => "Annuaire de mes collaborateurs",
            Tab::Establishments => "MES ETABLISSEMENTS",
            Tab::Contacts => "Habilitation des interlocuteurs clés",
            Tab::Delegations => "Délégations",
            Tab::Audit => "Journal des modifications",
        }
    }
}

/// A point de repère of the guide ("Mon espace Entreprise — Points de repère"), with the
/// page that holds it. Who sees it is the need of that page: one table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Landmark {
    Entity,
    Upcoming,
    Programme,
    Done,
    Agreements,
    Protocols,
    Certificates,
    Surveys,
    Carts,
    Orders,
    PurchaseOrders,
    DownPayments,
    Invoices,
    CreditNotes,
    Payments,
    Directory,
    ThirdParties,
    Information,
    KeyContacts,
}

impl Landmark {
    pub const ALL: [Landmark; 19] = [
        Landmark::Entity,
        Landmark::Upcoming,
        Landmark::Programme,
        Landmark::Done,
        Landmark::Agreements,
        Landmark::Protocols,
        Landmark::Certificates,
        Landmark::Surveys,
        Landmark::Carts,
        Landmark::Orders,
        Landmark::PurchaseOrders,
        Landmark::DownPayments,
        Landmark::Invoices,
        Landmark::CreditNotes,
        Landmark::Payments,
        Landmark::Directory,
        Landmark::ThirdParties,
        Landmark::Information,
        Landmark::KeyContacts,
    ];

    /// The guide's words.
    pub fn word(self) -> &'static str {
        match self {
            Landmark::Entity => "L'entité qui commande les formations",
            Landmark::Upcoming => "Prochaines formations « en attente » ou « confirmée »",
            Landmark::Programme => "Détail du programme de chaque formation confirmée, lieux et horaires",
            Landmark::Done => "Liste et détail des formations réalisées",
            Landmark::Agreements => "Conventions individuelles et collectives",
            Landmark::Protocols => "Protocole Individuel de Formation (e-learning)",
            Landmark::Certificates => "Certificat de réalisation",
            Landmark::Surveys => "Questionnaires de satisfaction des collaborateurs",
            Landmark::Carts => "Commandes en cours dans le panier",
            Landmark::Orders => "Commandes validées",
            Landmark::PurchaseOrders => "Bon de commande",
            Landmark::DownPayments => "Factures d'acomptes",
            Landmark::Invoices => "Factures non acquittées/acquittées",
            Landmark::CreditNotes => "Avoirs",
            Landmark::Payments => "Règlements",
            Landmark::Directory => "Annuaire de mes collaborateurs",
            Landmark::ThirdParties => "Autorisation des tiers",
            Landmark::Information => "Information sur ma société",
            Landmark::KeyContacts => "Habilitation des interlocuteurs clés",
        }
    }

    /// The page that holds it, and the anchor on that page.
    pub fn place(self) -> (Tab, &'static str) {
        match self {
            Landmark::Entity => (Tab::Home, "entite"),
            Landmark::Upcoming => (Tab::Home, "a-venir"),
            Landmark::Programme => (Tab::Home, "a-venir"),
            Landmark::Done => (Tab::Home, "realisees"),
            Landmark::Agreements => (Tab::Documents, "conventions"),
            Landmark::Protocols => (Tab::Documents, "protocoles"),
            Landmark::Certificates => (Tab::Documents, "certificats"),
            Landmark::Surveys => (Tab::Surveys, ""),
            Landmark::Carts => (Tab::Cart, ""),
            Landmark::Orders => (Tab::Orders, ""),
            Landmark::PurchaseOrders => (Tab::Orders, "bons-de-commande"),
            Landmark::DownPayments => (Tab::Invoices, "factures"),
            Landmark::Invoices => (Tab::Invoices, "factures"),
            Landmark::CreditNotes => (Tab::Invoices, "factures"),
            Landmark::Payments => (Tab::Invoices, "reglements"),
            Landmark::Directory => (Tab::People, ""),
            Landmark::ThirdParties => (Tab::Establishments, ""),
            Landmark::Information => (Tab::Info, ""),
            Landmark::KeyContacts => (Tab::Contacts, ""),
        }
    }

    pub fn href(self, company_id: i64) -> String {
        let (tab, anchor) = self.place();
        if anchor.is_empty() {
            tab.path(company_id)
        } else {
            format!("{}#{anchor}", tab.path(company_id))
        }
    }

    /// The points de repère this access sees, in the guide's order.
    pub fn seen_by(access: &Access) -> Vec<Landmark> {
        Tabs::of(access).landmarks()
    }
}

/// The tabs of a company space a user may open (the server refuses the others anyway).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tabs {
    /// Mon espace Entreprise: the entity and its trainings.
    pub home: bool,
    /// Agreements, protocols, certificates.
    pub documents: bool,
    /// Questionnaires and obligations: those who manage the firm's registrations.
    pub surveys: bool,
    pub cart: bool,
    pub orders: bool,
    /// Invoices, credit notes, payments.
    pub invoices: bool,
    /// MON ENTREPRISE.
    pub admin: bool,
}

impl Tabs {
    /// An administrator's: every tab.
    pub const ADMIN: Tabs = Tabs { home: true, documents: true, surveys: true, cart: true, orders: true, invoices: true, admin: true };

    /// A tab opens when the table allows its need.
    pub fn of(access: &Access) -> Tabs {
        let may = |tab: Tab| allows(access, tab.need());
        Tabs {
            home: may(Tab::Home),
            documents: may(Tab::Documents),
            surveys: may(Tab::Surveys),
            cart: may(Tab::Cart),
            orders: may(Tab::Orders),
            invoices: may(Tab::Invoices),
            admin: may(Tab::Info),
        }
    }

    /// The points de repère on the pages these tabs open, in the guide's order.
    pub fn landmarks(self) -> Vec<Landmark> {
        Landmark::ALL.into_iter().filter(|l| self.has(l.place().0)).collect()
    }

    pub fn has(self, tab: Tab) -> bool {
        match tab {
            Tab::Home => self.home,
            Tab::Documents => self.documents,
            Tab::Surveys | Tab::Obligations => self.surveys,
            Tab::Cart => self.cart,
            Tab::Orders => self.orders,
            Tab::Invoices => self.invoices,
            Tab::Info | Tab::People | Tab::Establishments | Tab::Contacts | Tab::Delegations | Tab::Audit => self.admin,
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
        if !roles.is_empty() {
            out.push(Documents);
        }
        if !roles.is_empty() || d.orders {
            out.push(PlacedOrders);
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
            Tabs { home: true, documents: true, surveys: true, cart: true, orders: true, invoices: false, admin: false }
        );
        assert_eq!(
            Tabs::of(&access(Restricted, &[Role::BillingManager], NONE)),
            Tabs { home: true, documents: true, surveys: false, cart: false, orders: true, invoices: true, admin: false }
        );
        assert_eq!(
            Tabs::of(&access(Open, &[Role::BillingManager], NONE)),
            Tabs { home: true, documents: true, surveys: false, cart: true, orders: true, invoices: true, admin: false }
        );
        assert_eq!(Tabs::of(&access(Restricted, &[], BOTH)), Tabs { home: true, cart: true, orders: true, ..Tabs::default() });
        assert_eq!(Tabs::of(&access(Restricted, &[], ORD)), Tabs { orders: true, ..Tabs::default() });
        assert_eq!(Tabs::of(&access(Open, &[], NONE)), Tabs { cart: true, ..Tabs::default() });
        // Every tab is shown exactly when its page's need is met.
        for roles in [&[][..], &[Role::Admin], &[Role::TrainingManager], &[Role::BillingManager]] {
            for d in [NONE, REG, ORD, BOTH] {
                let a = access(Restricted, roles, d);
                for tab in Tab::ALL {
                    assert_eq!(Tabs::of(&a).has(tab), allows(&a, tab.need()), "{roles:?} {d:?} {tab:?}");
                }
            }
        }
    }

    #[test]
    fn tab_paths_round_trip() {
        for tab in Tab::ALL {
            assert_eq!(Tab::of_suffix(tab.suffix()), Some(tab));
        }
        assert_eq!(Tab::Invoices.path(7), "/entreprise/7/factures");
        assert_eq!(Landmark::Payments.href(7), "/entreprise/7/factures#reglements");
        assert!(Tab::MON_ENTREPRISE.iter().all(|t| t.need() == Need::Admin));
    }

    /// domain.md, "Who sees which point de repère", row by row.
    #[test]
    fn points_de_repere_as_the_guide_gives_them() {
        use Landmark::*;
        let seen = |roles: &[Role]| Landmark::seen_by(&access(RegistrationPolicy::Restricted, roles, NONE));
        let trainings = [Entity, Upcoming, Programme, Done];
        let documents = [Agreements, Protocols, Certificates];
        let billing = [DownPayments, Invoices, CreditNotes, Payments];
        let admin_only = [Directory, ThirdParties, Information, KeyContacts];
        assert_eq!(seen(&[Role::Admin]), Landmark::ALL.to_vec());
        let t = seen(&[Role::TrainingManager]);
        for l in trainings.iter().chain(&documents).chain(&[Surveys, Carts, Orders, PurchaseOrders]) {
            assert!(t.contains(l), "training manager: {l:?}");
        }
        for l in billing.iter().chain(&admin_only) {
            assert!(!t.contains(l), "training manager: {l:?}");
        }
        let b = seen(&[Role::BillingManager]);
        for l in trainings.iter().chain(&documents).chain(&billing).chain(&[Orders, PurchaseOrders]) {
            assert!(b.contains(l), "billing manager: {l:?}");
        }
        for l in admin_only.iter().chain(&[Surveys, Carts]) {
            assert!(!b.contains(l), "billing manager: {l:?}");
        }
        // Nobody without a role (a participant, an open-mode registrant): his own, in Mes espaces.
        assert!(seen(&[]).is_empty());
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
