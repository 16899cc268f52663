//! Re-import keys (SPEC §6): a record with an id is `id:<id>`; one without is known by a
//! fingerprint of its content and its occurrence within its file, `fp:<hex>-<n>`. Import
//! derives them from inbox rows and the ledger from its rows, so both meet on the same key.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// The cells of a record that say what happened: what its fingerprint and the check of an
/// id sent twice with other content compare.
pub struct Said<'a> {
    pub date: NaiveDate,
    pub delegate: &'a str,
    pub activity: &'a str,
    pub count: u64,
    pub outcome: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// The one text of what a record says, its cells joined by U+001F: fingerprints are taken
/// of it, so import and the ledger must write it alike.
pub fn content(s: &Said) -> String {
    let mut out = String::new();
    push_content(&mut out, s);
    out
}

/// [`content`] written at the end of `out`.
pub fn push_content(out: &mut String, s: &Said) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        s.date,
        s.delegate,
        s.activity,
        s.count,
        s.outcome.unwrap_or_default(),
        s.reference.unwrap_or_default(),
        s.note.unwrap_or_default()
    );
}

pub fn id_key(id: &str) -> String {
    format!("id:{id}")
}

/// [`id_key`] written at the end of `out`.
pub fn push_id_key(out: &mut String, id: &str) {
    out.push_str("id:");
    out.push_str(id);
}

pub fn fingerprint_key(fp: &str, occurrence: u64) -> String {
    format!("fp:{fp}-{occurrence}")
}

/// [`fingerprint_key`] of a fingerprint given as [`fingerprint_bytes`], written at the end
/// of `out`.
pub fn push_fingerprint_key(out: &mut String, fp: [u8; 8], occurrence: u64) {
    use std::fmt::Write as _;
    out.push_str("fp:");
    push_hex(out, &fp);
    // Writing to a String cannot fail.
    let _ = write!(out, "-{occurrence}");
}

/// The occurrence number a key carries (`fp:…-2` → 2); 1 for ids.
pub fn occurrence(key: &str) -> u64 {
    key.strip_prefix("fp:")
        .and_then(|k| k.rsplit_once('-'))
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(1)
}

pub fn fingerprint(content: &str) -> String {
    let mut out = String::with_capacity(16);
    push_hex(&mut out, &fingerprint_bytes(content));
    out
}

/// What [`fingerprint`] writes in hex: the first 8 bytes of the content's SHA-256.
pub fn fingerprint_bytes(content: &str) -> [u8; 8] {
    let digest = Sha256::digest(content.as_bytes());
    let mut fp = [0; 8];
    fp.copy_from_slice(&digest[..8]);
    fp
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
}
