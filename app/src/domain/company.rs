//! The company space as shown to its members and administrators.

use super::account::{Phone, PostalCode};
use super::code::coded;
use super::form::{FieldErrors, Text};
use super::identity::parse_vat;
use super::page::Paged;
use super::registration::RegistrationLine;
use super::{Email, RegistrationPolicy, Role, Siret};
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
    /// Its administrators and billing managers must use a second factor.
    #[serde(default)]
    pub require_second_factor: bool,
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

/// The company's information once parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCompanyInfo {
    pub legal_name: Text,
    pub legal_form: Text,
    pub vat_number: Option<String>,
    pub address_line: Text,
    pub postal_code: PostalCode,
    pub city: Text,
    pub billing_email: Email,
    pub billing_address_line: Text,
    pub billing_postal_code: PostalCode,
    pub billing_city: Text,
}

impl CompanyInfoForm {
    /// Parses the form of a company whose SIRET is `siret` (the VAT number must match it).
    pub fn parse(&self, siret: Option<&Siret>) -> Result<ValidCompanyInfo, FieldErrors> {
        let mut e = FieldErrors::new();
        let legal_name = e.check("legal_name", Text::parse(&self.legal_name, "Saisissez la raison sociale."));
        let legal_form = e.check("legal_form", Text::parse(&self.legal_form, "Saisissez la forme juridique."));
        let vat_number = e.check("vat_number", parse_vat(&self.vat_number, siret));
        let address_line = e.check("address_line", Text::parse(&self.address_line, "Saisissez l'adresse du siège."));
        let postal_code = e.check("postal_code", PostalCode::parse(&self.postal_code));
        let city = e.check("city", Text::parse(&self.city, "Saisissez la ville."));
        let billing_email = e.check("billing_email", Email::parse(&self.billing_email));
        let billing_address_line =
            e.check("billing_address_line", Text::parse(&self.billing_address_line, "Saisissez l'adresse de facturation."));
        let billing_postal_code = e.check("billing_postal_code", PostalCode::parse(&self.billing_postal_code));
        let billing_city = e.check("billing_city", Text::parse(&self.billing_city, "Saisissez la ville de facturation."));
        let valid = (|| {
            Some(ValidCompanyInfo {
                legal_name: legal_name?,
                legal_form: legal_form?,
                vat_number: vat_number?,
                address_line: address_line?,
                postal_code: postal_code?,
                city: city?,
                billing_email: billing_email?,
                billing_address_line: billing_address_line?,
                billing_postal_code: billing_postal_code?,
                billing_city: billing_city?,
            })
        })();
        e.finish(valid)
    }
}

/// The information as stored (and written in the audit log).
impl From<ValidCompanyInfo> for CompanyInfoForm {
    fn from(v: ValidCompanyInfo) -> Self {
        Self {
            legal_name: v.legal_name.into(),
            legal_form: v.legal_form.into(),
            vat_number: v.vat_number.unwrap_or_default(),
            address_line: v.address_line.into(),
            postal_code: v.postal_code.into_string(),
            city: v.city.into(),
            billing_email: v.billing_email.to_string(),
            billing_address_line: v.billing_address_line.into(),
            billing_postal_code: v.billing_postal_code.into_string(),
            billing_city: v.billing_city.into(),
        }
    }
}

/// A new establishment, as typed in MES ETABLISSEMENTS.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EstablishmentForm {
    pub name: String,
    pub siret: String,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub billing_email: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidEstablishment {
    pub name: Text,
    pub siret: Siret,
    pub address_line: Text,
    pub postal_code: PostalCode,
    pub city: Text,
    pub billing_email: Email,
}

impl EstablishmentForm {
    pub fn parse(&self) -> Result<ValidEstablishment, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", Text::parse(&self.name, "Saisissez le nom de l'établissement."));
        let siret = e.check("siret", Siret::parse(&self.siret));
        let address_line = e.check("address_line", Text::parse(&self.address_line, "Saisissez l'adresse."));
        let postal_code = e.check("postal_code", PostalCode::parse(&self.postal_code));
        let city = e.check("city", Text::parse(&self.city, "Saisissez la ville."));
        let billing_email = e.check("billing_email", Email::parse(&self.billing_email));
        let valid = (|| {
            Some(ValidEstablishment {
                name: name?,
                siret: siret?,
                address_line: address_line?,
                postal_code: postal_code?,
                city: city?,
                billing_email: billing_email?,
            })
        })();
        e.finish(valid)
    }
}

