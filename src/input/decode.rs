//! Text encodings of input files: UTF-8, UTF-8 with BOM, and GB18030/GBK as Excel on a
//! Chinese Windows saves CSV. Decoding is strict: a byte sequence that is neither is an
//! error naming its line, never a silent U+FFFD.

use crate::error::Problem;

/// The `--encoding` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Encoding {
    #[default]
    Auto,
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(alias = "gb18030", alias = "gb2312")]
    Gbk,
}

/// Decodes a whole file's bytes into text; `file` names it in the error.
pub fn decode(bytes: &[u8], encoding: Encoding, file: &str) -> Result<String, Problem> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Problem::new(file, crate::tr!("msg-utf16")).line(1));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF");
    match (encoding, body) {
        (Encoding::Gbk, _) => decode_gb18030(bytes, file),
        (_, Some(body)) => decode_utf8(body, file),
        (Encoding::Utf8, None) => decode_utf8(bytes, file),
        (Encoding::Auto, None) => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_owned()),
            Err(_) => {
                // Never a guess: a file that is partly UTF-8 would come out of GB18030
                // garbled (接待群众 as 鎺ュ緟缇や紬) without a single error.
                if let Some(p) = partly_utf8(bytes, file) {
                    return Err(p);
                }
                decode_gb18030(bytes, file).map_err(|p| Problem {
                    message: crate::tr!("msg-neither-utf8-nor-gbk"),
                    ..p
                })
            }
        },
    }
}

/// As [`decode`], taking the bytes: UTF-8 (the usual case) becomes the text in place, so
/// a large file is not held twice while it is read.
pub fn decode_owned(mut bytes: Vec<u8>, encoding: Encoding, file: &str) -> Result<String, Problem> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    if encoding != Encoding::Gbk {
        bytes.drain(..bom);
        // Checked once: a file that is not UTF-8 comes back whole, BOM and all, for decode.
        match String::from_utf8(bytes) {
            Ok(text) => return Ok(text),
            Err(e) => {
                bytes = e.into_bytes();
                bytes.splice(..0, b"\xEF\xBB\xBF"[..bom].iter().copied());
            }
        }
    }
    decode(&bytes, encoding, file)
}

/// The lines of a file as byte slices with their offsets; a line ends at LF, CRLF, or a
/// lone CR (old Excel for Mac), as the CSV reader ends records.
pub fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start > bytes.len() {
            return None;
        }
        let rest = &bytes[start..];
        let (len, skip) = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            None => (rest.len(), 1),
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => (i, 2),
            Some(i) => (i, 1),
        };
        let at = start;
        start += len + skip;
        Some((at, &rest[..len]))
    })
}

/// The 1-based line holding byte `at`.
pub fn line_at(bytes: &[u8], at: usize) -> u64 {
    lines(bytes)
        .take_while(|(start, _)| *start <= at)
        .count()
        .max(1) as u64
}

/// A file that is not valid UTF-8 but is partly UTF-8: a character cut short, or lines of
/// UTF-8 and GBK pasted together. Names the first line that is not UTF-8.
fn partly_utf8(bytes: &[u8], file: &str) -> Option<Problem> {
    let mut utf8_line = None;
    let mut first_bad: Option<(usize, bool)> = None;
    for (n, (start, line)) in lines(bytes).enumerate() {
        match std::str::from_utf8(line) {
            Ok(text) => {
                if utf8_line.is_none() && reads_as_utf8(text) {
                    utf8_line = Some(n + 1);
                }
            }
            Err(e) if first_bad.is_none() => {
                let before = std::str::from_utf8(&line[..e.valid_up_to()]).unwrap_or_default();
                first_bad = Some((start + e.valid_up_to(), before.chars().any(wide)));
            }
            Err(_) => {}
        }
    }
    let (at, cut) = first_bad?;
    let message = match (utf8_line, cut) {
        (_, true) => crate::tr!("msg-utf8-cut-short"),
        (Some(u), false) => crate::tr!("msg-mixed-encodings", line = u),
        (None, false) => return None,
    };
    Some(bad_bytes(file, bytes, at, &message))
}

/// A character of three or more UTF-8 bytes: Chinese text in UTF-8 is made of these, and
/// GBK bytes rarely happen to form one.
fn wide(c: char) -> bool {
    c as u32 >= 0x800
}

/// Text that is UTF-8 by intent, not by accident: GBK bytes that happen to be valid UTF-8
/// decode to two-byte letters (Latin, Greek, Cyrillic, Hebrew...), never to Chinese.
fn reads_as_utf8(text: &str) -> bool {
    text.chars().any(wide) && text.chars().all(|c| c.is_ascii() || wide(c) || c == '·')
}

fn decode_utf8(bytes: &[u8], file: &str) -> Result<String, Problem> {
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
        let at = e.valid_up_to();
        bad_bytes(file, bytes, at, &crate::tr!("msg-not-utf8"))
    })
}

