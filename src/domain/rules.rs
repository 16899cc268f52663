//! The point table and everything else that differs between districts, as checked values.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone)]
pub struct Rules {
    pub meta: Meta,
    pub categories: Vec<Category>,
    pub items: Vec<Item>,
    pub obligations: Vec<Obligation>,
    pub petitions: PetitionRules,
    pub calendar: Calendar,
    pub review: Review,
    pub publishing: Publishing,
    /// Lower-cased code, full name or alias → item index.
    pub(crate) lookup: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub name: String,
    pub source: String,
    pub rank_within: RankWithin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RankWithin {
    Studio,
    /// Within each sector office (行业工作室); delegates without one form one group,
    /// "no sector", listed last.
    Sector,
    All,
}

impl RankWithin {
    pub fn name(self) -> &'static str {
        match self {
            RankWithin::Studio => "studio",
            RankWithin::Sector => "sector",
            RankWithin::All => "all",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub code: String,
    pub category: usize,
    pub name: String,
    pub aliases: Vec<String>,
    pub scoring: Scoring,
    pub requires_ref: bool,
    pub cap: Option<Cap>,
    /// The item's part in a petition's life, reconciled with the petitions register.
    pub petition: Option<PetitionRole>,
}

/// What a record of a petition item claims (`petition = "agent" | "resolved"` on an item).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PetitionRole {
    /// Acting as the resident's agent: the record's delegate is the registered agent.
    Agent,
    /// Helping resolve it: dated on or after the registered resolution, with its outcome.
    Resolved,
}

/// `[publishing]`: what happens to records dated inside a period already published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Publishing {
    pub late_records: LateRecords,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LateRecords {
    /// `import` adds them and warns; `check` then lists the restatement.
    #[default]
    Warn,
    /// `import` refuses them (exit 65).
    Refuse,
}

#[derive(Debug, Clone)]
pub enum Scoring {
    PerUnit(Decimal),
    /// Points per unit by outcome, in the order the rules list them, and outcome aliases.
    ByOutcome {
        points: Vec<(String, Decimal)>,
        aliases: Vec<(String, String)>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    Month,
    Quarter,
    Year,
}

impl Per {
    pub fn parse(s: &str) -> Option<Per> {
        match s {
            "month" => Some(Per::Month),
            "quarter" => Some(Per::Quarter),
            "year" | "cycle" => Some(Per::Year),
            _ => None,
        }
    }
    /// Which period of the year a zero-based month falls in.
    pub fn slot(self, month0: usize) -> usize {
        match self {
            Per::Month => month0,
            Per::Quarter => month0 / 3,
            Per::Year => 0,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Per::Month => "month",
            Per::Quarter => "quarter",
            Per::Year => "year",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Cap {
    pub points: Decimal,
    pub per: Per,
    /// As the rules file wrote it (`cycle` or `year`), for messages.
    pub per_label: String,
}

#[derive(Debug, Clone)]
pub struct Obligation {
    pub item: usize,
    pub at_least: u64,
    pub per: Per,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyWithin {
    CalendarDays(u32),
    WorkingDays(u32),
}

impl ReplyWithin {
    pub fn working_days(&self) -> bool {
        matches!(self, ReplyWithin::WorkingDays(_))
    }
}

#[derive(Debug, Clone)]
pub struct PetitionRules {
    pub reply_within: ReplyWithin,
    /// An item registered and not forwarded for more than this many (calendar) days is
    /// stalled.
    pub forward_within_days: u32,
    /// The district's standards for departments (通报), if it sets any.
    pub standards: Option<Standards>,
}

impl Default for PetitionRules {
    fn default() -> Self {
        PetitionRules {
            reply_within: ReplyWithin::CalendarDays(15),
            forward_within_days: 5,
            standards: None,
        }
    }
}

/// `[petitions] standards`: a department below either rate is flagged, once it has at least
/// `min_items` items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standards {
    pub on_time_rate: Option<Decimal>,
    pub satisfaction_rate: Option<Decimal>,
    pub min_items: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// Whether the calendar lists holidays for `year`: a year with none is not known, and
    /// working days counted in it skip weekends only.
    pub fn covers(&self, year: i32) -> bool {
        use chrono::Datelike;
        self.holidays.iter().any(|d| d.year() == year)
    }
}

/// The default is what a rules file without `[review]` is read as while its problems are
/// gathered; such rules are refused.
#[derive(Debug, Clone, Default)]
pub struct Review {
    pub points_weight: Decimal,
    pub evaluation_weight: Decimal,
    /// Evaluator groups and their weights, in the rules' order.
    pub groups: Vec<(String, Decimal)>,
    pub group_aliases: Vec<(String, String)>,
    /// Bands from the highest `min` down.
    pub grades: Vec<Grade>,
    pub unmet_obligation_caps_grade: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub min: Decimal,
    pub name: String,
}

impl Rules {
    /// The item a record's `activity` cell names: its code, full name or an alias.
    pub fn item_for(&self, activity: &str) -> Option<usize> {
        let a = activity.trim();
        // Most cells are item codes, already lower case: looked up without a copy.
        if a.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
            return self.lookup.get(a).copied();
        }
        self.lookup.get(&a.to_lowercase()).copied()
    }

    pub fn item_by_code(&self, code: &str) -> Option<usize> {
        self.items.iter().position(|i| i.code == code)
    }

    /// The evaluator group a cell names, by id or alias.
    pub fn group_for(&self, text: &str) -> Option<usize> {
        let t = text.trim().to_lowercase();
        let lower = |a: &str| a.chars().flat_map(char::to_lowercase).eq(t.chars());
        let id = self
            .review
            .group_aliases
            .iter()
            .find(|(alias, _)| lower(alias))
            .map_or(t.as_str(), |(_, id)| id.as_str());
        self.review.groups.iter().position(|(g, _)| g == id)
    }
}

impl Review {
    /// What people call evaluator group `id`: in Chinese the rules' Chinese alias (党员)
    /// when they give one, else the id.
    pub fn group_name(&self, id: &str) -> String {
        let alias = self
            .group_aliases
            .iter()
            .find(|(alias, to)| to == id && !alias.is_ascii());
        match alias {
            Some((alias, _)) if crate::i18n::is_zh() => alias.clone(),
            _ => id.to_owned(),
        }
    }
}

impl Per {
    /// The period as people say it: `month`, or `月`.
    pub fn label(self) -> String {
        crate::output::label("term", self.name())
    }
}

impl Item {
    /// The item as a column heading names it: its code in English; in Chinese its
    /// shortest Chinese alias (值班接访) when shorter than its full name.
    pub fn short_name(&self) -> &str {
        if !crate::i18n::is_zh() {
            return &self.code;
        }
        self.short_name_zh()
    }

    /// The item's shortest Chinese alias when shorter than its full name, else the name.
    pub fn short_name_zh(&self) -> &str {
        self.aliases
            .iter()
            .filter(|a| !a.is_ascii())
            .min_by_key(|a| a.chars().count())
            .filter(|a| a.chars().count() < self.name.chars().count())
            .unwrap_or(&self.name)
    }

    /// Outcome `id` as people read it: the id in English; in Chinese the rules' first
    /// Chinese alias for it (满意), else the id.
    pub fn outcome_name<'a>(&'a self, id: &'a str) -> &'a str {
        let Scoring::ByOutcome { aliases, .. } = &self.scoring else {
            return id;
        };
        if !crate::i18n::is_zh() {
            return id;
        }
        aliases
            .iter()
            .find(|(alias, to)| to == id && !alias.is_ascii())
            .map_or(id, |(alias, _)| alias.as_str())
    }

    /// The outcome id an `outcome` cell names, for items scored by outcome.
    pub fn outcome_for(&self, text: &str) -> Option<&str> {
        let Scoring::ByOutcome { points, aliases } = &self.scoring else {
            return None;
        };
        let t = text.trim();
        let lower = t.to_lowercase();
        points
            .iter()
            .find(|(o, _)| *o == lower)
            .map(|(o, _)| o.as_str())
            .or_else(|| {
                aliases
                    .iter()
                    .find(|(a, _)| a == t || a.to_lowercase() == lower)
                    .map(|(_, o)| o.as_str())
            })
    }

    /// Points for one unit with the given (already normalised) outcome.
    pub fn unit_points(&self, outcome: Option<&str>) -> Option<Decimal> {
        match &self.scoring {
            Scoring::PerUnit(p) => Some(*p),
            Scoring::ByOutcome { points, .. } => {
                let o = outcome?;
                points.iter().find(|(k, _)| k == o).map(|(_, p)| *p)
            }
        }
    }

    pub fn by_outcome(&self) -> bool {
        matches!(self.scoring, Scoring::ByOutcome { .. })
    }
}
