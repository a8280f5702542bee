//! `server obligations`: the operator reads and changes the rules without a release.
//!
//! ```text
//! server obligations                                  # list the rules
//! server obligations set cac year_hours 20            # 20 h a year
//! server obligations set ec cap_conference 40         # conferences: 40 h over the period
//! server obligations set durabilite cap_publication none
//! server obligations set cac deadline 03-31           # due 31 March of the next year
//! ```
//! Fields: `label`, `authority`, `note` (text); `period_years`, `retention_years`
//! (whole numbers); `period_hours`, `year_hours` and the caps `cap_formation`,
//! `cap_conference`, `cap_teaching`, `cap_publication`, `cap_technical` (hours by half
//! hours: "120", "19,5", "12 h 30"; a cap may be `none`); `deadline` (MM-DD).
//! The database is `DATABASE_URL`'s, as the server reads it.

use super::super::db::{self, now, Db};
use crate::domain::attendance::hours_fr;
use crate::domain::obligation::{parse_hours, ActivityKind, Rule};

/// A change of one field, parsed: the column(s) and the value(s) to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Text(&'static str, String),
    Number(&'static str, i64),
    /// A cap removed.
    Null(&'static str),
    Deadline(i64, i64),
}

fn hours(value: &str) -> Result<i64, String> {
    let v = value.trim();
    if v == "0" {
        return Ok(0);
    }
    parse_hours(v).map_err(|e| format!("{value:?}: {e}"))
}

/// Parses `set <field> <value>` (the profession apart).
pub fn parse_change(field: &str, value: &str) -> Result<Change, String> {
    let whole = |range: std::ops::RangeInclusive<i64>| {
        value.trim().parse::<i64>().ok().filter(|n| range.contains(n)).ok_or_else(|| format!("{field}: a whole number in {range:?}"))
    };
    let text = |column: &'static str| {
        let v = value.trim();
        if v.is_empty() || v.chars().count() > 200 {
            Err(format!("{field}: 1 to 200 characters"))
        } else {
            Ok(Change::Text(column, v.to_string()))
        }
    };
    match field {
        "label" => text("label"),
        "authority" => text("authority"),
        "note" => Ok(Change::Text("note", value.trim().chars().take(500).collect())),
        "period_years" => Ok(Change::Number("period_years", whole(1..=10)?)),
        "retention_years" => Ok(Change::Number("retention_years", whole(0..=50)?)),
        "period_hours" => Ok(Change::Number("period_minutes", hours(value)?)),
        "year_hours" => Ok(Change::Number("year_minutes", hours(value)?)),
        "deadline" => {
            let (m, d) = value.trim().split_once('-').ok_or("deadline: MM-DD, e.g. 03-31")?;
            let m = m.parse::<i64>().ok().filter(|m| (1..=12).contains(m)).ok_or("deadline: a month from 01 to 12")?;
            let d = d.parse::<i64>().ok().filter(|d| (1..=31).contains(d)).ok_or("deadline: a day from 01 to 31")?;
            Ok(Change::Deadline(m, d))
        }
        cap => {
            let kind = cap
                .strip_prefix("cap_")
                .and_then(|k| ActivityKind::ALL.iter().find(|a| a.cap_column() == format!("cap_{k}_minutes")))
                .ok_or_else(|| format!("unknown field {field:?}"))?;
            if matches!(value.trim(), "none" | "aucun") {
                Ok(Change::Null(kind.cap_column()))
            } else {
                Ok(Change::Number(kind.cap_column(), hours(value)?))
            }
        }
    }
}