/// A key contact as chosen: a person of the directory (by address), and a phone
/// number to reach him (optional). Its kind comes with the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub email: String,
    pub phone: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidContact {
    pub email: Email,
    pub phone: Option<Phone>,
}

impl ContactForm {
    /// The person must still be found in the company's directory (by the service).
    pub fn parse(&self) -> Result<ValidContact, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.check(
            "email",
            if self.email.trim().is_empty() { Err("Choisissez une personne de l'annuaire.") } else { Email::parse(&self.email) },
        );
        let phone = e.check("phone", Phone::parse_optional(&self.phone));
        let valid = (|| Some(ValidContact { email: email?, phone: phone? }))();
        e.finish(valid)
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
            "establishment.update" => "Établissement modifié",
            "establishment.remove" => "Établissement supprimé",
            "establishment.add" => "Nouvel établissement",
            "directory.import" => "Import de l'annuaire",
            "third_party.mode" => "Autorisation des tiers",
            "third_party.allow" => "Tiers autorisé",
            "third_party.disallow" => "Tiers retiré",
            "delegation.grant" => "Délégation de droits",
            "delegation.change" => "Délégation modifiée",
            "delegation.revoke" => "Délégation révoquée",
            "person.erased" => "Données personnelles supprimées",
            "obligation.share" => "Suivi des obligations partagé",
            "obligation.unshare" => "Suivi des obligations retiré",
            "registration.substitute" => "Remplacement d'un participant",
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

/// The kinds of key contacts ("Habilitation des interlocuteurs clés").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContactKind {
    Direction,
    Training,
    Billing,
}

coded!(serde_as_code ContactKind {
    Direction => "direction",
    Training => "formation",
    Billing => "facturation",
});

impl ContactKind {
    pub fn label(self) -> &'static str {
        match self {
            ContactKind::Direction => "Interlocuteur direction",
            ContactKind::Training => "Interlocuteur formation",
            ContactKind::Billing => "Interlocuteur facturation",
        }
    }
}

/// A key contact of a company: a person of its directory, or (chosen before contacts
/// were people of the directory) a name typed by hand, shown until replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyContact {
    pub kind: ContactKind,
    /// Empty: nobody chosen.
    pub name: String,
    pub email: String,
    pub phone: String,
    /// A person of the directory (else typed by hand, before the directory was used).
    pub in_directory: bool,
}

impl KeyContact {
    pub fn none(kind: ContactKind) -> Self {
        Self { kind, name: String::new(), email: String::new(), phone: String::new(), in_directory: false }
    }

    pub fn is_set(&self) -> bool {
        !self.name.is_empty() || !self.email.is_empty()
    }

    /// "Léa Petit (lea@durand.fr, 01 23 45 67 89)".
    pub fn describe(&self) -> String {
        let mut reach = vec![self.email.clone()];
        if !self.phone.is_empty() {
            reach.push(self.phone.clone());
        }
        format!("{} ({})", self.name, reach.join(", "))
    }
}

