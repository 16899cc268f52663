//! Every write tally makes goes through here, so that none can destroy what it should not.
//!
//! - A regular file (or a new one) is replaced atomically: a temporary file in the same
//!   folder, flushed and fsynced, renamed over the target, then the folder fsynced. A crash
//!   or a full disk never leaves half a file.
//! - A symlink is followed and its target replaced the same way; the link stays a link.
//! - Anything that is not a regular file — a device such as `/dev/null` or `/dev/full`, a
//!   FIFO, `/dev/stdout` — is written through, never replaced.
//! - Several files put in place together ([`Staged`]) are one transaction: the set of
//!   renames is written to a journal first, and a run killed half-way is finished by the
//!   next run that writes into that folder ([`recover`]).
//!
//! Temporary names carry the writer's process id (`.tally-<pid>-….tmp`, journals
//! `.tally-<pid>.journal`), so a later run can tell the leftovers of a dead writer from the
//! work of a live one.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// A write failure whose reason is already in words (see `error::io_reason`).
#[derive(Debug)]
pub struct Reason(pub String);

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Reason {}

fn refused(kind: io::ErrorKind, reason: impl Into<String>) -> io::Error {
    io::Error::new(kind, Reason(reason.into()))
}

/// Where a write to a path lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// A regular file, existing or new, replaced atomically (symlinks already followed).
    Replace(PathBuf),
    /// A device, FIFO or socket: opened and written, never replaced.
    Through(PathBuf),
}

/// How many symlinks are followed before giving up, as the kernel does (ELOOP).
const MAX_LINKS: usize = 40;

/// Resolves `path` to what a write must do with it.
pub fn destination(path: &Path) -> io::Result<Dest> {
    if ends_with_separator(path) {
        return Err(refused(
            io::ErrorKind::IsADirectory,
            crate::tr!("why-ends-with-slash"),
        ));
    }
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if is_system_path(&current) {
            return Ok(Dest::Through(current));
        }
        let meta = match std::fs::symlink_metadata(&current) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                check_folder(&current)?;
                return Ok(Dest::Replace(current));
            }
            Err(e) => return Err(e),
        };
        let kind = meta.file_type();
        if kind.is_symlink() {
            let link = std::fs::read_link(&current)?;
            current = parent(&current).join(link);
        } else if kind.is_file() {
            return Ok(Dest::Replace(current));
        } else if kind.is_dir() {
            return Err(refused(
                io::ErrorKind::IsADirectory,
                crate::tr!("why-is-a-folder"),
            ));
        } else {
            return Ok(Dest::Through(current));
        }
    }
    Err(refused(
        io::ErrorKind::InvalidInput,
        crate::tr!("why-too-many-links"),
    ))
}

fn ends_with_separator(path: &Path) -> bool {
    let s = path.as_os_str().as_encoded_bytes();
    s.len() > 1 && s.ends_with(b"/")
}

/// `/dev` and `/proc` hold devices and views of open files (`/dev/stdout` is a link to
/// `/proc/self/fd/1`); a rename there would replace what the system relies on.
fn is_system_path(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc") || path.starts_with("/sys")
}

/// A new file needs an existing folder to go in; say which part is missing.
fn check_folder(target: &Path) -> io::Result<()> {
    let dir = parent(target);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(refused(
            io::ErrorKind::NotADirectory,
            crate::tr!("why-part-is-a-file"),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A file above in the path is "not a folder", as the system says it.
            if dir.ancestors().skip(1).any(Path::is_file) {
                return Err(refused(
                    io::ErrorKind::NotADirectory,
                    crate::tr!("why-part-is-a-file"),
                ));
            }
            Err(refused(
                io::ErrorKind::NotFound,
                crate::tr!("why-folder-missing", folder = dir.display().to_string()),
            ))
        }
        Err(e) => Err(e),
    }
}

/// Files written in full to temporary names, put in place together by [`Staged::commit`].
/// Dropped without a commit, every temporary file is removed and no target is touched.
#[derive(Default)]
pub struct Staged {
    files: Vec<(NamedTempFile, PathBuf)>,
    through: Vec<(PathBuf, Vec<u8>)>,
    /// Where the journal of a multi-file commit goes (default: the first file's folder).
    journal_dir: Option<PathBuf>,
}

impl Staged {
    pub fn new() -> Self {
        Self::default()
    }

    /// A transaction whose journal lives in `dir` (the ledger folder, say), where the next
    /// writer looks for it.
    pub fn journaled_in(dir: &Path) -> Self {
        Staged {
            journal_dir: Some(dir.to_path_buf()),
            ..Self::default()
        }
    }

    /// Writes `target`'s future content: to a temporary file beside it, or, for a device or
    /// FIFO, to memory until the commit.
    pub fn write(
        &mut self,
        target: &Path,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        match destination(target)? {
            Dest::Through(path) => {
                let mut bytes = Vec::new();
                fill(&mut bytes)?;
                self.through.push((path, bytes));
            }
            Dest::Replace(path) => {
                let mut tmp = temp_in(parent(&path))?;
                {
                    let mut w = BufWriter::new(tmp.as_file_mut());
                    fill(&mut w)?;
                    w.flush()?;
                }
                tmp.as_file().sync_all()?;
                self.files.push((tmp, path));
            }
        }
        Ok(())
    }

