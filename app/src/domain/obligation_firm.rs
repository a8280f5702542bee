//! The firm's reading of a collaborator's obligation ([`super::obligation::Standing`]):
//! done, on pace, or behind — and by how much.
//!
//! **Behind** means behind a steady pace: by day d of year Y, a person should have
//! counted d/365 (or /366) of the annual minimum in Y, and, over the period, the years
//! of it already over plus that fraction of Y, of the period's hours. He is behind by
//! the larger shortfall against those two marks, rounded down to the minute. A year
//! that is over has no pace left: what is missing is missing.

use super::obligation::{Rule, Standing};
use super::Date;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pace {
    /// The year's minimum and the period's hours are reached.
    Done,
    /// Hours still to do (minutes), but not behind the pace.
    OnTrack { missing: i64 },
    /// Behind the pace by `behind` minutes; `missing` still to do by 31 December.
    Behind { behind: i64, missing: i64 },
}

impl Pace {
    pub fn is_behind(self) -> bool {
        matches!(self, Pace::Behind { .. })
    }

    /// "À jour", "Dans les temps", "En retard de 12 h 30".
    pub fn label(self) -> String {
        use super::attendance::hours_fr;
        match self {
            Pace::Done => "À jour".into(),
            Pace::OnTrack { .. } => "Dans les temps".into(),
            Pace::Behind { behind, .. } => format!("En retard de {}", hours_fr(behind)),
        }
    }

    /// The code in the CSV export: "a_jour", "dans_les_temps", "en_retard".
    pub fn code(self) -> &'static str {
        match self {
            Pace::Done => "a_jour",
            Pace::OnTrack { .. } => "dans_les_temps",
            Pace::Behind { .. } => "en_retard",
        }
    }

    pub fn missing(self) -> i64 {
        match self {
            Pace::Done => 0,
            Pace::OnTrack { missing } | Pace::Behind { missing, .. } => missing,
        }
    }
}

/// One obligation of one collaborator, as the firm sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmRow {
    pub name: String,
    pub email: String,
    /// The profession's code ("cac") and label ("Commissaire aux comptes").
    pub profession_code: String,
    pub profession: String,
    pub year_counted: i64,
    pub period_counted: i64,
    /// "2024-2026".
    pub period: String,
    pub pace: Pace,
}

/// The firm's list: who shares, and one row per person and rule, behind first (most
/// behind first), then by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmView {
    /// The professions of the rules, for the filter: (code, label).
    pub professions: Vec<(String, String)>,
    /// The profession filtered on ("" for all), as understood: an unknown code is "".
    pub filter: String,
    /// How many collaborators share with the firm (whatever the filter).
    pub people: usize,
    pub rows: Vec<FirmRow>,
}

impl FirmView {
    /// Orders the rows: behind first, the most behind first, then by name.
    pub fn sort(&mut self) {
        self.rows.sort_by(|a, b| {
            let key = |r: &FirmRow| match r.pace {
                Pace::Behind { behind, .. } => (0, -behind),
                Pace::OnTrack { .. } => (1, 0),
                Pace::Done => (2, 0),
            };
            key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name)).then_with(|| a.email.cmp(&b.email))
        });
    }

    /// The CSV export's rows, header first; hours as "12,5" (French decimal comma).
    pub fn csv_rows(&self, year: i32) -> Vec<Vec<String>> {
        let hours = |m: i64| {
            let (h, rest) = (m / 60, m % 60);
            if rest == 0 { h.to_string() } else { format!("{h},{:02}", rest * 100 / 60).trim_end_matches('0').to_string() }
        };
        let mut out = vec![vec![
            "Nom".to_string(),
            "Adresse".into(),
            "Profession".into(),
            format!("Heures {year}"),
            "Période".into(),
            "Heures sur la période".into(),
            "Reste à faire (h)".into(),
            "En retard de (h)".into(),
            "Situation".into(),
        ]];
        for r in &self.rows {
            let behind = match r.pace {
                Pace::Behind { behind, .. } => behind,
                _ => 0,
            };
            out.push(vec![
                r.name.clone(),
                r.email.clone(),
                r.profession.clone(),
                hours(r.year_counted),
                r.period.clone(),
                hours(r.period_counted),
                hours(r.pace.missing()),
                hours(behind),
                r.pace.code().to_string(),
            ]);
        }
        out
    }
}

fn days_in_year(year: i32) -> i64 {
    Date { year: year + 1, month: 1, day: 1 }.to_days() - Date { year, month: 1, day: 1 }.to_days()
}