fn decode_gb18030(bytes: &[u8], file: &str) -> Result<String, Problem> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut out = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, _) => {
            let at = read.saturating_sub(bad as usize);
            Err(bad_bytes(file, bytes, at, &crate::tr!("msg-not-gbk")))
        }
        encoding_rs::DecoderResult::OutputFull => {
            Err(Problem::new(file, crate::tr!("msg-too-large-to-decode")))
        }
    }
}

fn bad_bytes(file: &str, bytes: &[u8], at: usize, message: &str) -> Problem {
    let line = line_at(bytes, at);
    let shown: Vec<String> = bytes[at..]
        .iter()
        .take(4)
        .map(|b| format!("{b:02X}"))
        .collect();
    Problem::new(file, message)
        .line(line)
        .value(crate::tr!("msg-bytes", bytes = shown.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("日期\n".as_bytes(), Encoding::Auto, "f").as_deref(),
            Ok("日期\n")
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), "日期\n".as_bytes()].concat();
        assert_eq!(decode(&bom, Encoding::Auto, "f").as_deref(), Ok("日期\n"));
    }

    #[test]
    fn gbk_is_detected() {
        let (gbk, _, _) = encoding_rs::GBK.encode("日期,代表\n2025/3/1,张三\n");
        assert_eq!(
            decode(&gbk, Encoding::Auto, "f").as_deref(),
            Ok("日期,代表\n2025/3/1,张三\n")
        );
        assert_eq!(
            decode(&gbk, Encoding::Gbk, "f").as_deref(),
            Ok("日期,代表\n2025/3/1,张三\n")
        );
    }

    #[test]
    fn forced_utf8_on_gbk_names_the_line() {
        let (gbk, _, _) = encoding_rs::GBK.encode("date\n2025-01-01,张三\n");
        let p = decode(&gbk, Encoding::Utf8, "a.csv").expect_err("gbk is not utf-8");
        assert_eq!(p.line, Some(2));
    }

    #[test]
    fn a_cut_utf8_character_is_an_error_not_gbk() {
        let mut bytes = "日期,代表,项目,备注\n2025-01-01,D001,duty,接待群众\n"
            .as_bytes()
            .to_vec();
        let cut = "2025-01-02,D001,duty,接待群".as_bytes();
        bytes.extend_from_slice(cut);
        bytes.extend_from_slice(&"众".as_bytes()[..2]);
        bytes.extend_from_slice("\n2025-01-03,D001,duty,ok\n".as_bytes());
        let p = decode(&bytes, Encoding::Auto, "a.csv").expect_err("cut character");
        assert_eq!(p.line, Some(3), "{p}");
        assert!(p.message.contains("cut short"), "{p}");
        // Alone on an otherwise ASCII file, the cut line still tells.
        let mut bytes = b"date,note\n2025-01-01,".to_vec();
        bytes.extend_from_slice(&"接待群众".as_bytes()[..10]);
        let p = decode(&bytes, Encoding::Auto, "a.csv").expect_err("cut character");
        assert_eq!(p.line, Some(2), "{p}");
    }

    #[test]
    fn utf8_and_gbk_lines_mixed_are_an_error_naming_the_first_gbk_line() {
        let (gbk, _, _) = encoding_rs::GBK.encode("2025-01-02,张三,值班接访\n");
        let mut bytes = "日期,代表,项目\n2025-01-01,张三,值班接访\n"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(&gbk);
        let p = decode(&bytes, Encoding::Auto, "a.csv").expect_err("mixed");
        assert_eq!(p.line, Some(3), "{p}");
        assert!(p.message.contains("line 1 is"), "{p}");
        assert!(p.message.contains("--encoding"), "{p}");
        // GBK first, UTF-8 later: still named, at the first GBK line.
        let mut bytes = gbk.to_vec();
        bytes.extend_from_slice("2025-01-01,张三,值班接访\n".as_bytes());
        let p = decode(&bytes, Encoding::Auto, "a.csv").expect_err("mixed");
        assert_eq!(p.line, Some(1), "{p}");
        // Forced GBK is obeyed.
        let forced = decode(&bytes, Encoding::Gbk, "a.csv").expect("forced gbk decodes");
        assert!(forced.starts_with("2025-01-02,张三,值班接访\n"));
    }

    #[test]
    fn lone_cr_ends_a_line() {
        let bytes = b"date\r2025-01-01\r\xFF\xFF\r";
        let p = decode(bytes, Encoding::Auto, "a.csv").expect_err("not text");
        assert_eq!(p.line, Some(3));
        assert_eq!(line_at(b"a\r\nb\rc\nd", 7), 4);
        assert_eq!(line_at(b"a\r\nb", 3), 2);
    }

    #[test]
    fn garbage_is_an_error_not_replacement() {
        let bytes = b"date\n2025-01-01,\xFF\xFF\n";
        let p = decode(bytes, Encoding::Auto, "a.csv").expect_err("not text");
        assert_eq!(p.line, Some(2));
        assert!(p.to_string().starts_with("a.csv:2: the file is neither"));
    }
}
