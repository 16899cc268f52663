//! Finding the workspace (`-w`, `TALLY_WORKSPACE`, or the nearest `tally.toml` upward),
//! reading `tally.toml`, and showing paths relative to where the user stands.

use crate::domain::rules::Rules;
use crate::error::{Error, Exit};
use crate::input::rules::{DEFAULT_RULES, DEFAULT_RULES_NAME, parse_rules, toml_problem};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Component, Path, PathBuf};

pub const CONFIG_FILE: &str = "tally.toml";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    workspace: RawWorkspace,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWorkspace {
    name: Option<String>,
    rules: Option<String>,
    delegates: Option<String>,
    ledger: Option<String>,
    petitions: Option<String>,
    evaluations: Option<String>,
    adjustments: Option<String>,
    ratings: Option<String>,
    lang: Option<crate::i18n::Lang>,
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub name: String,
    /// `None`: the built-in default rules.
    pub rules: Option<PathBuf>,
    pub delegates: PathBuf,
    pub ledger: PathBuf,
    pub petitions: PathBuf,
    pub evaluations: PathBuf,
    pub adjustments: PathBuf,
    /// Delegates' ratings of departments (optional).
    pub ratings: PathBuf,
    /// The language reports and messages are in (`lang`, absent = English).
    pub lang: crate::i18n::Lang,
}

/// The rules in force and the text they came from (for the stamp's hash).
#[derive(Debug, Clone)]
pub struct LoadedRules {
    pub rules: Rules,
    pub shown: String,
    pub hash: String,
}

/// Turns paths into what the user sees: relative to the current folder where possible.
#[derive(Debug, Clone)]
pub struct Paths {
    pub cwd: PathBuf,
}

impl Paths {
    pub fn new() -> Paths {
        Paths {
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }

    /// An absolute, lexically normalised path.
    pub fn absolute(&self, p: &Path) -> PathBuf {
        normalise(&self.cwd.join(p))
    }

    pub fn show(&self, p: &Path) -> String {
        let abs = self.absolute(p);
        relative(&abs, &self.cwd).display().to_string()
    }
}

impl Default for Paths {
    fn default() -> Self {
        Self::new()
    }
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn relative(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    // Sharing only the root, `/dev/full` reads better than `../../dev/full`.
    let only_root = common == 1 && matches!(p.first(), Some(Component::RootDir));
    if common == 0 || only_root {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The folder holding `tally.toml`: `dir` when given, else the nearest one upward.
pub fn locate(dir: Option<&Path>, paths: &Paths) -> Result<PathBuf, Error> {
    // An empty TALLY_WORKSPACE= (as a script clearing it writes) means none, not "".
    if let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        let root = paths.absolute(d);
        if !root.join(CONFIG_FILE).is_file() {
            return Err(Error::no_input(crate::tr!(
                "msg-no-config-here",
                path = paths.show(&root),
                config = CONFIG_FILE
            )));
        }
        return Ok(root);
    }
    let mut here = paths.cwd.clone();
    loop {
        if here.join(CONFIG_FILE).is_file() {
            return Ok(here);
        }
        if !here.pop() {
            return Err(Error::no_input(crate::tr!(
                "msg-no-config-above",
                config = CONFIG_FILE
            )));
        }
    }
}

impl Workspace {
    pub fn load(root: PathBuf, paths: &Paths) -> Result<Workspace, Error> {
        let file = root.join(CONFIG_FILE);
        let shown = paths.show(&file);
        let bytes = crate::input::read_bytes(&file, &shown)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::config(crate::tr!("msg-path-not-utf8", path = &shown)))?;
        let raw: RawConfig = toml::from_str(&text)
            .map_err(|e| Error::from_problem(Exit::Config, toml_problem(&shown, &text, &e)))?;
        let w = raw.workspace;
        let at = |v: Option<String>, default: &str| root.join(v.as_deref().unwrap_or(default));
        let name = w.name.clone().unwrap_or_else(|| {
            root.file_name()
                .map_or_else(|| "tally".to_owned(), |n| n.to_string_lossy().into_owned())
        });
        Ok(Workspace {
            rules: w.rules.map(|r| root.join(r)),
            delegates: at(w.delegates, "data/delegates.csv"),
            ledger: at(w.ledger, "data/ledger"),
            petitions: at(w.petitions, "data/petitions.csv"),
            evaluations: at(w.evaluations, "data/evaluations.csv"),
            adjustments: at(w.adjustments, "data/adjustments.csv"),
            ratings: at(w.ratings, "data/ratings.csv"),
            lang: w.lang.unwrap_or(crate::i18n::Lang::En),
            name,
            root,
        })
    }

    pub fn ledger_file(&self, year: i32) -> PathBuf {
        self.ledger.join(format!("{year}.csv"))
    }

    /// The years the ledger holds, oldest first.
    pub fn ledger_years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = std::fs::read_dir(&self.ledger)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let stem = name.strip_suffix(".csv")?;
                (stem.len() == 4).then(|| stem.parse().ok()).flatten()
            })
            .collect();
        years.sort_unstable();
        years
    }

    /// How the ledger names a source file: relative to the workspace when inside it.
    pub fn source_name(&self, file: &Path, paths: &Paths) -> String {
        let abs = paths.absolute(file);
        match abs.strip_prefix(&self.root) {
            Ok(rel) => rel.display().to_string(),
            Err(_) => abs.display().to_string(),
        }
    }
}

