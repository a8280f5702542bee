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
pub mod knowledge;
pub mod orders;
pub mod obligations;
pub mod obligation_sharing;
pub mod privacy;
pub mod profile;
pub mod provider;
pub mod requests;
pub mod second_factor;
pub mod recovery;
pub mod spaces;
pub mod substitution;
pub mod support;
pub mod survey;
pub mod waitlist;
pub mod wizard;

/// Where a form sends the browser when its `next` is refused.
pub const DEFAULT_NEXT: &str = "/espaces";

/// A local path to go back to after a form: only a plain absolute path of this site
/// ("/…", not "//…"), without a backslash, a scheme or any control character (a tab or
/// a new line that the browser would drop turns "/\t/evil.example" into
/// "//evil.example"). Characters outside visible ASCII are percent-encoded, so the
/// result is always a valid `Location`; anything else gives [`DEFAULT_NEXT`]. Never
/// panics, whatever the input.
pub fn safe_next(next: &str) -> String {
    let refused = !next.starts_with('/')
        || next.starts_with("//")
        || next.contains('\\')
        || next.contains("://")
        || next.chars().any(char::is_control);
    if refused {
        return DEFAULT_NEXT.to_string();
    }
    let mut out = String::with_capacity(next.len());
    for c in next.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// A value made safe to put in a query string (`?next=…`): everything but unreserved
/// characters and "/" percent-encoded.
pub fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The log-in page, coming back to `next` (made safe) afterwards.
pub fn login_path(next: &str) -> String {
    format!("/connexion?next={}", query_value(&safe_next(next)))
}

#[cfg(test)]
mod tests {
    use super::{login_path, safe_next, DEFAULT_NEXT};

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next("/inscription/structure"), "/inscription/structure");
        assert_eq!(safe_next("/formations/3?session=2#x"), "/formations/3?session=2#x");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "\\/evil",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil",
            "/\u{7f}/evil",
            "/\u{85}/evil",
            "/a\u{0}",
            "",
            "evil.example",
            "javascript:alert(1)",
            " /espaces",
            "/redirect?to=https://evil.example",
        ] {
            assert_eq!(safe_next(bad), DEFAULT_NEXT, "{bad:?} accepted");
        }
    }

    #[test]
    fn what_is_kept_is_a_valid_location() {
        assert_eq!(safe_next("/catalogue?q=comptabilité générale"), "/catalogue?q=comptabilit%C3%A9%20g%C3%A9n%C3%A9rale");
        assert_eq!(login_path("/entreprise/1?a=b&c=d"), "/connexion?next=/entreprise/1%3Fa%3Db%26c%3Dd");
        assert_eq!(login_path("//evil"), "/connexion?next=/espaces");
    }

    /// Random byte strings (a fixed-seed generator, so a failure can be replayed): never a
    /// panic, and the answer is always a local path valid as a header value.
    #[test]
    fn random_bytes_never_escape_nor_panic() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next_byte = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        };
        let alphabet = b"/\\:.%\t\n\r aZ09?#@";
        for round in 0..20_000 {
            let len = (next_byte() % 12) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let b = next_byte();
                    // Mostly the characters that matter, sometimes any byte.
                    if round % 3 == 0 { b } else { alphabet[(b as usize) % alphabet.len()] }
                })
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            let out = safe_next(&text);
            assert!(out.starts_with('/') && !out.starts_with("//"), "{text:?} gave {out:?}");
            assert!(out.bytes().all(|b| b.is_ascii_graphic()), "{text:?} gave {out:?}");
            assert!(!out.contains('\\'), "{text:?} gave {out:?}");
            assert!(http::HeaderValue::from_str(&out).is_ok(), "{out:?}");
        }
    }
}
