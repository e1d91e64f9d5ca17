//! Text bound for a terminal. Anything from the shared document — names, notes,
//! terms, conflicts — was written by either partner's device, and a buggy or
//! hostile one could have put terminal escape sequences in it (changing the window
//! title, hiding lines, faking a prompt). Every line the command line prints goes
//! through [`clean`]: control characters other than newline and tab, and the
//! bidirectional overrides that reorder what is shown, become `�`.

use std::borrow::Cow;

fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every character that could steer a terminal replaced by `�`.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(unsafe_char) {
        Cow::Owned(
            s.chars()
                .map(|c| if unsafe_char(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// `println!` through [`clean`].
macro_rules! say {
    ($($t:tt)*) => { println!("{}", $crate::term::clean(&format!($($t)*))) };
}

/// `print!` through [`clean`].
macro_rules! say_raw {
    ($($t:tt)*) => { print!("{}", $crate::term::clean(&format!($($t)*))) };
}

/// `eprintln!` through [`clean`].
macro_rules! esay {
    ($($t:tt)*) => { eprintln!("{}", $crate::term::clean(&format!($($t)*))) };
}

/// `eprint!` through [`clean`].
macro_rules! esay_raw {
    ($($t:tt)*) => { eprint!("{}", $crate::term::clean(&format!($($t)*))) };
}

pub(crate) use {esay, esay_raw, say, say_raw};

/// The words of the command line, in the system's language (`COCOACH_LANG`, else
/// the locale: `LC_ALL`, `LC_MESSAGES`, `LANG`).
pub fn tr() -> std::sync::Arc<cocoach_i18n::Tr> {
    cocoach_i18n::Tr::get(cocoach_i18n::Lang::from_system())
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn escapes_and_overrides_are_neutralised_and_text_kept() {
        assert_eq!(clean("Café Zürich\n\tü 😀"), "Café Zürich\n\tü 😀");
        assert_eq!(clean("a\x1b[31mred\x07"), "a\u{FFFD}[31mred\u{FFFD}");
        assert_eq!(clean("\u{9b}2J"), "\u{FFFD}2J", "C1 CSI");
        assert_eq!(clean("abc\u{202E}cba"), "abc\u{FFFD}cba");
        assert_eq!(clean("\r\x7f"), "\u{FFFD}\u{FFFD}");
    }
}
