use std::collections::BTreeSet;
use std::path::Path;

use super::*;

#[test]
fn every_file_of_both_languages_reads_without_an_error() {
    for lang in Lang::ALL {
        let tr = Tr::get(lang);
        assert_eq!(tr.problems(), &[] as &[FileProblem], "{lang}");
        assert!(!tr.ids().is_empty());
    }
}

#[test]
fn both_languages_have_the_same_messages() {
    let en: BTreeSet<String> = Tr::get(Lang::En).ids().into_iter().collect();
    let nl: BTreeSet<String> = Tr::get(Lang::Nl).ids().into_iter().collect();
    let only_en: Vec<_> = en.difference(&nl).collect();
    let only_nl: Vec<_> = nl.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_nl.is_empty(),
        "missing in Dutch: {only_en:?}\nmissing in English: {only_nl:?}"
    );
}

/// Message ids the code names: `tr!(x, "id"`, `.t("id")` and `key!("id")`.
fn ids_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in ["tr!(", ".t(\"", "key!(\""] {
        let mut rest = text;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i + marker.len()..];
            let after = if marker == "tr!(" {
                // The first string literal after the translator argument.
                let Some(q) = rest.find('"') else { break };
                if rest[..q].contains(';') {
                    continue; // the macro's own definition, or not a call
                }
                &rest[q + 1..]
            } else {
                rest
            };
            if let Some(end) = after.find('"') {
                let id = &after[..end];
                if !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                {
                    out.push(id.to_string());
                }
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "target") {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_message_the_code_names_exists_in_both_languages() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| here.join("../.."));
    let mut files = Vec::new();
    for dir in ["crates", "app", "tests"] {
        rust_files(&root.join(dir), &mut files);
    }
    // This crate's own sources name made-up ids to test the scan.
    let own = root.join("crates/cocoach-i18n/src");
    files.retain(|f| !f.starts_with(&own));
    assert!(files.len() > 20, "found the sources");
    let mut used = BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for id in ids_in(&text) {
            used.insert((id, f.strip_prefix(&root).unwrap_or(f).display().to_string()));
        }
    }
    assert!(used.len() > 10, "the scan finds the ids the code names");
    let mut missing = Vec::new();
    for lang in Lang::ALL {
        let tr = Tr::get(lang);
        for (id, file) in &used {
            let message = id.split('.').next().unwrap_or_default();
            let found = tr.has(message) && (!id.contains('.') || tr.t(id) != *id);
            if !found {
                missing.push(format!("{lang}: {id} (named in {file})"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing messages:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_scan_finds_every_form() {
    let src = r#"tr!(self, "a-b", n = 1); tr.t("c"); let k = key!("d-e.f"); x.t(y);"#;
    assert_eq!(ids_in(src), ["a-b", "c", "d-e.f"]);
}

#[test]
fn plurals_follow_each_language() {
    let en = Tr::get(Lang::En);
    let nl = Tr::get(Lang::Nl);
    assert_eq!(tr!(en, "n-days", n = 1), "1 day");
    assert_eq!(tr!(en, "n-days", n = 3), "3 days");
    assert_eq!(tr!(nl, "n-days", n = 1), "1 dag");
    assert_eq!(tr!(nl, "n-days", n = 3), "3 dagen");
}

#[test]
fn dates_are_written_the_way_each_language_writes_them() {
    let d = jiff::civil::date(2026, 12, 2);
    assert_eq!(Tr::get(Lang::En).date(d), "2 December 2026");
    assert_eq!(Tr::get(Lang::Nl).date(d), "2 december 2026");
    assert_eq!(
        Tr::get(Lang::Nl).date_with_weekday(d),
        "woensdag 2 december 2026"
    );
    assert_eq!(
        Tr::get(Lang::En).date_with_weekday(d),
        "Wednesday 2 December 2026"
    );
}

#[test]
fn a_missing_message_shows_its_id_and_does_not_fail() {
    assert_eq!(Tr::get(Lang::Nl).t("no-such-message"), "no-such-message");
}

#[test]
fn locale_tags_pick_the_language() {
    assert_eq!(Lang::from_tag("nl_NL.UTF-8"), Some(Lang::Nl));
    assert_eq!(Lang::from_tag("nl-BE"), Some(Lang::Nl));
    assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
    assert_eq!(Lang::from_tag("C"), None);
    assert_eq!(Lang::from_tag("fr-FR"), None);
}
