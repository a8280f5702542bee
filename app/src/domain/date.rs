//! Calendar dates without time zones, formatted the same way on server and browser
//! (no locale or clock is consulted, so hydration never disagrees).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

const MONTHS: [&str; 12] = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
];
const WEEKDAYS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

impl Date {
    /// Parses "YYYY-MM-DD".
    pub fn parse(s: &str) -> Option<Self> {
        let mut it = s.trim().splitn(3, '-');
        let year: i32 = it.next()?.parse().ok()?;
        let month: u32 = it.next()?.parse().ok()?;
        let day: u32 = it.next()?.parse().ok()?;
        let d = Self { year, month, day };
        ((1..=12).contains(&month) && day >= 1 && day <= d.days_in_month()).then_some(d)
    }

    fn days_in_month(&self) -> u32 {
        match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            _ => 28,
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Self {
        let z = z + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    pub fn from_unix_seconds(secs: i64) -> Self {
        Self::from_days(secs.div_euclid(86_400))
    }

    pub fn add_days(self, n: i64) -> Self {
        Self::from_days(self.to_days() + n)
    }

    /// 0 = Monday.
    pub fn weekday(self) -> usize {
        (self.to_days() + 3).rem_euclid(7) as usize
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// "jeudi 14 janvier 2027"
    pub fn long_fr(self) -> String {
        format!("{} {} {} {}", WEEKDAYS[self.weekday()], self.day, MONTHS[self.month as usize - 1], self.year)
    }

    /// "14/01/2027"
    pub fn short_fr(self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// "janvier 2027"
    pub fn month_fr(self) -> String {
        format!("{} {}", MONTHS[self.month as usize - 1], self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// "du 14/01/2027 au 15/01/2027" or "le 14/01/2027".
pub fn period_fr(start: Date, end: Date) -> String {
    if start == end {
        format!("le {}", start.long_fr())
    } else {
        format!("du {} au {}", start.short_fr(), end.short_fr())
    }
}

/// Date and time in Paris ("28/11/2026 à 07h05") for an instant in unix seconds. The
/// EU rule is computed here, so server and browser print the same text.
pub fn paris_datetime(secs: i64) -> String {
    let year = Date::from_unix_seconds(secs).year;
    let last_sunday = |month: u32| {
        let last = Date { year, month, day: 31 };
        last.add_days(-((last.weekday() as i64 + 1) % 7))
    };
    // Summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC.
    let start = last_sunday(3).to_days() * 86_400 + 3_600;
    let end = last_sunday(10).to_days() * 86_400 + 3_600;
    let offset = if (start..end).contains(&secs) { 7_200 } else { 3_600 };
    let local = secs + offset;
    let day = Date::from_unix_seconds(local);
    let minutes = local.rem_euclid(86_400) / 60;
    format!("{} à {:02}h{:02}", day.short_fr(), minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days() {
        for days in [-1000, 0, 1, 59, 365, 10_957, 20_000, 21_000] {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
        assert_eq!(Date::from_days(0).iso(), "1970-01-01");
        assert_eq!(Date::parse("2026-11-28").unwrap().to_days(), 20_785);
    }

    #[test]
    fn formats_in_french() {
        let d = Date::parse("2027-01-14").unwrap();
        assert_eq!(d.long_fr(), "jeudi 14 janvier 2027");
        assert_eq!(d.short_fr(), "14/01/2027");
        assert_eq!(Date::parse("2026-11-28").unwrap().long_fr(), "samedi 28 novembre 2026");
        assert_eq!(period_fr(d, d.add_days(1)), "du 14/01/2027 au 15/01/2027");
    }

    #[test]
    fn paris_time_follows_summer_time() {
        // 2026-11-28 05:00 UTC is 06:00 in Paris (winter).
        assert_eq!(paris_datetime(Date::parse("2026-11-28").unwrap().to_days() * 86_400 + 5 * 3600), "28/11/2026 à 06h00");
        // 2026-07-14 12:00 UTC is 14:00 (summer).
        assert_eq!(paris_datetime(Date::parse("2026-07-14").unwrap().to_days() * 86_400 + 12 * 3600), "14/07/2026 à 14h00");
        // Summer time 2026 starts on Sunday 29 March at 01:00 UTC.
        let switch = Date::parse("2026-03-29").unwrap().to_days() * 86_400 + 3_600;
        assert_eq!(paris_datetime(switch - 60), "29/03/2026 à 01h59");
        assert_eq!(paris_datetime(switch), "29/03/2026 à 03h00");
    }

    #[test]
    fn refuses_impossible_dates() {
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("hier").is_none());
    }
}
