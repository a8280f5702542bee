//! Pagination of the lists that grow (catalogue, directory, registrations, orders,
//! documents, audit log, provider sessions): the page asked for, read from hostile input
//! (`?page=` of a URL, a server function's argument), and one page of a list with its
//! total. Each list has its fixed page size ([`per_page`]); the page shown is always
//! between 1 and the last page, whatever was asked.

use serde::{Deserialize, Serialize};

/// The fixed page size of each paginated list.
pub mod per_page {
    /// Trainings of the public catalogue (cards, two per row).
    pub const CATALOGUE: u32 = 20;
    /// People of a company's directory (a row of buttons each).
    pub const DIRECTORY: u32 = 25;
    /// A company's registrations (its home page).
    pub const REGISTRATIONS: u32 = 20;
    /// A company's validated orders.
    pub const ORDERS: u32 = 20;
    /// Each kind of document of a company (agreements, protocols, certificates).
    pub const DOCUMENTS: u32 = 20;
    /// Entries of a company's audit log.
    pub const AUDIT_LOG: u32 = 25;
    /// A provider's sessions.
    pub const PROVIDER_SESSIONS: u32 = 20;
}

/// The page asked for, from 1. Anything that is not a positive whole number (missing,
/// empty, `abc`, `0`, `-2`, `1.5`) asks for the first page; a number past the end (even
/// one too large for a `u32`) asks for the last, see [`PageRequest::window`].
///
/// Read leniently from a string or a number, so that a server function taking it
/// never fails on a hand-typed URL; written as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "u32")]
pub struct PageRequest {
    page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::FIRST
    }
}

impl From<PageRequest> for u32 {
    fn from(p: PageRequest) -> u32 {
        p.page
    }
}

impl PageRequest {
    pub const FIRST: PageRequest = PageRequest { page: 1 };

    /// Page `n` (0 is read as 1).
    pub fn new(n: u32) -> Self {
        Self { page: n.max(1) }
    }

    /// A `?page=` value as typed: digits only (surrounding blanks ignored); too many
    /// digits for a `u32` is a page past any end.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Self::FIRST;
        }
        Self::new(raw.parse::<u32>().unwrap_or(u32::MAX))
    }

    /// The page from an optional query value (`None`: the first).
    pub fn from_query(raw: Option<&str>) -> Self {
        raw.map(Self::parse).unwrap_or(Self::FIRST)
    }

    /// The number asked for (at least 1; may be past the end).
    pub fn number(self) -> u32 {
        self.page
    }

    /// Which rows to read out of `total`, `per_page` a page: the page asked for,
    /// brought back to the last one (the first when the list is empty).
    pub fn window(self, total: u64, per_page: u32) -> Window {
        let per_page = per_page.max(1);
        let last = last_page(total, per_page);
        let page = self.page.clamp(1, last);
        Window { page, per_page, total, offset: u64::from(page - 1) * u64::from(per_page) }
    }
}

/// The number of pages of `total` items, `per_page` a page: at least 1.
fn last_page(total: u64, per_page: u32) -> u32 {
    let pages = total.div_ceil(u64::from(per_page.max(1))).max(1);
    u32::try_from(pages).unwrap_or(u32::MAX)
}

/// The rows of one page: `LIMIT limit() OFFSET offset()` in SQL, or a slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    offset: u64,
}

impl Window {
    /// Rows to skip (for SQL's `OFFSET`).
    pub fn offset(&self) -> i64 {
        i64::try_from(self.offset).unwrap_or(i64::MAX)
    }

    /// Rows to take (for SQL's `LIMIT`).
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }

    /// The page made of `items` (the rows read for this window).
    pub fn page_of<T>(self, items: Vec<T>) -> Paged<T> {
        Paged { items, total: self.total, page: self.page, per_page: self.per_page }
    }

    /// This window's part of a whole list held in memory.
    pub fn slice<T>(self, all: impl IntoIterator<Item = T>) -> Paged<T> {
        let skip = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let items = all.into_iter().skip(skip).take(self.per_page as usize).collect();
        self.page_of(items)
    }
}

/// One page of a list: its items, the list's total, which page it is and the page
/// size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: u64,
    /// From 1; never past the last page.
    pub page: u32,
    pub per_page: u32,
}

impl<T> Paged<T> {
    /// A whole list in memory, cut to the page asked for.
    pub fn of_all(all: Vec<T>, asked: PageRequest, per_page: u32) -> Self {
        asked.window(all.len() as u64, per_page).slice(all)
    }

