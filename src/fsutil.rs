//! Atomic writes: a temporary file in the same folder, flushed and fsynced, then renamed
//! over the target, then the folder fsynced. A crash or a full disk never leaves half a file.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Files written in full to temporary names, put in place together by [`Staged::commit`].
/// Dropped without a commit, every temporary file is removed and no target is touched.
#[derive(Default)]
pub struct Staged {
    files: Vec<(NamedTempFile, PathBuf)>,
}

impl Staged {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `target`'s future content to a temporary file beside it.
    pub fn write(
        &mut self,
        target: &Path,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let dir = parent(target);
        std::fs::create_dir_all(dir)?;
        let mut tmp = temp_in(dir)?;
        {
            let mut w = BufWriter::new(tmp.as_file_mut());
            fill(&mut w)?;
            w.flush()?;
        }
        tmp.as_file().sync_all()?;
        self.files.push((tmp, target.to_path_buf()));
        Ok(())
    }

    /// Renames every staged file over its target and syncs the folders.
    pub fn commit(self) -> io::Result<()> {
        // A rename over a folder fails; find that before any file is put in place.
        if let Some((_, t)) = self.files.iter().find(|(_, t)| t.is_dir()) {
            return Err(io::Error::other(format!("{} is a folder", t.display())));
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        for (tmp, target) in self.files {
            tmp.persist(&target).map_err(|e| e.error)?;
            let dir = parent(&target).to_path_buf();
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
        for dir in dirs {
            sync_dir(&dir);
        }
        Ok(())
    }
}

/// Writes one file atomically.
pub fn write_atomic(
    target: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut staged = Staged::new();
    staged.write(target, fill)?;
    staged.commit()
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn temp_in(dir: &Path) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tally-").suffix(".tmp");
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
