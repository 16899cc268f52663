//! The words people read, in the office's language. Every label, title, status and
//! message lives in a Fluent catalogue under `locales/`, one per language; the code names
//! a message by its id. csv and json keep their English column keys in every language.
//!
//! The language is set once, when the command starts (`--lang`, else `tally.toml`,
//! else English), the way gettext's locale is: reports and messages are made far from
//! `main`, and passing a language through every builder would add a parameter to each
//! for no gain, since one run speaks one language.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// The catalogues, by language: kept beside the code and built into the binary.
pub const CATALOGUES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../locales/en.ftl")),
    (Lang::Zh, include_str!("../locales/zh.ftl")),
];

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of this run.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

pub fn lang() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

pub fn is_zh() -> bool {
    lang() == Lang::Zh
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; 2] =
        [OnceLock::new(), OnceLock::new()];
    BUNDLES[lang as usize].get_or_init(|| build(lang))
}

fn build(lang: Lang) -> FluentBundle<FluentResource> {
    let (_, text) = CATALOGUES[lang as usize];
    let id = lang.code().parse().expect("a valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks would reach csv cells and terminals as invisible characters.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(text.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("locales/{}.ftl: {errors:?}", lang.code()));
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("locales/{}.ftl: {errors:?}", lang.code()));
    bundle
}

/// Whether the catalogue of this run's language has `id`.
pub fn has(id: &str) -> bool {
    bundle(lang()).has_message(id)
}

/// The message `id` in this run's language, with its arguments filled in.
pub fn message(id: &str, args: &[(&str, Arg)]) -> String {
    in_lang(lang(), id, args)
}

/// The message `id` in `lang`.
pub fn in_lang(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        // A missing id is a bug the catalogue test catches; in a release the id itself is
        // more use to the reader than nothing.
        debug_assert!(false, "no message {id} in locales/{}.ftl", lang.code());
        return id.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.to_fluent());
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    debug_assert!(errors.is_empty(), "{id}: {errors:?}");
    text.into_owned()
}

/// An argument of a message: text is shown as is, a number chooses plural forms.
pub enum Arg {
    Text(String),
    Num(i64),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Text(s) => FluentValue::from(s.as_str()),
            // Default options: a selector's `[1]` matches only a number with them.
            Arg::Num(n) => FluentValue::from(*n),
        }
    }
}

macro_rules! impl_text_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Text(v.to_string())
            }
        }
    )*};
}
impl_text_arg!(
    &str,
    String,
    &String,
    chrono::NaiveDate,
    rust_decimal::Decimal,
    std::borrow::Cow<'_, str>
);

macro_rules! impl_num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Num(v as i64)
            }
        }
    )*};
}
impl_num_arg!(i32, i64, u32, u64, usize);

/// `tr!("id")` or `tr!("id", name = value, ...)`: the message in this run's language.
#[macro_export]
macro_rules! tr {
    ($id:literal) => {
        $crate::i18n::message($id, &[])
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message($id, &[$((stringify!($name), $crate::i18n::Arg::from($value))),+])
    };
}

/// The name of code `code` (`month`, `cycle`) in `lang`.
pub fn term(lang: Lang, code: &str) -> String {
    in_lang(lang, &format!("term-{code}"), &[])
}

/// A date as the reader writes it: `2025-10-08`, or `2025年10月8日`.
pub fn date(d: chrono::NaiveDate) -> String {
    date_in(lang(), d)
}

pub fn date_in(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match lang {
        Lang::En => d.to_string(),
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(text: &str) -> BTreeSet<String> {
        text.lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_catalogue_has_every_message() {
        let en = ids(CATALOGUES[0].1);
        let zh = ids(CATALOGUES[1].1);
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(
            only_en.is_empty(),
            "missing from locales/zh.ftl: {only_en:?}"
        );
        assert!(
            only_zh.is_empty(),
            "missing from locales/en.ftl: {only_zh:?}"
        );
        assert!(
            en.len() > 50,
            "the catalogue parser found only {}",
            en.len()
        );
    }

    #[test]
    fn no_catalogue_defines_an_id_twice() {
        for (lang, text) in CATALOGUES {
            let mut seen = BTreeSet::new();
            for line in text
                .lines()
                .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            {
                if let Some((id, _)) = line.split_once('=') {
                    assert!(
                        seen.insert(id.trim()),
                        "locales/{}.ftl: {} twice",
                        lang.code(),
                        id.trim()
                    );
                }
            }
        }
    }

    #[test]
    fn every_message_the_code_names_is_in_both_catalogues() {
        let mut missing = Vec::new();
        for (file, id) in ids_in_source() {
            for (lang, _) in CATALOGUES {
                if !bundle(lang).has_message(&id) {
                    missing.push(format!("{file}: {id} not in locales/{}.ftl", lang.code()));
                }
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    /// Every `tr!("id"` and `Column::new("key")` literal under src/.
    fn ids_in_source() -> Vec<(String, String)> {
        let mut found = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/ readable") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // This file names ids in its own tests.
                if path.ends_with("i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source readable");
                // Comments name ids as examples.
                let code: String = text
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                for (prefix, id_prefix) in [
                    ("tr!(", ""),
                    ("Column::new(", "col-"),
                    ("Value::term(", "term-"),
                    ("Value::key(", "col-"),
                    ("Value::phrase(", ""),
                    (".said(", ""),
                ] {
                    for (at, _) in code.match_indices(prefix) {
                        // `include_str!(` is not `tr!(`.
                        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        let rest = code[at + prefix.len()..].trim_start();
                        let Some(rest) = rest.strip_prefix('"') else {
                            continue;
                        };
                        let Some(end) = rest.find('"') else { continue };
                        let id = rest[..end].replace(['_', ' '], "-");
                        if id.is_empty() || id.contains('{') {
                            continue;
                        }
                        found.push((path.display().to_string(), format!("{id_prefix}{id}")));
                    }
                }
            }
        }
        assert!(
            found.len() > 20,
            "the source scan found only {}",
            found.len()
        );
        found
    }

    #[test]
    fn a_message_takes_its_arguments_and_plural() {
        assert_eq!(
            in_lang(Lang::En, "test-problems", &[("n", Arg::Num(1))]),
            "1 problem"
        );
        assert_eq!(
            in_lang(Lang::En, "test-problems", &[("n", Arg::Num(1234))]),
            "1234 problems"
        );
        assert_eq!(
            in_lang(Lang::Zh, "test-problems", &[("n", Arg::Num(2))]),
            "2 个问题"
        );
    }

    #[test]
    fn a_number_chooses_its_variant() {
        let quarter = |q: i64| {
            in_lang(
                Lang::Zh,
                "period-quarter",
                &[("year", Arg::Text("2025".into())), ("q", Arg::Num(q))],
            )
        };
        assert_eq!(quarter(1), "2025年第一季度");
        assert_eq!(quarter(3), "2025年第三季度");
        assert_eq!(quarter(4), "2025年第四季度");
    }

    #[test]
    fn dates_as_each_reader_writes_them() {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 10, 8).expect("a date");
        assert_eq!(date_in(Lang::Zh, d), "2025年10月8日");
        assert_eq!(date_in(Lang::En, d), "2025-10-08");
    }
}
