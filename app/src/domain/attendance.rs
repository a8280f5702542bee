//! Attendance per half day and the hours it gives, computed the same way everywhere.

use super::Date;
use serde::{Deserialize, Serialize};

/// The half days of a session: mornings and afternoons of every day from start to
/// end; a session of less than 7 hours is one half day.
pub fn half_days(start: Date, end: Date, hours: i64) -> Vec<HalfDay> {
    if hours < 7 {
        return vec![HalfDay { date: start, afternoon: false }];
    }
    let mut out = Vec::new();
    let mut d = start;
    while d.to_days() <= end.to_days() {
        out.push(HalfDay { date: d, afternoon: false });
        out.push(HalfDay { date: d, afternoon: true });
        d = d.add_days(1);
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HalfDay {
    pub date: Date,
    pub afternoon: bool,
}

impl HalfDay {
    /// "14/01 matin", "14/01 après-midi".
    pub fn label(self) -> String {
        format!("{:02}/{:02} {}", self.date.day, self.date.month, if self.afternoon { "après-midi" } else { "matin" })
    }
}

/// Minutes attended: the session's duration shared equally among its half days.
pub fn minutes_attended(duration_hours: i64, half_days: usize, present: usize) -> i64 {
    if half_days == 0 {
        return 0;
    }
    duration_hours * 60 * present.min(half_days) as i64 / half_days as i64
}

/// "10 h 30", "7 h".
pub fn hours_fr(minutes: i64) -> String {
    match minutes % 60 {
        0 => format!("{} h", minutes / 60),
        m => format!("{} h {m:02}", minutes / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn half_days_of_sessions() {
        assert_eq!(half_days(d("2027-01-14"), d("2027-01-14"), 3).len(), 1);
        let two = half_days(d("2027-01-14"), d("2027-01-15"), 14);
        assert_eq!(two.len(), 4);
        assert_eq!(two[0].label(), "14/01 matin");
        assert_eq!(two[3].label(), "15/01 après-midi");
    }

    #[test]
    fn hours_follow_presence() {
        assert_eq!(minutes_attended(14, 4, 4), 14 * 60);
        assert_eq!(minutes_attended(14, 4, 3), 630);
        assert_eq!(hours_fr(630), "10 h 30");
        assert_eq!(minutes_attended(7, 2, 0), 0);
        assert_eq!(minutes_attended(7, 2, 9), 7 * 60);
        assert_eq!(hours_fr(420), "7 h");
    }
}
