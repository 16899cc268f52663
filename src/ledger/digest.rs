//! The SHA-256 of a year file for the stamp, kept beside it (`ledger/.<year>.sha256`) with
//! the file's length, modification time and inode, so that a report on an unchanged ledger
//! does not read it twice. The cache is never the record: any change to the file, by tally
//! or by hand, changes one of the three and the hash is computed again.

use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What identifies one version of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Version {
    pub(super) len: u64,
    pub(super) modified_ns: i128,
    pub(super) inode: u64,
}

impl Version {
    pub(super) fn of(meta: &std::fs::Metadata) -> Option<Version> {
        let modified = meta.modified().ok()?;
        let ns = match modified.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i128::try_from(d.as_nanos()).ok()?,
            Err(e) => -i128::try_from(e.duration().as_nanos()).ok()?,
        };
        Some(Version {
            len: meta.len(),
            modified_ns: ns,
            inode: inode(meta),
        })
    }

    fn line(&self, hex: &str) -> String {
        format!("{} {} {} {hex}\n", self.len, self.modified_ns, self.inode)
    }
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

fn cache_path(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    Some(path.with_file_name(format!(".{stem}.sha256")))
}

/// The cached digest when it belongs to `file`, the version of `path` opened.
pub fn cached(file: &File, path: &Path) -> Option<[u8; 32]> {
    let now = Version::of(&file.metadata().ok()?)?;
    let text = std::fs::read_to_string(cache_path(path)?).ok()?;
    let (version, hex) = text.trim_end().rsplit_once(' ')?;
    if now.line("").trim_end() != version {
        return None;
    }
    let mut out = [0u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Reads `file` (opened from `path`) whole by offset, returns its digest and caches it for
/// that version.
pub fn compute(file: &File, path: &Path, bar: &indicatif::ProgressBar) -> Option<[u8; 32]> {
    let meta = file.metadata().ok()?;
    let version = Version::of(&meta)?;
    let mut file = super::scan::At::new(file, 0, meta.len());
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bar.inc(n as u64);
    }
    let digest: [u8; 32] = hasher.finalize().into();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    if let Some(cache) = cache_path(path) {
        // A read-only ledger simply goes without the cache.
        let _ = crate::fsutil::write_atomic(&cache, |w| w.write_all(version.line(&hex).as_bytes()));
    }
    Some(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_answers_until_the_file_changes() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("2025.csv");
        std::fs::write(&path, "a,b\n").expect("write");
        let open = || File::open(&path).expect("open");
        assert_eq!(cached(&open(), &path), None);
        let bar = indicatif::ProgressBar::hidden();
        let first = compute(&open(), &path, &bar).expect("digest");
        assert_eq!(cached(&open(), &path), Some(first));
        // A later edit in place: the clock has ticked (file times move in steps of a few ms).
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::fs::write(&path, "a,c\n").expect("rewrite");
        assert_eq!(cached(&open(), &path), None, "same length, new content");
        let second = compute(&open(), &path, &bar).expect("digest");
        assert_ne!(first, second);
        assert_eq!(cached(&open(), &path), Some(second));
    }
}