    /// Puts every staged file in place: one rename for one file; for several, a journal
    /// first, so that a run killed between two renames is finished by the next.
    pub fn commit(self) -> io::Result<()> {
        let Staged {
            files,
            through,
            journal_dir,
        } = self;
        match files.len() {
            0 => {}
            1 => {
                for (tmp, target) in files {
                    tmp.persist(&target).map_err(|e| e.error)?;
                    sync_dir(parent(&target));
                }
            }
            _ => commit_journaled(files, journal_dir)?,
        }
        for (path, bytes) in through {
            write_through(&path, &bytes)?;
        }
        Ok(())
    }
}

/// Writes one file safely (see the module's rules).
pub fn write_atomic(
    target: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut staged = Staged::new();
    staged.write(target, fill)?;
    staged.commit()
}

fn write_through(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = File::options().append(true).open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            refused(io::ErrorKind::NotFound, crate::tr!("why-no-system-file"))
        } else {
            e
        }
    })?;
    f.write_all(bytes)?;
    f.flush()
}

/// The renames of one transaction, as the journal records them.
#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    renames: Vec<(PathBuf, PathBuf)>,
}

fn commit_journaled(
    files: Vec<(NamedTempFile, PathBuf)>,
    journal_dir: Option<PathBuf>,
) -> io::Result<()> {
    let dir = match journal_dir {
        Some(d) => d,
        None => parent(&files[0].1).to_path_buf(),
    };
    let mut renames = Vec::with_capacity(files.len());
    let base = std::path::absolute(&dir)?;
    for (tmp, target) in files {
        // From here the temporary files outlive this value: the journal owns them.
        let kept = tmp.into_temp_path().keep().map_err(|e| e.error)?;
        renames.push((
            beside(&base, &std::path::absolute(kept)?),
            beside(&base, &std::path::absolute(target)?),
        ));
    }
    let journal = journal_path(&dir, std::process::id());
    let text = serde_json::to_vec(&Journal { renames }).map_err(io::Error::other)?;
    let mut tmp = temp_in(&dir)?;
    tmp.write_all(&text)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&journal).map_err(|e| e.error)?;
    sync_dir(&dir);
    finish_journal(&journal)
}

/// A path inside the journal's folder is written relative to it, so a workspace moved or
/// restored elsewhere after a crash finishes its own files, not the old place's.
fn beside(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

fn journal_path(dir: &Path, pid: u32) -> PathBuf {
    dir.join(format!(".tally-{pid}.journal"))
}

/// Carries out a journal's renames that are not yet done, then removes it.
fn finish_journal(journal: &Path) -> io::Result<()> {
    let text = std::fs::read(journal)?;
    let Ok(Journal { renames }) = serde_json::from_slice(&text) else {
        // Never completed its own rename into place, so none of its renames began.
        return std::fs::remove_file(journal);
    };
    let base = parent(journal);
    let renames: Vec<(PathBuf, PathBuf)> = renames
        .into_iter()
        .map(|(tmp, target)| (base.join(tmp), base.join(target)))
        .collect();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (tmp, target) in &renames {
        match std::fs::rename(tmp, target) {
            Ok(()) => {}
            // Already renamed by the run that was killed.
            Err(e) if e.kind() == io::ErrorKind::NotFound && !tmp.exists() => {}
            Err(e) => return Err(e),
        }
        let dir = parent(target).to_path_buf();
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    for dir in &dirs {
        sync_dir(dir);
    }
    std::fs::remove_file(journal)?;
    sync_dir(parent(journal));
    Ok(())
}

/// Finishes the transactions of dead writers in `dir`, then removes their temporary files.
/// `exclusive`: the caller holds the lock that every writer of `dir` takes (the ledger's),
/// so every leftover is a dead writer's, whatever its process id.
pub fn recover(dir: &Path, exclusive: bool) -> io::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut journals = Vec::new();
    let mut temps = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(".tally-") else {
            continue;
        };
        let dead = exclusive || owner(rest).is_none_or(|pid| !alive(pid));
        if !dead {
            continue;
        }
        if rest.ends_with(".journal") {
            journals.push(e.path());
        } else if rest.ends_with(".tmp") {
            temps.push(e.path());
        }
    }
    for j in &journals {
        finish_journal(j)?;
    }
    for t in temps {
        // A journal above may have renamed it already.
        let _ = std::fs::remove_file(t);
    }
    Ok(())
}

/// Whether `dir` holds an unfinished transaction.
pub fn has_journal(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(".tally-") && name.ends_with(".journal")
        })
    })
}

/// The process id in `<pid>-….tmp` or `<pid>.journal`.
fn owner(rest: &str) -> Option<u32> {
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[digits.len()..];
    if after.starts_with('-') || after == ".journal" {
        digits.parse().ok()
    } else {
        None
    }
}

#[cfg(unix)]
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 sends nothing; it only asks whether the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

pub(crate) fn temp_in(dir: &Path) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    let prefix = format!(".tally-{}-", std::process::id());
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir)
}

