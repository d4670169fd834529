//! A small RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF), enough for Daylio's
//! backups and careful about hostile input: it never panics, and reports the line of an
//! unterminated quote.

use super::ImportError;

/// Rows of fields, each with the line it started on (1-based).
pub fn rows(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let mut out = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1usize;
    let mut row_line = 1usize;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => in_quotes = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                if !(row.len() == 1 && row[0].is_empty()) {
                    out.push((row_line, std::mem::take(&mut row)));
                } else {
                    row.clear();
                }
                line += 1;
                row_line = line;
            }
            c => field.push(c),
        }
    }
    if in_quotes {
        return Err(ImportError::new(format!("line {row_line}"), "a quoted field is never closed"));
    }
    if any && (!field.is_empty() || !row.is_empty()) {
        row.push(field);
        out.push((row_line, row));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_and_newlines() {
        let r = rows("a,b,c\r\n1,\"two, with \"\"quotes\"\"\",\"multi\nline\"\n\nx,,z").unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[1], (2, vec!["1".into(), "two, with \"quotes\"".into(), "multi\nline".into()]));
        assert_eq!(r[2], (5, vec!["x".into(), "".into(), "z".into()]));
        assert_eq!(rows("a,\"b\nc").unwrap_err().location, "line 1");
    }
}