    /// The number of pages (1 for an empty list).
    pub fn pages(&self) -> u32 {
        last_page(self.total, self.per_page)
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The page's facts without its items (for the pagination links).
    pub fn info(&self) -> PageInfo {
        PageInfo { page: self.page, pages: self.pages(), total: self.total, per_page: self.per_page }
    }

    /// The same page with each item changed.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged { items: self.items.into_iter().map(f).collect(), total: self.total, page: self.page, per_page: self.per_page }
    }
}

/// Where a page stands in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageInfo {
    pub page: u32,
    pub pages: u32,
    pub total: u64,
    pub per_page: u32,
}

impl PageInfo {
    pub fn previous(&self) -> Option<u32> {
        (self.page > 1).then(|| self.page - 1)
    }

    pub fn next(&self) -> Option<u32> {
        (self.page < self.pages).then(|| self.page + 1)
    }

    /// Positions of the items shown, from 1: "21–40" of the total.
    pub fn range(&self) -> (u64, u64) {
        if self.total == 0 {
            return (0, 0);
        }
        let first = u64::from(self.page - 1) * u64::from(self.per_page) + 1;
        (first, (first + u64::from(self.per_page) - 1).min(self.total))
    }

    /// The page numbers to offer as links: the first, the last, and two on each side of
    /// the current one; `None` where numbers are left out ("…").
    pub fn numbers(&self) -> Vec<Option<u32>> {
        let mut out = Vec::new();
        let mut last_shown = 0;
        for n in 1..=self.pages {
            let near = n.abs_diff(self.page) <= 2;
            if n == 1 || n == self.pages || near {
                if n > last_shown + 1 {
                    out.push(None);
                }
                out.push(Some(n));
                last_shown = n;
            } else if n < self.page {
                continue;
            } else {
                // Past the current page's neighbours: jump to the last page.
                if self.pages > n {
                    out.push(None);
                    out.push(Some(self.pages));
                }
                break;
            }
        }
        out
    }
}

/// "1 formation", "12 formations", "0 formation" (French: zero takes the singular).
pub fn count_fr(total: u64, one: &str, many: &str) -> String {
    format!("{total} {}", if total > 1 { many } else { one })
}

/// A URL's query string (without its `?`) of these pairs, each percent-encoded
/// (application/x-www-form-urlencoded, as a form's GET sends them).
pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl<'de> Deserialize<'de> for PageRequest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Lenient)
    }
}

/// Reads a [`PageRequest`] from whatever it is given.
struct Lenient;

