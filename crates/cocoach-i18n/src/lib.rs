//! cocoach's words, in English and Dutch.
//!
//! Every sentence a person reads — in the window, on the command line, in the
//! defaults inserted into a new partnership — is a message in a Fluent file under
//! `locales/<lang>/`, one file per area of the app, compiled into the binary. Code
//! names a message by its id ([`Tr::t`], or [`tr!`] with arguments); plural rules come
//! from Fluent (CLDR), and dates are written the way each language writes them
//! ([`Tr::date`]).
//!
//! Two rules keep the files whole, and a test checks both: every id used in the code
//! is in both languages, and both languages have the same ids.
//!
//! A missing message never fails: it shows its id and logs a warning (the id only,
//! never an argument, which may be a note's text).

use std::sync::{Arc, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub use fluent_bundle::FluentValue as Value;

/// The languages cocoach speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    /// The language tag (BCP 47), as stored in settings and accepted by `--lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// The language's name in itself, for the picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
        }
    }

    /// The language of a locale tag such as `nl-BE`, `nl_NL.UTF-8` or `en`; `None`
    /// for one cocoach does not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }

    /// The language to use when the user has not picked one: `COCOACH_LANG` if set,
    /// else the first of the system's preferred locales cocoach speaks, else English.
    pub fn from_system() -> Lang {
        if let Some(l) = std::env::var("COCOACH_LANG")
            .ok()
            .and_then(|v| Lang::from_tag(&v))
        {
            return l;
        }
        sys_locale::get_locales()
            .find_map(|t| Lang::from_tag(&t))
            .unwrap_or_default()
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The Fluent files of one language: (file name, text).
pub type Files = &'static [(&'static str, &'static str)];

macro_rules! files {
    ($lang:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../locales/", $lang, "/", $name)))),*]
    };
}

/// The areas of the app, one file each, the same in every language.
pub const EN_FILES: Files = files!("en":
    "common.ftl", "status.ftl", "session.ftl", "contract.ftl", "actions.ftl",
    "journal.ftl", "history.ftl", "pairing.ftl", "practice.ftl", "cli.ftl", "calendar.ftl", "reminders.ftl",
    "backup.ftl", "syncfile.ftl", "files.ftl",
);
pub const NL_FILES: Files = files!("nl":
    "common.ftl", "status.ftl", "session.ftl", "contract.ftl", "actions.ftl",
    "journal.ftl", "history.ftl", "pairing.ftl", "practice.ftl", "cli.ftl", "calendar.ftl", "reminders.ftl",
    "backup.ftl", "syncfile.ftl", "files.ftl",
);

/// The Fluent files of `lang`.
pub fn files(lang: Lang) -> Files {
    match lang {
        Lang::En => EN_FILES,
        Lang::Nl => NL_FILES,
    }
}

/// A problem with a Fluent file (only the tests and a debug build look).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub lang: Lang,
    pub file: &'static str,
    pub problem: String,
}

/// The translations of one language.
pub struct Tr {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    problems: Vec<FileProblem>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr").field("lang", &self.lang).finish()
    }
}

impl Tr {
    /// The translations of `lang`, built once per process and shared.
    pub fn get(lang: Lang) -> Arc<Tr> {
        static EN: OnceLock<Arc<Tr>> = OnceLock::new();
        static NL: OnceLock<Arc<Tr>> = OnceLock::new();
        let cell = match lang {
            Lang::En => &EN,
            Lang::Nl => &NL,
        };
        cell.get_or_init(|| Arc::new(Tr::build(lang))).clone()
    }

