//! Server functions: public endpoints, one module per area (account, catalogue, company
//! and MON ENTREPRISE, orders, documents, invitation, "Mon compte" (profile), provider
//! back-office, password recovery, spaces, survey, wizard). Each one finds out who
//! calls (`auth::server::caller`), asks the one rights helper for what it needs, parses
//! its input into a domain type and hands plain values to a service in
//! `crate::server`. No SQL here.

pub mod account;
pub mod catalogue;
pub mod company;
#[cfg(feature = "ssr")]
pub mod documents;
pub mod invitation;
pub mod orders;
pub mod profile;
pub mod provider;
pub mod requests;
pub mod second_factor;
pub mod recovery;
pub mod spaces;
pub mod survey;
pub mod wizard;

/// A local path to go back to after a form (never another site).
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains("://");
    if ok {
        next.to_string()
    } else {
        "/espaces".to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_on_site() {
        assert_eq!(super::safe_next("/inscription/structure"), "/inscription/structure");
        assert_eq!(super::safe_next("//evil.example"), "/espaces");
        assert_eq!(super::safe_next("https://evil.example"), "/espaces");
        assert_eq!(super::safe_next("/\\evil"), "/espaces");
    }
}
