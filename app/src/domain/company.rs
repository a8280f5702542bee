//! The company space as shown to its members and administrators.

use super::registration::RegistrationLine;
use super::{RegistrationPolicy, Role};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyInfo {
    pub id: i64,
    pub legal_name: String,
    pub legal_form: String,
    pub siret: String,
    pub vat_number: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub policy: RegistrationPolicy,
    pub billing_email: String,
    pub billing_address_line: String,
    pub billing_postal_code: String,
    pub billing_city: String,
}

/// What an administrator may change (the SIRET identifies the company: not editable).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompanyInfoForm {
    pub legal_name: String,
    pub legal_form: String,
    pub vat_number: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub billing_email: String,
    pub billing_address_line: String,
    pub billing_postal_code: String,
    pub billing_city: String,
}

impl From<&CompanyInfo> for CompanyInfoForm {
    fn from(c: &CompanyInfo) -> Self {
        Self {
            legal_name: c.legal_name.clone(),
            legal_form: c.legal_form.clone(),
            vat_number: c.vat_number.clone(),
            address_line: c.address_line.clone(),
            postal_code: c.postal_code.clone(),
            city: c.city.clone(),
            billing_email: c.billing_email.clone(),
            billing_address_line: c.billing_address_line.clone(),
            billing_postal_code: c.billing_postal_code.clone(),
            billing_city: c.billing_city.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub has_account: bool,
    pub roles: Vec<Role>,
}

impl Person {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub before: String,
    pub after: String,
}

impl AuditEntry {
    pub fn action_label(&self) -> &'static str {
        match self.action.as_str() {
            "company.create" => "Création de l'espace entreprise",
            "company.update" => "Modification des informations",
            "company.policy" => "Droits d'inscription",
            "grant.add" => "Attribution d'un rôle",
            "grant.remove" => "Retrait d'un rôle",
            "contact.update" => "Interlocuteur clé",
            "establishment.add" => "Nouvel établissement",
            "directory.import" => "Import de l'annuaire",
            "third_party.mode" => "Autorisation des tiers",
            "third_party.allow" => "Tiers autorisé",
            "third_party.disallow" => "Tiers retiré",
            "delegation.grant" => "Délégation de droits",
            "delegation.change" => "Délégation modifiée",
            "delegation.revoke" => "Délégation révoquée",
            _ => "Autre modification",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Establishment {
    pub id: i64,
    pub name: String,
    pub siret: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub billing_email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyContact {
    pub kind: String,
    pub name: String,
    pub email: String,
    pub phone: String,
}

pub const CONTACT_KINDS: [(&str, &str); 3] =
    [("formation", "Interlocuteur formation"), ("facturation", "Interlocuteur facturation"), ("direction", "Direction")];

/// The home of a company space.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompanyHome {
    pub id: i64,
    pub name: String,
    pub roles: Vec<Role>,
    pub policy: RegistrationPolicy,
    /// Does the user hold a role that registers (and cancels) participants?
    pub may_register: bool,
    pub tabs: crate::domain::rights::Tabs,
    /// How a user without a role here acts for the company: "Par délégation à …".
    pub delegation: Option<String>,
    pub registrations: Vec<RegistrationLine>,
}

impl CompanyHome {
    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }
}

/// Who may choose a company as the entity invoiced for their orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThirdPartyMode {
    /// Nobody but the company itself.
    None,
    /// "Tous": any company.
    All,
    /// "Uniquement les tiers suivants": the listed companies (recommended).
    Listed,
}

impl ThirdPartyMode {
    pub const ALL: [ThirdPartyMode; 3] = [ThirdPartyMode::None, ThirdPartyMode::Listed, ThirdPartyMode::All];

    pub fn code(self) -> &'static str {
        match self {
            ThirdPartyMode::None => "none",
            ThirdPartyMode::All => "all",
            ThirdPartyMode::Listed => "listed",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ThirdPartyMode::None => "Aucune autre structure",
            ThirdPartyMode::All => "Tous : n'importe quelle société pourra me choisir comme entité à facturer",
            ThirdPartyMode::Listed => "Uniquement les tiers suivants (recommandé)",
        }
    }
}

/// May `ordering` name `billing` as the entity invoiced for its order?
pub fn may_bill(billing: i64, ordering: i64, mode: ThirdPartyMode, listed: &[i64]) -> bool {
    billing == ordering
        || match mode {
            ThirdPartyMode::None => false,
            ThirdPartyMode::All => true,
            ThirdPartyMode::Listed => listed.contains(&ordering),
        }
}

/// MES ETABLISSEMENTS: the establishments and the third-party authorisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingSettings {
    pub establishments: Vec<Establishment>,
    pub third_party_mode: ThirdPartyMode,
    /// Companies allowed in "listed" mode: (id, name, SIRET).
    pub allowed: Vec<(i64, String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_may_bill_whom() {
        assert!(may_bill(1, 1, ThirdPartyMode::None, &[]));
        assert!(!may_bill(1, 2, ThirdPartyMode::None, &[2]));
        assert!(may_bill(1, 2, ThirdPartyMode::All, &[]));
        assert!(may_bill(1, 2, ThirdPartyMode::Listed, &[2, 3]));
        assert!(!may_bill(1, 4, ThirdPartyMode::Listed, &[2, 3]));
        for m in ThirdPartyMode::ALL {
            assert_eq!(ThirdPartyMode::from_code(m.code()), Some(m));
        }
    }
}