    fn build(lang: Lang) -> Tr {
        // A constant tag: parsing cannot fail, and "und" would only lose plurals.
        let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around arguments: the window's fonts would
        // draw them as boxes, and a terminal as garbage.
        bundle.set_use_isolating(false);
        let mut problems = Vec::new();
        for (file, text) in files(lang) {
            let res = match FluentResource::try_new((*text).to_string()) {
                Ok(r) => r,
                Err((r, errs)) => {
                    for e in errs {
                        problems.push(FileProblem {
                            lang,
                            file,
                            problem: format!("syntax: {e}"),
                        });
                    }
                    r
                }
            };
            if let Err(errs) = bundle.add_resource(res) {
                for e in errs {
                    problems.push(FileProblem {
                        lang,
                        file,
                        problem: format!("{e}"),
                    });
                }
            }
        }
        for p in &problems {
            tracing::warn!(target: "cocoach::i18n", lang = %p.lang, file = p.file, problem = %p.problem, "a translation file has a problem");
        }
        Tr {
            lang,
            bundle,
            problems,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Problems found while reading this language's files (empty when whole).
    pub fn problems(&self) -> &[FileProblem] {
        &self.problems
    }

    /// Whether the message `id` exists.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// `s` in this language if it is the id of a message (a reason the node gave
    /// as an id), else `s` as it is (an error's own words).
    pub fn id_or_text(&self, s: &str) -> String {
        if self.has(s) {
            self.t(s)
        } else {
            s.to_string()
        }
    }

    /// The message `id`, with no arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with arguments (see [`tr!`] for the short form).
    pub fn args(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut a = FluentArgs::with_capacity(args.len());
        for (k, v) in args {
            a.set(*k, v.clone());
        }
        self.format(id, Some(&a))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let (id, attr) = match id.split_once('.') {
            Some((m, a)) => (m, Some(a)),
            None => (id, None),
        };
        let pattern = self.bundle.get_message(id).and_then(|m| match attr {
            Some(a) => m.get_attribute(a).map(|a| a.value()),
            None => m.value(),
        });
        let Some(pattern) = pattern else {
            tracing::warn!(target: "cocoach::i18n", lang = %self.lang, id, "no such message");
            return id.to_string();
        };
        let mut errors = Vec::new();
        let s = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(target: "cocoach::i18n", lang = %self.lang, id, errors = errors.len(), "a message did not format cleanly");
        }
        s.into_owned()
    }

    /// Every message id of this language, sorted.
    pub fn ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for (_, text) in files(self.lang) {
            let res = match FluentResource::try_new((*text).to_string()) {
                Ok(r) | Err((r, _)) => r,
            };
            for entry in res.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    ids.push(m.id.name.to_string());
                }
            }
        }
        ids.sort();
        ids
    }

    /// A civil date the way this language writes it: "2 December 2026",
    /// "2 december 2026".
    pub fn date(&self, d: jiff::civil::Date) -> String {
        crate::tr!(
            self,
            "date-long",
            day = d.day(),
            month = self.month(d.month()),
            year = d.year()
        )
    }

    /// A civil date with its weekday: "Wednesday 2 December 2026".
    pub fn date_with_weekday(&self, d: jiff::civil::Date) -> String {
        let weekday = self.args(
            "weekday",
            &[("n", FluentValue::from(d.weekday().to_monday_one_offset()))],
        );
        crate::tr!(self, "date-weekday", weekday = weekday, date = self.date(d))
    }

    /// The name of month `m` (1–12).
    pub fn month(&self, m: i8) -> String {
        self.args("month", &[("n", FluentValue::from(m))])
    }
}

/// `tr!(tr, "id")` or `tr!(tr, "id", name = value, …)`: the message `id` of `tr`
/// (anything that derefs to a [`Tr`]), with each value turned into a Fluent argument
/// (text or number).
#[macro_export]
macro_rules! tr {
    ($tr:expr, $id:literal) => {
        $tr.t($id)
    };
    ($tr:expr, $id:literal, $($k:ident = $v:expr),+ $(,)?) => {
        $tr.args($id, &[$((stringify!($k), $crate::Value::from($v))),+])
    };
}

/// `key!("id")`: a message id kept for later (a command's description, shown if
/// it fails). It is the literal itself; the mark lets the test that checks every id
/// used in the code find it.
#[macro_export]
macro_rules! key {
    ($id:literal) => {
        $id
    };
}

#[cfg(test)]
mod tests;
