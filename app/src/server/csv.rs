//! CSV in and out, as French spreadsheets write and read it: the `csv` crate does the
//! quoting, `encoding_rs` the files saved in Windows-1252.

use crate::domain::directory::{parse_lines, ImportLine, RefusedLine};
use encoding_rs::{Encoding, WINDOWS_1252};

/// One record of a CSV text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// 1-based number of the line it starts on.
    pub line: usize,
    /// Its text as written (trimmed), for a report.
    pub text: String,
    /// Its fields, trimmed.
    pub fields: Vec<String>,
}

/// The text of a file's bytes: by its byte-order mark if it has one, else UTF-8 if it is
/// valid, else Windows-1252 (what French spreadsheets save as "CSV").
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// The delimiter of a text: `;` if its first non-empty line (the header, usually) has
/// one, else `,`.
fn sniff_delimiter(text: &str) -> u8 {
    match text.lines().find(|l| !l.trim().is_empty()) {
        Some(line) if line.contains(';') => b';',
        _ => b',',
    }
}

/// The records of a CSV text (a leading byte-order mark is dropped), without its blank
/// lines. Fields may be quoted, with the delimiter or line breaks inside.
pub fn read(text: &str) -> Vec<Record> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut found: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let start = reader.position().clone();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            // Only broken UTF-8 or an I/O error could stop it: neither happens on a &str.
            Ok(false) | Err(_) => break,
        }
        let fields: Vec<String> = record.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect();
        let at = record.position().cloned().unwrap_or(start);
        // The reader places a record after a blank line at that blank line: step over it.
        let (mut line, mut byte) = (at.line() as usize, at.byte() as usize);
        while let Some(b @ (b'\r' | b'\n')) = text.as_bytes().get(byte) {
            line += usize::from(*b == b'\n');
            byte += 1;
        }
        found.push((line, byte, fields));
    }
    let ends: Vec<usize> = found.iter().skip(1).map(|(_, byte, _)| *byte).chain([text.len()]).collect();
    found
        .into_iter()
        .zip(ends)
        .filter(|((_, _, fields), _)| fields.iter().any(|f| !f.is_empty()))
        .map(|((line, start, fields), end)| Record { line, text: text.get(start..end).unwrap_or_default().trim().to_string(), fields })
        .collect()
}

/// An imported list of collaborators: the people accepted and the lines refused.
pub fn read_directory(text: &str) -> (Vec<ImportLine>, Vec<RefusedLine>) {
    let records = read(text);
    parse_lines(records.iter().map(|r| (r.line, r.text.as_str(), r.fields.as_slice())))
}

