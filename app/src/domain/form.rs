//! Parsing forms: every form the browser sends (strings, as typed) is parsed by its
//! domain type into a checked value, or refused with a French message per field.
//!
//! Single fields are parsed by functions returning `Result<T, FieldError>` (a French
//! message); a form gathers them in a [`FieldErrors`] so that all its mistakes are
//! reported at once, and builds its checked value only when there is none.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What a single-field parser says of a value it refuses: a French message.
pub type FieldError = &'static str;

/// The messages of a refused form: field name -> French message, ordered by field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a message on a field; the first message of a field is kept.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_string()).or_insert_with(|| message.into());
    }

    /// Records the error of a field's parser, if any, and gives back its value.
    pub fn check<T, E: Into<String>>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(m) => {
                self.add(field, m);
                None
            }
        }
    }

    /// Takes the messages of another form (a sub-form, a second check).
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, message) in other.0 {
            self.add(&field, message);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn contains(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The form's checked value, when no field was refused. `value` is built from the
    /// fields' `Option`s (each `None` came with a message, so it is only `None` when
    /// there are errors).
    pub fn finish<T>(self, value: Option<T>) -> Result<T, FieldErrors> {
        match value {
            Some(v) if self.is_empty() => Ok(v),
            _ => Err(self),
        }
    }

    /// The map sent to the page.
    pub fn into_map(self) -> BTreeMap<String, String> {
        self.0
    }
}

impl From<FieldErrors> for BTreeMap<String, String> {
    fn from(e: FieldErrors) -> Self {
        e.0
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for FieldErrors {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut e = Self::new();
        for (k, v) in iter {
            e.add(&k.into(), v);
        }
        e
    }
}

/// Both parts of a form parsed apart (a form and its password, say): both values, or
/// the messages of both.
pub fn both<A, B>(a: Result<A, FieldErrors>, b: Result<B, FieldErrors>) -> Result<(A, B), FieldErrors> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => {
            let mut e = a.err().unwrap_or_default();
            e.merge(b.err().unwrap_or_default());
            Err(e)
        }
    }
}

/// A trimmed, non-empty text typed in a form.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text(String);

impl Text {
    /// Trims `raw`; refuses it with `missing` when nothing is left.
    pub fn parse(raw: &str, missing: FieldError) -> Result<Self, FieldError> {
        let v = raw.trim();
        if v.is_empty() {
            Err(missing)
        } else {
            Ok(Self(v.to_string()))
        }
    }

    /// As [`Text::parse`], and at most 200 characters (names, address lines).
    pub fn parse_short(raw: &str, missing: FieldError) -> Result<Self, FieldError> {
        let t = Self::parse(raw, missing)?;
        if t.0.chars().count() > 200 {
            return Err("Ce champ est trop long (200 caractères au plus).");
        }
        Ok(t)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.0
    }
}

/// A whole number typed in a form, within `range`.
pub fn parse_int(raw: &str, range: std::ops::RangeInclusive<i64>, message: FieldError) -> Result<i64, FieldError> {
    raw.trim().parse::<i64>().ok().filter(|n| range.contains(n)).ok_or(message)
}

/// A number of seats of a session.
pub fn parse_capacity(raw: &str) -> Result<i64, FieldError> {
    parse_int(raw, 1..=500, "Saisissez un nombre de places entre 1 et 500.")
}

/// Test cases of a form: a field, how to spoil it, and the message it then gets.
#[cfg(test)]
pub(crate) type Spoiled<F> = (&'static str, fn(&mut F), &'static str);

/// Test helper: each case spoils one field of a valid form, which is then refused with
/// that field's message alone; spoiled all together, the form reports `all_errors`.
#[cfg(test)]
pub(crate) fn assert_fields_refused<F, T>(valid: fn() -> F, cases: &[Spoiled<F>], parse: impl Fn(&F) -> Result<T, FieldErrors>, all_errors: usize) {
    let mut all = valid();
    for (field, spoil, message) in cases {
        let mut f = valid();
        spoil(&mut f);
        spoil(&mut all);
        let e = parse(&f).err().unwrap_or_else(|| panic!("{field}: accepted"));
        assert_eq!((e.len(), e.get(field)), (1, Some(*message)), "{field}");
    }
    assert_eq!(parse(&all).err().map(|e| e.len()), Some(all_errors), "every field spoiled");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_message_of_a_field_is_kept() {
        let mut e = FieldErrors::new();
        e.add("email", "un");
        e.add("email", "deux");
        e.add("city", "trois");
        assert_eq!(e.get("email"), Some("un"));
        assert_eq!(e.iter().map(|(k, _)| k).collect::<Vec<_>>(), vec!["city", "email"]);
        assert_eq!(serde_json::to_value(&e).unwrap(), serde_json::json!({"city": "trois", "email": "un"}));
    }

    #[test]
    fn check_records_and_returns() {
        let mut e = FieldErrors::new();
        assert_eq!(e.check::<_, &str>("a", Ok(3)), Some(3));
        assert_eq!(e.check::<i32, _>("b", Err("non")), None);
        assert_eq!(e.len(), 1);
        assert_eq!(e.clone().finish(Some(1)), Err(e));
        assert_eq!(FieldErrors::new().finish(Some(1)), Ok(1));
    }

    #[test]
    fn both_parts_report_together() {
        let a: Result<i32, _> = Err(FieldErrors::from_iter([("x", "1")]));
        let b: Result<i32, _> = Err(FieldErrors::from_iter([("y", "2")]));
        assert_eq!(both(a, b).unwrap_err().len(), 2);
        assert_eq!(both::<_, i32>(Ok(1), Ok(2)), Ok((1, 2)));
    }

    #[test]
    fn texts_are_trimmed_and_required() {
        assert_eq!(Text::parse("  Paris ", "Saisissez la ville.").unwrap().as_str(), "Paris");
        assert_eq!(Text::parse("   ", "Saisissez la ville."), Err("Saisissez la ville."));
        assert!(Text::parse_short(&"x".repeat(201), "m").unwrap_err().contains("200"));
        assert_eq!(parse_capacity(" 20 "), Ok(20));
        assert!(parse_capacity("0").is_err() && parse_capacity("501").is_err() && parse_capacity("dix").is_err());
    }
}
