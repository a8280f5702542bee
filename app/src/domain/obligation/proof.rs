//! Proofs of the activities a person declares: what a file is, told by its bytes; its
//! size; a name safe for an archive and a header; and who may read it.

use super::super::form::FieldError;

/// The largest proof accepted: 5 Mo.
pub const MAX_PROOF_BYTES: usize = 5 * 1024 * 1024;

/// What a proof file is, told by its first bytes (never by its name or the type the
/// browser claims).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofType {
    Pdf,
    Png,
    Jpeg,
}

super::super::code::coded!(ProofType { Pdf => "application/pdf", Png => "image/png", Jpeg => "image/jpeg" });

impl ProofType {
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Png => "png",
            Self::Jpeg => "jpg",
        }
    }

    /// The MIME type it is served with.
    pub fn mime(self) -> &'static str {
        self.code()
    }
}

/// Checks a proof file: not empty, at most [`MAX_PROOF_BYTES`], a PDF or an image.
pub fn check_proof(bytes: &[u8]) -> Result<ProofType, FieldError> {
    if bytes.is_empty() {
        return Err("Le justificatif est vide.");
    }
    if bytes.len() > MAX_PROOF_BYTES {
        return Err("Le justificatif dépasse 5 Mo.");
    }
    ProofType::sniff(bytes).ok_or("Le justificatif doit être un fichier PDF, PNG ou JPEG.")
}

/// A file name safe to put in an archive and a header: letters, digits, `.`, `-`, `_`
/// only, at most 80 characters, with the extension of its real type.
pub fn safe_file_name(name: &str, ty: ProofType) -> String {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or("").rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let clean: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(80)
        .collect();
    let clean = clean.trim_matches('_');
    let stem = if clean.is_empty() { "justificatif" } else { clean };
    format!("{stem}.{}", ty.extension())
}

/// Who may download a person's proof: the person himself, and the administrators and
/// training managers of a firm he belongs to. `managed`: the companies where the caller
/// holds a role that manages registrations (`rights::allows(.., Need::Manage)`);
/// `member_of`: the companies the owner belongs to (its directory, its registrations).
/// The owner's consent to the firm view is not asked for proofs.
pub fn may_read_proof(caller_id: i64, owner_id: i64, managed: &[i64], member_of: &[i64]) -> bool {
    caller_id == owner_id || managed.iter().any(|c| member_of.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_are_told_by_their_bytes() {
        assert_eq!(check_proof(b"%PDF-1.7\n..."), Ok(ProofType::Pdf));
        assert_eq!(check_proof(b"\x89PNG\r\n\x1a\n\0\0"), Ok(ProofType::Png));
        assert_eq!(check_proof(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Ok(ProofType::Jpeg));
        assert!(check_proof(b"").is_err());
        assert!(check_proof(b"<html><script>alert(1)</script>").is_err());
        assert!(check_proof(b"MZ\x90\0 an executable named proof.pdf").is_err());
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_PROOF_BYTES + 1, b' ');
        assert_eq!(check_proof(&big), Err("Le justificatif dépasse 5 Mo."));
        big.truncate(MAX_PROOF_BYTES);
        assert!(check_proof(&big).is_ok());
        assert_eq!(safe_file_name("../../etc/attestation congrès.PDF", ProofType::Pdf), "attestation_congr_s.pdf");
        assert_eq!(safe_file_name("photo.exe", ProofType::Jpeg), "photo.jpg");
        assert_eq!(safe_file_name("\"\r\n.pdf", ProofType::Pdf), "justificatif.pdf");
    }

    #[test]
    fn proofs_reach_the_person_and_his_firms_managers_only() {
        assert!(may_read_proof(7, 7, &[], &[]));
        assert!(may_read_proof(1, 7, &[10, 11], &[11]), "a manager of one of his firms");
        assert!(!may_read_proof(1, 7, &[10], &[11]), "a manager of another firm");
        assert!(!may_read_proof(1, 7, &[], &[11]), "a stranger");
    }
}
