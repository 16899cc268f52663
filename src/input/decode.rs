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
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF");
    match (encoding, body) {
        (Encoding::Gbk, _) => decode_gb18030(bytes, file),
        (_, Some(body)) => decode_utf8(body, file),
        (Encoding::Utf8, None) => decode_utf8(bytes, file),
        (Encoding::Auto, None) => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_owned()),
            Err(_) => decode_gb18030(bytes, file).map_err(|p| Problem {
                message: "the file is neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8"
                    .into(),
                ..p
            }),
        },
    }
}

fn decode_utf8(bytes: &[u8], file: &str) -> Result<String, Problem> {
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
        let at = e.valid_up_to();
        bad_bytes(
            file,
            bytes,
            at,
            "not valid UTF-8 (try --encoding gbk for files saved by Excel on Chinese Windows)",
        )
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
            Err(bad_bytes(file, bytes, at, "not valid GBK/GB18030 text"))
        }
        encoding_rs::DecoderResult::OutputFull => {
            Err(Problem::new(file, "the file is too large to decode"))
        }
    }
}

fn bad_bytes(file: &str, bytes: &[u8], at: usize, message: &str) -> Problem {
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let shown: Vec<String> = bytes[at..]
        .iter()
        .take(4)
        .map(|b| format!("{b:02X}"))
        .collect();
    Problem::new(file, message)
        .line(line)
        .value(format!("bytes {}", shown.join(" ")))
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
    fn garbage_is_an_error_not_replacement() {
        let bytes = b"date\n2025-01-01,\xFF\xFF\n";
        let p = decode(bytes, Encoding::Auto, "a.csv").expect_err("not text");
        assert_eq!(p.line, Some(2));
        assert!(p.to_string().starts_with("a.csv:2: the file is neither"));
    }
}