/// Where the standing of `s.year` leaves the person on `today`.
pub fn pace(rule: &Rule, s: &Standing, today: Date) -> Pace {
    if s.missing == 0 {
        return Pace::Done;
    }
    let behind = if today.year > s.year {
        s.missing
    } else if today.year < s.year {
        0
    } else {
        let days = days_in_year(s.year);
        let elapsed = today.to_days() - Date { year: s.year, month: 1, day: 1 }.to_days() + 1;
        let year_mark = rule.year_minutes * elapsed / days;
        let years_before = i64::from(s.year - s.first_year);
        let period_years = i64::from(rule.period_years.max(1));
        let period_mark = rule.period_minutes * (years_before * days + elapsed) / (period_years * days);
        (year_mark - s.year_counted).max(period_mark - s.period_counted).max(0)
    };
    if behind > 0 {
        Pace::Behind { behind, missing: s.missing }
    } else {
        Pace::OnTrack { missing: s.missing }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::obligation::{standing, Activity, ActivityKind};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn cac() -> Rule {
        Rule {
            profession: "cac".into(),
            label: "Commissaire aux comptes".into(),
            authority: "compagnie régionale".into(),
            period_years: 3,
            period_minutes: 120 * 60,
            year_minutes: 20 * 60,
            caps: [None, Some(40 * 60), Some(40 * 60), Some(30 * 60), Some(32 * 60)],
            deadline_month: 3,
            deadline_day: 31,
            retention_years: 6,
        }
    }

    fn training(date: &str, hours: i64) -> Activity {
        Activity { kind: ActivityKind::Formation, date: d(date), minutes: hours * 60 }
    }

    #[test]
    fn nothing_done_on_the_first_of_january_is_not_yet_behind() {
        let r = cac();
        let today = d("2026-01-01");
        let s = standing(&r, &[], 2026, today);
        // Day 1 of 365: 20 h × 1/365 = 3 min of pace for the year; the period has
        // had two years already, with nothing: far behind on it.
        let p = pace(&r, &s, today);
        assert_eq!(p, Pace::Behind { behind: 120 * 60 * (2 * 365 + 1) / (3 * 365), missing: 120 * 60 });
        // With the two earlier years done (40 h each), only the day's share is missing:
        // 3 minutes of the year's pace, 6 of the period's.
        let acts = [training("2024-05-01", 40), training("2025-05-01", 40)];
        let s = standing(&r, &acts, 2026, today);
        assert_eq!(pace(&r, &s, today), Pace::Behind { behind: 6, missing: 40 * 60 });
    }

    #[test]
    fn on_pace_mid_year_and_behind_later() {
        let r = cac();
        let acts = [training("2024-05-01", 40), training("2025-05-01", 40), training("2026-03-01", 14)];
        // 1 July 2026 is day 182: the year's mark is 20 h × 182/365 = 9 h 58, the
        // period's 80 h + 40 h × 182/365 = 99 h 56; 94 h done: behind by 5 h 56 on the period.
        let today = d("2026-07-01");
        let s = standing(&r, &acts, 2026, today);
        let p = pace(&r, &s, today);
        assert_eq!(p, Pace::Behind { behind: 120 * 60 * (2 * 365 + 182) / (3 * 365) - 94 * 60, missing: 26 * 60 });
        assert!(p.is_behind());
        // Ahead on the period (50 h a year before): only the year counts, and 14 h by
        // July is ahead of its pace.
        let acts = [training("2024-05-01", 50), training("2025-05-01", 50), training("2026-03-01", 14)];
        let s = standing(&r, &acts, 2026, today);
        assert_eq!(pace(&r, &s, today), Pace::OnTrack { missing: 6 * 60 });
        assert_eq!(pace(&r, &s, today).label(), "Dans les temps");
    }

    #[test]
    fn a_year_over_keeps_what_is_missing() {
        let r = cac();
        // 19.5 h in 2026, looked at in January 2027: 30 minutes behind, for good.
        let acts = [training("2024-05-01", 50), training("2025-05-01", 50), Activity { kind: ActivityKind::Formation, date: d("2026-06-01"), minutes: 19 * 60 + 30 }];
        let today = d("2027-01-10");
        let s = standing(&r, &acts, 2026, today);
        let p = pace(&r, &s, today);
        assert_eq!(p, Pace::Behind { behind: 30, missing: 30 });
        assert_eq!(p.label(), "En retard de 0 h 30");
        assert_eq!(p.code(), "en_retard");
    }

    #[test]
    fn done_is_done() {
        let r = cac();
        let acts = [training("2024-05-01", 40), training("2025-05-01", 40), training("2026-02-01", 40)];
        let today = d("2026-02-02");
        let s = standing(&r, &acts, 2026, today);
        assert_eq!(pace(&r, &s, today), Pace::Done);
        assert_eq!(Pace::Done.label(), "À jour");
        assert_eq!(Pace::Done.missing(), 0);
    }

    #[test]
    fn leap_years_have_366_days() {
        assert_eq!(days_in_year(2028), 366);
        assert_eq!(days_in_year(2026), 365);
        assert_eq!(days_in_year(2100), 365);
    }
}
