//! Closed sets of values stored (and sent in forms) as short text codes: each enum
//! names its codes once, and everything else goes through `code()` / `from_code()`.

use std::fmt;

/// A value with a stable text code (what the database stores).
pub trait Coded: Copy + 'static {
    fn code(self) -> &'static str;
}

/// A code that names no value of the set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCode {
    pub of: &'static str,
    pub code: String,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} code {:?}", self.of, self.code)
    }
}

impl std::error::Error for UnknownCode {}

/// `'a', 'b'`: the codes quoted for a SQL `IN (...)` list. The codes are fixed words
/// of the enums (letters and underscores), never user input, so quoting them is safe.
pub fn sql_in<T: Coded>(values: &[T]) -> String {
    values.iter().map(|v| format!("'{}'", v.code())).collect::<Vec<_>>().join(", ")
}

/// `'a'`: one code quoted for SQL (see [`sql_in`]).
pub fn sql_code<T: Coded>(value: T) -> String {
    sql_in(&[value])
}

/// Gives an enum its codes: `ALL`, `code()`, `from_code()`, `FromStr`, and (on the
/// server) the sqlx traits, so rows decode into it and queries bind it as its code.
/// With `serde_as_code`, it is also serialised as its code (what the JSON of the server
/// functions has always carried).
macro_rules! coded {
    (serde_as_code $ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $crate::domain::code::coded!($ty { $($variant => $code),+ });

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <String as serde::Deserialize>::deserialize(deserializer)?;
                code.parse().map_err(serde::de::Error::custom)
            }
        }
    };
    ($ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self {
                    $($ty::$variant => $code),+
                }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::domain::code::Coded for $ty {
            fn code(self) -> &'static str {
                $ty::code(self)
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::domain::code::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_code(s).ok_or_else(|| $crate::domain::code::UnknownCode { of: stringify!($ty), code: s.to_string() })
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $ty {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Any>>::encode(self.code(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $ty {
            fn decode(value: <sqlx::Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let code = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                Ok(code.parse::<$ty>()?)
            }
        }
    };
}

pub(crate) use coded;

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    /// The stored codes of the states are written once, in their enum's file: SQL binds
    /// them or quotes them through `sql_in`, pages and rules go through the enums.
    #[test]
    fn state_codes_are_written_only_in_their_enum() {
        let mut files = Vec::new();
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        assert!(files.len() > 20);
        use crate::domain::{invoice::Kind, registration::RegistrationStatus, session::SessionStatus, Role};
        let registration: Vec<&str> = RegistrationStatus::ALL.iter().map(|s| s.code()).collect();
        let session: Vec<&str> = SessionStatus::ALL.iter().map(|s| s.code()).collect();
        let invoice: Vec<&str> = Kind::ALL.iter().map(|k| k.code()).collect();
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        assert!(!registration.is_empty() && !session.is_empty() && !invoice.is_empty() && !roles.is_empty());
        let mut found = Vec::new();
        for (path, text) in &files {
            let own = |file: &str| path.replace('\\', "/").ends_with(file);
            let mut check = |codes: &[&str], quotes: &[char]| {
                for code in codes {
                    for q in quotes {
                        if text.contains(&format!("{q}{code}{q}")) {
                            found.push(format!("{path}: {q}{code}{q}"));
                        }
                    }
                }
            };
            if !own("domain/registration.rs") {
                check(&registration, &['"', '\'']);
            }
            // "open" is also a registration policy, "facture" a document in URLs: in SQL
            // (single quotes) none of them may appear.
            if !own("domain/session.rs") {
                check(&session, &['\'']);
            }
            if !own("domain/invoice.rs") {
                check(&invoice, &['\'']);
            }
            if !own("domain/rights.rs") {
                check(&roles, &['\'']);
            }
        }
        assert!(found.is_empty(), "state codes outside their enum: {found:#?}");
    }
}
