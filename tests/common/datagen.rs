//! Generated workspaces for the crash and concurrency tests: a roster with terms that start
//! and end inside the years, and activity files of any size that are valid under SPEC §3 and
//! the default rules. Deterministic (a seed in, the same bytes out); written to scratch
//! folders only, never committed.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// splitmix64: small, seedable, good enough to scatter rows.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Items of the default rules scored per unit, needing no outcome and no ref.
const ITEMS: [&str; 8] = [
    "duty",
    "outreach",
    "community",
    "inspection",
    "proposal",
    "inquiry",
    "volunteer",
    "motion_cosign",
];

/// A day as (year, month, day); months are cut at 28 days so every triple is a real date.
pub type Day = (i32, u32, u32);

pub struct Delegate {
    pub id: String,
    pub studio: usize,
    pub joined: Option<Day>,
    pub left: Option<Day>,
}

impl Delegate {
    fn in_office(&self, d: Day) -> bool {
        self.joined.is_none_or(|j| d >= j) && self.left.is_none_or(|l| d <= l)
    }
}

pub struct Roster {
    pub delegates: Vec<Delegate>,
}

/// `n` delegates over six studios; one in ten joins mid-2024, one in ten leaves mid-2025,
/// one in ten serves only from March 2024 to September 2025.
pub fn roster(n: usize) -> Roster {
    let delegates = (0..n)
        .map(|i| {
            let (joined, left) = match i % 10 {
                3 => (Some((2024, 7, 1)), None),
                7 => (None, Some((2025, 6, 28))),
                5 => (Some((2024, 3, 15)), Some((2025, 9, 10))),
                _ => (None, None),
            };
            Delegate {
                id: format!("D{i:03}"),
                studio: i % 6,
                joined,
                left,
            }
        })
        .collect();
    Roster { delegates }
}

fn iso((y, m, d): Day) -> String {
    format!("{y}-{m:02}-{d:02}")
}

impl Roster {
    pub fn csv(&self) -> String {
        let mut s = String::from("id,name,studio,sector,joined,left\n");
        for (i, d) in self.delegates.iter().enumerate() {
            let _ = writeln!(
                s,
                "{},代表{i},第{}社区党代表工作室,,{},{}",
                d.id,
                d.studio + 1,
                d.joined.map(iso).unwrap_or_default(),
                d.left.map(iso).unwrap_or_default()
            );
        }
        s
    }

    /// A delegate in office on `day`, drawn at random.
    fn pick(&self, rng: &mut Rng, day: Day) -> &Delegate {
        loop {
            let d = &self.delegates[rng.below(self.delegates.len() as u64) as usize];
            if d.in_office(day) {
                return d;
            }
        }
    }
}

/// What one generated activity file holds.
pub struct Batch<'a> {
    /// Written into each row's id, or its note when there are no ids, so rows of different
    /// batches never coincide.
    pub tag: &'a str,
    pub rows: usize,
    pub years: &'a [i32],
    pub seed: u64,
    /// An `id` column (`<tag>-<n>`) and no note: the ledger key is then the id. Without ids
    /// the key is a fingerprint of the row.
    pub ids: bool,
}

/// One activity row of a batch: its id (when the batch has ids) and its CSV line.
pub struct Row {
    pub id: String,
    pub line: String,
}

impl Batch<'_> {
    pub fn header(&self) -> &'static str {
        if self.ids {
            "id,date,delegate,activity,count\n"
        } else {
            "date,delegate,activity,count,note\n"
        }
    }

    /// The rows, each valid: a delegate in office that day, a known item, a count of 1–3.
    pub fn rows(&self, roster: &Roster) -> Vec<Row> {
        let mut rng = Rng::new(self.seed);
        (0..self.rows)
            .map(|n| {
                let year = self.years[rng.below(self.years.len() as u64) as usize];
                let day = (year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
                let delegate = &roster.pick(&mut rng, day).id;
                let item = ITEMS[rng.below(ITEMS.len() as u64) as usize];
                let count = 1 + rng.below(3);
                // One row in eight in the `2025/3/1` form, so normalisation is on the path.
                let date = if n % 8 == 0 {
                    format!("{}/{}/{}", day.0, day.1, day.2)
                } else {
                    iso(day)
                };
                let id = format!("{}-{n}", self.tag);
                let line = if self.ids {
                    format!("{id},{date},{delegate},{item},{count}\n")
                } else {
                    format!("{date},{delegate},{item},{count},{} {n}\n", self.tag)
                };
                Row { id, line }
            })
            .collect()
    }

    pub fn csv(&self, roster: &Roster) -> String {
        let mut s = String::from(self.header());
        for r in self.rows(roster) {
            s.push_str(&r.line);
        }
        s
    }
}

/// A workspace in `dir` with the default rules and `roster`.
pub fn workspace(dir: &Path, name: &str, roster: &Roster) {
    std::fs::create_dir_all(dir.join("data")).expect("mkdir data");
    std::fs::create_dir_all(dir.join("inbox")).expect("mkdir inbox");
    std::fs::write(
        dir.join("tally.toml"),
        format!("[workspace]\nname = \"{name}\"\n"),
    )
    .expect("write tally.toml");
    std::fs::write(dir.join("data/delegates.csv"), roster.csv()).expect("write roster");
}