/// "Habilitation des interlocuteurs clés": the contacts, and the directory they are
/// chosen from (address, "first last").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyContacts {
    pub contacts: Vec<KeyContact>,
    pub directory: Vec<(String, String)>,
}

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
    /// One page of the registrations the filter keeps, the upcoming first.
    pub registrations: Paged<RegistrationLine>,
    /// How many registrations the company has, whatever the filter.
    pub registrations_total: u64,
    /// Everyone registered for the company (e-mail, name), by name: the filter's choices.
    pub participants: Vec<(String, String)>,
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

    fn info() -> CompanyInfoForm {
        CompanyInfoForm {
            legal_name: " Cabinet Durand ".into(),
            legal_form: "SARL".into(),
            vat_number: String::new(),
            address_line: "3 rue de la Paix".into(),
            postal_code: "75002".into(),
            city: "Paris".into(),
            billing_email: "Compta@Durand.fr".into(),
            billing_address_line: "3 rue de la Paix".into(),
            billing_postal_code: "75002".into(),
            billing_city: "Paris".into(),
        }
    }

    #[test]
    fn company_info_parses() {
        let siret = Siret::parse("12002701600019").unwrap();
        let v = info().parse(Some(&siret)).unwrap();
        assert_eq!((v.legal_name.as_str(), v.billing_email.as_str(), v.vat_number.as_deref()), ("Cabinet Durand", "compta@durand.fr", None));
        let stored = CompanyInfoForm::from(v);
        assert_eq!((stored.legal_name.as_str(), stored.vat_number.as_str()), ("Cabinet Durand", ""));
    }

    #[test]
    fn company_info_reports_every_field() {
        let siret = Siret::parse("12002701600019").unwrap();
        let cases: [crate::domain::form::Spoiled<CompanyInfoForm>; 10] = [
            ("legal_name", |f| f.legal_name.clear(), "Saisissez la raison sociale."),
            ("legal_form", |f| f.legal_form = " ".into(), "Saisissez la forme juridique."),
            ("vat_number", |f| f.vat_number = "DE1".into(), "Numéro de TVA invalide (format : FR + 2 chiffres + SIREN, ex. FR40303265045)."),
            ("address_line", |f| f.address_line.clear(), "Saisissez l'adresse du siège."),
            ("postal_code", |f| f.postal_code = "7500".into(), "Le code postal compte 5 chiffres."),
            ("city", |f| f.city.clear(), "Saisissez la ville."),
            ("billing_email", |f| f.billing_email = "compta".into(), "Adresse e-mail invalide (exemple : prenom.nom@cabinet.fr)."),
            ("billing_address_line", |f| f.billing_address_line.clear(), "Saisissez l'adresse de facturation."),
            ("billing_postal_code", |f| f.billing_postal_code.clear(), "Le code postal compte 5 chiffres."),
            ("billing_city", |f| f.billing_city.clear(), "Saisissez la ville de facturation."),
        ];
        crate::domain::form::assert_fields_refused(info, &cases, |f| f.parse(Some(&siret)), 10);
    }

    fn establishment() -> EstablishmentForm {
        EstablishmentForm {
            name: "Agence de Lyon".into(),
            siret: "120 027 016 00019".into(),
            address_line: "1 place Bellecour".into(),
            postal_code: "69002".into(),
            city: "Lyon".into(),
            billing_email: "lyon@durand.fr".into(),
        }
    }

    #[test]
    fn establishments() {
        assert_eq!(establishment().parse().unwrap().siret.as_str(), "12002701600019");
        let cases: [crate::domain::form::Spoiled<EstablishmentForm>; 6] = [
            ("name", |f| f.name.clear(), "Saisissez le nom de l'établissement."),
            ("siret", |f| f.siret = "12002701600018".into(), "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez les 14 chiffres."),
            ("address_line", |f| f.address_line.clear(), "Saisissez l'adresse."),
            ("postal_code", |f| f.postal_code = "6900".into(), "Le code postal compte 5 chiffres."),
            ("city", |f| f.city.clear(), "Saisissez la ville."),
            ("billing_email", |f| f.billing_email.clear(), "Saisissez une adresse e-mail."),
        ];
        crate::domain::form::assert_fields_refused(establishment, &cases, |f| f.parse(), 6);
    }

    #[test]
    fn contacts() {
        let f = ContactForm { email: "Lea@durand.fr".into(), phone: String::new() };
        let v = f.parse().unwrap();
        assert_eq!((v.email.as_str(), v.phone), ("lea@durand.fr", None));
        let e = ContactForm { email: " ".into(), phone: "12".into() }.parse().unwrap_err();
        assert_eq!(e.get("email"), Some("Choisissez une personne de l'annuaire."));
        assert!(e.contains("phone"));
        assert!(ContactForm { email: "lea".into(), phone: String::new() }.parse().unwrap_err().contains("email"));
    }

    #[test]
    fn contact_kinds_round_trip() {
        for k in ContactKind::ALL {
            assert_eq!(ContactKind::from_code(k.code()), Some(*k));
            assert!(k.label().starts_with("Interlocuteur"));
        }
        assert_eq!(ContactKind::ALL.len(), 3);
        let c = KeyContact { name: "Léa Petit".into(), email: "lea@durand.fr".into(), phone: "0123456789".into(), ..KeyContact::none(ContactKind::Training) };
        assert_eq!(c.describe(), "Léa Petit (lea@durand.fr, 0123456789)");
        assert!(c.is_set() && !KeyContact::none(ContactKind::Billing).is_set());
    }
}