/// The rename is durable only once the folder's entry is on disk; not all systems allow it.
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

/// A file that exceeds `ulimit -f` is an error to report (exit 73, temporary file removed),
/// not a signal that kills tally half-way through a write.
pub fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN at start-up, before any thread.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symlink_is_followed_to_its_target() {
        let dir = tempfile::tempdir().expect("dir");
        let real = dir.path().join("real.csv");
        std::fs::write(&real, "old").expect("write");
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("real.csv", &link).expect("symlink");
        write_atomic(&link, |w| w.write_all(b"new")).expect("written");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
    }

    #[test]
    fn devices_are_written_through_never_replaced() {
        assert_eq!(
            destination(Path::new("/dev/null")).expect("resolves"),
            Dest::Through("/dev/null".into())
        );
        write_atomic(Path::new("/dev/null"), |w| w.write_all(b"x")).expect("written");
        let meta = std::fs::metadata("/dev/null").expect("exists");
        assert!(!meta.is_file());
        let full = write_atomic(Path::new("/dev/full"), |w| w.write_all(b"x"));
        assert_eq!(
            full.expect_err("full").kind(),
            io::ErrorKind::StorageFull,
            "/dev/full says the disk is full"
        );
    }

    #[test]
    fn a_folder_or_a_trailing_slash_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let e = destination(dir.path()).expect_err("folder");
        assert_eq!(e.kind(), io::ErrorKind::IsADirectory);
        let e = destination(&dir.path().join("new/")).expect_err("slash");
        assert_eq!(e.kind(), io::ErrorKind::IsADirectory);
        let e = destination(&dir.path().join("missing/x.csv")).expect_err("missing");
        assert!(e.to_string().contains("does not exist"), "{e}");
    }

    #[test]
    fn a_journal_left_half_done_is_finished_by_recovery() {
        let dir = tempfile::tempdir().expect("dir");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let (ta, tb) = (
            dir.path().join(".tally-1-x.tmp"),
            dir.path().join(".tally-1-y.tmp"),
        );
        std::fs::write(&ta, "A").expect("write");
        std::fs::write(&tb, "B").expect("write");
        // The killed run renamed `a` already, not `b`.
        std::fs::rename(&ta, &a).expect("rename");
        let journal = Journal {
            renames: vec![(ta, a.clone()), (tb, b.clone())],
        };
        let jp = journal_path(dir.path(), 1);
        std::fs::write(&jp, serde_json::to_vec(&journal).expect("json")).expect("journal");
        std::fs::write(dir.path().join(".tally-1-z.tmp"), "orphan").expect("orphan");
        recover(dir.path(), true).expect("recovered");
        assert_eq!(std::fs::read_to_string(&a).expect("a"), "A");
        assert_eq!(std::fs::read_to_string(&b).expect("b"), "B");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn a_folder_moved_after_a_crash_finishes_its_own_files() {
        let old = tempfile::tempdir().expect("dir");
        let (a, b) = (old.path().join("a"), old.path().join("b"));
        std::fs::write(&a, "old a").expect("write");
        std::fs::write(&b, "old b").expect("write");
        let mut staged = Staged::journaled_in(old.path());
        staged.write(&a, |w| w.write_all(b"A")).expect("staged");
        staged.write(&b, |w| w.write_all(b"B")).expect("staged");
        // Written as the commit writes it, then the folder is copied before any rename.
        let Staged { files, .. } = staged;
        let base = std::path::absolute(old.path()).expect("absolute");
        let renames = files
            .into_iter()
            .map(|(tmp, target)| {
                let kept = tmp.into_temp_path().keep().expect("kept");
                (beside(&base, &kept), beside(&base, &target))
            })
            .collect();
        let text = serde_json::to_vec(&Journal { renames }).expect("json");
        std::fs::write(journal_path(old.path(), 1), text).expect("journal");
        let moved = tempfile::tempdir().expect("dir");
        for e in std::fs::read_dir(old.path()).expect("list").flatten() {
            std::fs::copy(e.path(), moved.path().join(e.file_name())).expect("copy");
        }
        recover(moved.path(), true).expect("recovered");
        assert_eq!(
            std::fs::read_to_string(moved.path().join("a")).expect("a"),
            "A"
        );
        assert_eq!(
            std::fs::read_to_string(moved.path().join("b")).expect("b"),
            "B"
        );
        assert_eq!(
            std::fs::read_to_string(&a).expect("a"),
            "old a",
            "the old place untouched"
        );
    }

    #[test]
    fn a_live_writers_temporary_files_are_left_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let mine = dir
            .path()
            .join(format!(".tally-{}-x.tmp", std::process::id()));
        std::fs::write(&mine, "in use").expect("write");
        recover(dir.path(), false).expect("recovered");
        assert!(mine.exists());
        recover(dir.path(), true).expect("recovered");
        assert!(!mine.exists());
    }

    #[test]
    fn owner_reads_the_process_id() {
        assert_eq!(owner("123-abc.tmp"), Some(123));
        assert_eq!(owner("123.journal"), Some(123));
        assert_eq!(owner("abc.tmp"), None);
    }
}