impl<'de> serde::de::Visitor<'de> for Lenient {
    type Value = PageRequest;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a page number")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PageRequest, E> {
        Ok(PageRequest::parse(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PageRequest, E> {
        Ok(PageRequest::new(u32::try_from(v).unwrap_or(u32::MAX)))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PageRequest, E> {
        Ok(u64::try_from(v).map(|v| PageRequest::new(u32::try_from(v).unwrap_or(u32::MAX))).unwrap_or(PageRequest::FIRST))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<PageRequest, E> {
        Ok(PageRequest::FIRST)
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<PageRequest, E> {
        Ok(PageRequest::FIRST)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<PageRequest, E> {
        Ok(PageRequest::FIRST)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<PageRequest, E> {
        Ok(PageRequest::FIRST)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<PageRequest, D::Error> {
        d.deserialize_any(Lenient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_input_asks_for_a_page_within_bounds() {
        for raw in ["", "  ", "abc", "0", "00", "-1", "-0", "1.5", "1e3", "+2", "2 3", "１", "0x10"] {
            assert_eq!(PageRequest::parse(raw), PageRequest::FIRST, "{raw:?}");
        }
        assert_eq!(PageRequest::parse(" 7 ").number(), 7);
        assert_eq!(PageRequest::parse("007").number(), 7);
        assert_eq!(PageRequest::parse("4294967295").number(), u32::MAX);
        assert_eq!(PageRequest::parse("99999999999999999999999999").number(), u32::MAX, "too large: past any end");
        assert_eq!(PageRequest::from_query(None), PageRequest::FIRST);
        assert_eq!(PageRequest::new(0), PageRequest::FIRST);
    }

    #[test]
    fn the_window_stays_between_the_first_and_the_last_page() {
        // 45 items, 20 a page: pages of 20, 20, 5.
        let w = PageRequest::new(1).window(45, 20);
        assert_eq!((w.page, w.offset(), w.limit()), (1, 0, 20));
        let w = PageRequest::new(3).window(45, 20);
        assert_eq!((w.page, w.offset()), (3, 40));
        for past in [4, 99, u32::MAX] {
            let w = PageRequest::new(past).window(45, 20);
            assert_eq!((w.page, w.offset()), (3, 40), "page {past}");
        }
        // Exactly two pages.
        assert_eq!(PageRequest::new(3).window(40, 20).page, 2);
        // Empty list: page 1, nothing skipped.
        let w = PageRequest::new(5).window(0, 20);
        assert_eq!((w.page, w.offset()), (1, 0));
        // A page size of 0 is read as 1.
        assert_eq!(PageRequest::new(2).window(3, 0).offset(), 1);
    }

    #[test]
    fn pages_of_a_list_in_memory_cover_it_once() {
        let all: Vec<u32> = (1..=45).collect();
        let mut seen = Vec::new();
        for n in 1..=3 {
            let p = Paged::of_all(all.clone(), PageRequest::new(n), 20);
            assert_eq!((p.total, p.page, p.pages()), (45, n, 3));
            seen.extend(p.items);
        }
        assert_eq!(seen, all);
        let last = Paged::of_all(all.clone(), PageRequest::new(1000), 20);
        assert_eq!((last.page, last.items.len()), (3, 5));
        let empty = Paged::of_all(Vec::<u32>::new(), PageRequest::new(2), 20);
        assert_eq!((empty.page, empty.pages(), empty.items.len(), empty.is_empty()), (1, 1, 0, true));
        assert_eq!(last.map(|n| n * 2).items, vec![82, 84, 86, 88, 90]);
    }

    #[test]
    fn info_says_where_the_page_stands() {
        let info = |page, total| Paged { items: Vec::<()>::new(), total, page, per_page: 20 }.info();
        let first = info(1, 45);
        assert_eq!((first.previous(), first.next(), first.range()), (None, Some(2), (1, 20)));
        let last = info(3, 45);
        assert_eq!((last.previous(), last.next(), last.range()), (Some(2), None, (41, 45)));
        assert_eq!(info(1, 0).range(), (0, 0));
        assert_eq!(info(1, 0).pages, 1);
    }

    #[test]
    fn page_numbers_leave_out_the_far_ones() {
        let numbers = |page, pages: u32| PageInfo { page, pages, total: u64::from(pages) * 10, per_page: 10 }.numbers();
        let s = |v: Vec<Option<u32>>| v.iter().map(|n| n.map(|n| n.to_string()).unwrap_or("…".into())).collect::<Vec<_>>().join(" ");
        assert_eq!(s(numbers(1, 1)), "1");
        assert_eq!(s(numbers(1, 5)), "1 2 3 … 5");
        assert_eq!(s(numbers(3, 5)), "1 2 3 4 5");
        assert_eq!(s(numbers(1, 4)), "1 2 3 4");
        assert_eq!(s(numbers(10, 20)), "1 … 8 9 10 11 12 … 20");
        assert_eq!(s(numbers(20, 20)), "1 … 18 19 20");
        assert_eq!(s(numbers(4, 7)), "1 2 3 4 5 6 7");
    }

    #[test]
    fn counts_and_query_strings_in_french_urls() {
        assert_eq!(count_fr(0, "formation", "formations"), "0 formation");
        assert_eq!(count_fr(1, "formation", "formations"), "1 formation");
        assert_eq!(count_fr(45, "formation", "formations"), "45 formations");
        let pairs = [("page".to_string(), "2".to_string()), ("q".to_string(), "loi de finances & NEP".to_string()), ("ville".to_string(), "Évry".to_string())];
        assert_eq!(query_string(&pairs), "page=2&q=loi+de+finances+%26+NEP&ville=%C3%89vry");
    }

    #[test]
    fn read_leniently_from_a_query_string_or_json() {
        let json = |s: &str| serde_json::from_str::<PageRequest>(s).unwrap().number();
        assert_eq!(json("3"), 3);
        assert_eq!(json("\"3\""), 3);
        assert_eq!(json("\"abc\""), 1);
        assert_eq!(json("0"), 1);
        assert_eq!(json("-4"), 1);
        assert_eq!(json("2.5"), 1);
        assert_eq!(json("null"), 1);
        assert_eq!(json("5000000000"), u32::MAX);
        assert_eq!(serde_json::to_string(&PageRequest::new(4)).unwrap(), "4");
    }
}
