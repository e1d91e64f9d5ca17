//! Shortcuts and looks shared by all screens.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Ctrl+1, Ctrl+2, … go to the screens in the order of the side bar.
pub fn screen_shortcut(i: usize) -> KeyboardShortcut {
    const KEYS: [Key; 9] = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ];
    KeyboardShortcut::new(Modifiers::COMMAND, KEYS[i.min(KEYS.len() - 1)])
}

/// Start today's session (on the Session screen).
pub const START_SESSION: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
/// Start or pause the timer of the half shown.
pub const TIMER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::T);
/// "What else?": add an option.
pub const WHAT_ELSE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);

/// Save the reflection being written (Journal).
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);

/// The colour for good news (connected, signed by both), readable in both themes.
/// A progress bar that shows nothing filled at zero: egui's draws a filled
/// circle at least as wide as the bar is high, which read as a dot (or a value)
/// where nothing is done yet.
pub fn progress_bar(fraction: f32) -> egui::ProgressBar {
    let bar = egui::ProgressBar::new(fraction);
    if fraction <= 0.0 {
        bar.fill(egui::Color32::TRANSPARENT)
    } else {
        bar
    }
}

pub fn good(ui: &egui::Ui) -> egui::Color32 {
    if ui.visuals().dark_mode {
        egui::Color32::from_rgb(110, 200, 120)
    } else {
        egui::Color32::from_rgb(20, 120, 40)
    }
}

/// The theme picker: follow the system, dark or light (egui's own buttons are in
/// English only).
pub fn preference_buttons(ui: &mut egui::Ui, tr: &cocoach_i18n::Tr) {
    use cocoach_i18n::tr;
    use egui::ThemePreference as P;
    let mut pref = ui.ctx().options(|o| o.theme_preference);
    let before = pref;
    ui.horizontal(|ui| {
        ui.selectable_value(&mut pref, P::System, tr!(tr, "theme-system"));
        ui.selectable_value(&mut pref, P::Dark, tr!(tr, "theme-dark"));
        ui.selectable_value(&mut pref, P::Light, tr!(tr, "theme-light"));
    });
    if pref != before {
        ui.ctx().set_theme(pref);
    }
}