/// Applies a change to the rule of `profession`; `false` if there is no such rule.
pub async fn apply(db: &Db, profession: &str, change: &Change) -> Result<bool, sqlx::Error> {
    // The column names come from the fixed set above, never from the command line.
    let result = match change {
        Change::Text(column, v) => {
            sqlx::query(&format!("UPDATE obligation_rules SET {column} = $1, updated_at = $2 WHERE profession = $3")).bind(v).bind(now()).bind(profession).execute(db).await?
        }
        Change::Number(column, v) => {
            sqlx::query(&format!("UPDATE obligation_rules SET {column} = $1, updated_at = $2 WHERE profession = $3")).bind(v).bind(now()).bind(profession).execute(db).await?
        }
        Change::Null(column) => {
            sqlx::query(&format!("UPDATE obligation_rules SET {column} = NULL, updated_at = $1 WHERE profession = $2")).bind(now()).bind(profession).execute(db).await?
        }
        Change::Deadline(m, d) => sqlx::query("UPDATE obligation_rules SET deadline_month = $1, deadline_day = $2, updated_at = $3 WHERE profession = $4")
            .bind(m)
            .bind(d)
            .bind(now())
            .bind(profession)
            .execute(db)
            .await?,
    };
    Ok(result.rows_affected() == 1)
}

/// One rule on one line, for the operator.
pub fn describe(r: &Rule) -> String {
    let caps: Vec<String> = ActivityKind::ALL
        .iter()
        .map(|k| format!("{}={}", k.cap_column().trim_end_matches("_minutes"), r.cap(*k).map(hours_fr).unwrap_or_else(|| "none".into())))
        .collect();
    format!(
        "{}: {} — {} over {} years, {} a year; {}; deadline {:02}-{:02} of the next year; proofs kept {} years; declared to {}",
        r.profession,
        r.label,
        hours_fr(r.period_minutes),
        r.period_years,
        hours_fr(r.year_minutes),
        caps.join(" "),
        r.deadline_month,
        r.deadline_day,
        r.retention_years,
        r.authority
    )
}

const USAGE: &str = "usage: server obligations [set <profession> <field> <value>]";

/// Runs the command on `DATABASE_URL`'s database; the process's exit code.
pub async fn run(args: &[String]) -> i32 {
    let url = std::env::var("DATABASE_URL").ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| "sqlite://espace-entreprise.db?mode=rwc".into());
    let db = match db::connect(&url, 1).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("database: {e}");
            return 1;
        }
    };
    match run_on(&db, args).await {
        Ok(out) => {
            println!("{out}");
            0
        }
        Err(e) => {
            eprintln!("{e}");
            2
        }
    }
}

/// The command on an open database: what it prints, or why it refused.
pub async fn run_on(db: &Db, args: &[String]) -> Result<String, String> {
    let list = || async { super::rules(db).await.map(|rules| rules.iter().map(describe).collect::<Vec<_>>().join("\n")).map_err(|e| e.to_string()) };
    match args {
        [] => list().await,
        [set, profession, field, value] if set == "set" => {
            let change = parse_change(field, value)?;
            if !apply(db, profession, &change).await.map_err(|e| e.to_string())? {
                return Err(format!("no rule for profession {profession:?} (see `server obligations`)"));
            }
            list().await
        }
        _ => Err(USAGE.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_parse() {
        assert_eq!(parse_change("year_hours", "19,5"), Ok(Change::Number("year_minutes", 1170)));
        assert_eq!(parse_change("period_hours", "120"), Ok(Change::Number("period_minutes", 7200)));
        assert_eq!(parse_change("cap_conference", "40"), Ok(Change::Number("cap_conference_minutes", 2400)));
        assert_eq!(parse_change("cap_teaching", "0"), Ok(Change::Number("cap_teaching_minutes", 0)));
        assert_eq!(parse_change("cap_publication", "none"), Ok(Change::Null("cap_publication_minutes")));
        assert_eq!(parse_change("deadline", "03-31"), Ok(Change::Deadline(3, 31)));
        assert_eq!(parse_change("period_years", "3"), Ok(Change::Number("period_years", 3)));
        assert_eq!(parse_change("label", " Commissaire aux comptes "), Ok(Change::Text("label", "Commissaire aux comptes".into())));
        for (field, value) in [
            ("year_hours", "-1"),
            ("period_years", "0"),
            ("deadline", "13-01"),
            ("deadline", "0331"),
            ("cap_sieste", "4"),
            ("cap_", "4"),
            ("profession", "x"),
            ("label", ""),
            ("updated_at; DROP TABLE users", "1"),
        ] {
            assert!(parse_change(field, value).is_err(), "{field} {value}");
        }
    }
}