/// Loads the rules: `--rules FILE` first, then the workspace's, else the built-in table.
pub fn load_rules(
    override_file: Option<&Path>,
    ws: Option<&Workspace>,
    paths: &Paths,
) -> Result<LoadedRules, Error> {
    let file = override_file
        .map(Path::to_path_buf)
        .or_else(|| ws.and_then(|w| w.rules.clone()));
    match file {
        None => Ok(LoadedRules {
            rules: parse_rules(DEFAULT_RULES_NAME, DEFAULT_RULES)?,
            shown: DEFAULT_RULES_NAME.to_owned(),
            hash: short_hash(DEFAULT_RULES.as_bytes()),
        }),
        Some(f) => {
            let shown = paths.show(&f);
            let from_config = override_file.is_none();
            let bytes =
                crate::input::read_bytes(&f, &shown).map_err(|e| match (from_config, ws) {
                    // Say where the name came from, so the clerk knows which file to fix.
                    (true, Some(ws)) => {
                        let config = paths.show(&ws.root.join(CONFIG_FILE));
                        e.under(&crate::tr!("msg-named-by-rules", config = config))
                    }
                    _ => e,
                })?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::config(crate::tr!("msg-path-not-utf8", path = &shown)))?;
            Ok(LoadedRules {
                rules: parse_rules(&shown, &text)?,
                hash: short_hash(text.as_bytes()),
                shown,
            })
        }
    }
}

pub fn short_hash(bytes: &[u8]) -> String {
    hex_prefix(&Sha256::digest(bytes))
}

/// [`short_hash`] of a file's bytes, read a block at a time; empty when it cannot be read.
pub fn file_hash(path: &Path) -> String {
    let mut hasher = Sha256::new();
    let read = std::fs::File::open(path).and_then(|mut f| std::io::copy(&mut f, &mut hasher));
    match read {
        Ok(_) => hex_prefix(&hasher.finalize()),
        Err(_) => String::new(),
    }
}

/// The first 6 bytes of a digest in hex: short enough to print, long enough to tell apart.
pub fn hex_prefix(digest: &[u8]) -> String {
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let base = Path::new("/a/b");
        assert_eq!(
            relative(Path::new("/a/b/c/d.csv"), base),
            PathBuf::from("c/d.csv")
        );
        assert_eq!(
            relative(Path::new("/a/x.csv"), base),
            PathBuf::from("../x.csv")
        );
        assert_eq!(relative(Path::new("/a/b"), base), PathBuf::from("."));
        assert_eq!(normalise(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