/// A cell a spreadsheet would not take for a formula: text starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'` (OWASP, CSV injection).
pub fn neutral(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A CSV file for French spreadsheets: `;` between cells, one line per row, quotes where
/// needed. Cells are written as given: pass text from users through [`neutral`].
pub fn write<R, C>(rows: R) -> Vec<u8>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(row);
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        read(text).into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn reads_semicolons_commas_and_quotes() {
        assert_eq!(fields("a;b;c\n1;2;3\n"), vec![vec!["a", "b", "c"], vec!["1", "2", "3"]]);
        assert_eq!(fields("a,b,c\r\n1,2,3\r\n"), vec![vec!["a", "b", "c"], vec!["1", "2", "3"]]);
        // The header decides: commas inside a `;` file are plain text, and the other way round.
        assert_eq!(fields("p;n\nJean, dit Jo;Dupont\n")[1], vec!["Jean, dit Jo", "Dupont"]);
        assert_eq!(fields("p,n\n\"Jean; dit Jo\",Dupont\n")[1], vec!["Jean; dit Jo", "Dupont"]);
        assert_eq!(fields("p;n\n\"Jean; \"\"Jo\"\"\";Dupont\n")[1], vec!["Jean; \"Jo\"", "Dupont"]);
    }

    #[test]
    fn keeps_line_numbers_and_text_and_skips_blank_lines() {
        let records = read("\u{feff}Prénom;Nom\n\n  Marie ; Durand \n;\n\"Jean\nPierre\";Petit\nLéa;Roux");
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 3, 5, 7]);
        assert_eq!(records[0].fields, vec!["Prénom", "Nom"]);
        assert_eq!(records[1].text, "Marie ; Durand");
        assert_eq!(records[1].fields, vec!["Marie", "Durand"]);
        assert_eq!(records[2].fields, vec!["Jean\nPierre", "Petit"]);
        assert_eq!(records[3].text, "Léa;Roux");
    }

    #[test]
    fn decodes_utf8_bom_and_windows_1252() {
        assert_eq!(decode("Hélène;Ä".as_bytes()), "Hélène;Ä");
        assert_eq!(decode(b"\xEF\xBB\xBFH\xC3\xA9l\xC3\xA8ne"), "Hélène");
        // "Hélène;Dupré" as a French spreadsheet saves it.
        assert_eq!(decode(b"H\xE9l\xE8ne;Dupr\xE9\r\n"), "Hélène;Dupré\r\n");
        assert_eq!(fields(&decode(b"Pr\xE9nom;Nom\r\nH\xE9l\xE8ne;Dupr\xE9\r\n"))[1], vec!["Hélène", "Dupré"]);
        // UTF-16 with its mark, as "Unicode text" is saved.
        assert_eq!(decode(b"\xFF\xFEH\x00\xE9\x00"), "Hé");
    }

    #[test]
    fn imports_a_french_directory_with_a_report() {
        let csv = "\u{feff}Prénom;Nom;E-mail\nMarie;Durand;marie@cabinet.fr\n\"Jean, dit Jo\";Dupont;jean@cabinet.fr\n;Petit;lea@cabinet.fr\nPaul;Martin;paul@\nMarie;Durand;MARIE@cabinet.fr\nun;deux\n\n";
        let (ok, ko) = read_directory(csv);
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].person.first_name, "Jean, dit Jo");
        assert_eq!(ko.iter().map(|r| r.line).collect::<Vec<_>>(), vec![4, 5, 6, 7]);
        assert_eq!(ko[0].content, ";Petit;lea@cabinet.fr");
        assert!(ko[3].reason.contains("2 colonne"));
    }

    #[test]
    fn imports_commas_and_windows_1252() {
        let (ok, ko) = read_directory("Marie,Durand,marie@cabinet.fr\r\n");
        assert_eq!((ok.len(), ko.len()), (1, 0));
        let (ok, ko) = read_directory("\"Durand, Marie\",\"Le Gall\",marie@cabinet.fr\r\n");
        assert_eq!((ok[0].person.first_name.as_str(), ok[0].person.last_name.as_str(), ko.len()), ("Durand, Marie", "Le Gall", 0));
        let (ok, _) = read_directory(&decode(b"Pr\xE9nom;Nom;E-mail\r\nH\xE9l\xE8ne;Dupr\xE9;helene@cabinet.fr\r\n"));
        assert_eq!((ok[0].person.first_name.as_str(), ok[0].person.last_name.as_str()), ("Hélène", "Dupré"));
    }

    #[test]
    fn neutralises_formulas_on_export() {
        for bad in ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutral(bad), format!("'{bad}"));
        }
        assert_eq!(neutral("Cabinet Durand"), "Cabinet Durand");
        assert_eq!(neutral("FA-2026-000001"), "FA-2026-000001");
        let file = write([vec!["a;b".to_string(), "c\"d".into(), neutral("=HYPERLINK(\"x\")")], vec!["e".into(), String::new(), "f".into()]]);
        assert_eq!(String::from_utf8(file).unwrap(), "\"a;b\";\"c\"\"d\";\"'=HYPERLINK(\"\"x\"\")\"\ne;;f\n");
    }
}
