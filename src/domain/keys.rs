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
    let o = |v: Option<&str>| v.unwrap_or_default().to_owned();
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        s.date,
        s.delegate,
        s.activity,
        s.count,
        o(s.outcome),
        o(s.reference),
        o(s.note)
    )
}

pub fn id_key(id: &str) -> String {
    format!("id:{id}")
}

pub fn fingerprint_key(fp: &str, occurrence: u64) -> String {
    format!("fp:{fp}-{occurrence}")
}

/// The occurrence number a key carries (`fp:…-2` → 2); 1 for ids.
pub fn occurrence(key: &str) -> u64 {
    key.strip_prefix("fp:")
        .and_then(|k| k.rsplit_once('-'))
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(1)
}

pub fn fingerprint(content: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(content.as_bytes());
    let mut out = String::with_capacity(16);
    for b in &digest[..8] {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}
