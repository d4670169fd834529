//! Daylio backups are RFC 4180 CSV, read with the `csv` crate. This adapter adds what the import
//! needs on top: the line each row starts on, and refusing a quoted field that never closes
//! (the crate would take the rest of the file into it without a word).

use std::io::Read;

use csv::{ReaderBuilder, Terminator};

use super::ImportError;

/// Read after the caller's text. When a quoted field never closes it swallows this too, so the
/// last row read is this field alone exactly when every quote closed.
const END_MARK: &str = "\u{0}end of file";

/// Rows of fields, each with the line it started on (1-based). Blank lines are skipped.
pub fn rows(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let input = text.as_bytes().chain(&b"\n"[..]).chain(END_MARK.as_bytes());
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        // Only LF ends a row; the CR of a CRLF stays on the last field and is dropped below. A lone
        // CR is text, as a line count (the error locations) sees it.
        .terminator(Terminator::Any(b'\n'))
        .from_reader(input);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, csv::Position::line);
            ImportError::new(format!("line {line}"), "this row can't be read as CSV")
        })?;
        let (line, byte) = record.position().map_or((1, 0), |p| (p.line(), p.byte()));
        // A record's position is where the reader stood before it skipped any blank lines.
        let skipped = usize::try_from(byte)
            .ok()
            .and_then(|b| text.as_bytes().get(b..))
            .map_or(0, |rest| rest.iter().take_while(|b| **b == b'\n').count());
        let line = usize::try_from(line).unwrap_or(usize::MAX).saturating_add(skipped);
        let mut fields: Vec<String> = record.iter().map(str::to_owned).collect();
        if let Some(last) = fields.last_mut()
            && last.ends_with('\r')
        {
            last.pop();
        }
        out.push((line, fields));
    }
    match out.pop() {
        Some((_, last)) if last == [END_MARK] => {}
        Some((line, _)) => return Err(ImportError::new(format!("line {line}"), "a quoted field is never closed")),
        None => {}
    }
    // A CRLF blank line reaches here as one empty field.
    out.retain(|(_, fields)| !matches!(fields.as_slice(), [f] if f.is_empty()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_and_newlines() {
        let r = rows("a,b,c\r\n1,\"two, with \"\"quotes\"\"\",\"multi\nline\"\n\nx,,z").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0], (1, vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(r[1], (2, vec!["1".into(), "two, with \"quotes\"".into(), "multi\nline".into()]));
        assert_eq!(r[2], (5, vec!["x".into(), "".into(), "z".into()]));
        assert_eq!(rows("a,\"b\nc").unwrap_err().location, "line 1");
    }

    #[test]
    fn blank_lines_count_but_give_no_rows() {
        let r = rows("\n\nh\r\n\r\n\r\nx,\"y\r\nz\"\r\n\n").unwrap();
        assert_eq!(r, vec![(3, vec!["h".into()]), (6, vec!["x".into(), "y\r\nz".into()])]);
        assert_eq!(rows("").unwrap(), vec![]);
        assert_eq!(rows("\n\r\n").unwrap(), vec![]);
    }

    #[test]
    fn only_the_last_row_can_leave_a_quote_open() {
        let err = rows("h\n1,2\n\n3,\"never closed,\nstill\n").unwrap_err();
        assert_eq!((err.location.as_str(), err.message.as_str()), ("line 4", "a quoted field is never closed"));
        assert_eq!(rows("h\n\"closed \"\"twice\"\"\"").unwrap()[1].1, vec!["closed \"twice\"".to_owned()]);
        assert!(rows("h\n\"ends on an escaped quote\"\"").is_err());
        // A quote inside an unquoted field is just a character, as before.
        assert_eq!(rows("5\" tall,x").unwrap()[0].1, vec!["5\" tall".to_owned(), "x".to_owned()]);
        // The end mark in the file itself changes nothing.
        assert_eq!(rows("a\n\u{0}end of file\n").unwrap().len(), 2);
    }
}
