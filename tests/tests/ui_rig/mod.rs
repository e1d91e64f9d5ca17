//! The two-window harness the UI tests share: each window over a real node on
//! loopback, driven headless with egui_kittest.

#![allow(dead_code)] // each test file uses its own part of it

use std::sync::Arc;
use std::time::{Duration, Instant};

use cocoach_i18n::{Lang, Tr, tr};
use cocoach_node::{NodeConfig, NodeHandle};
use cocoach_store::DataDir;
use cocoach_ui::CocoachUi;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

pub struct Rig {
    rt: tokio::runtime::Runtime,
    pub _dirs: Vec<tempfile::TempDir>,
}

impl Rig {
    pub fn new() -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        Rig {
            rt,
            _dirs: Vec::new(),
        }
    }

    pub fn window(&mut self) -> Harness<'static, CocoachUi> {
        self.window_in(Lang::En)
    }

    /// A window speaking `lang`.
    pub fn window_in(&mut self, lang: Lang) -> Harness<'static, CocoachUi> {
        self.window_over(tempfile::tempdir().unwrap(), lang)
    }

    /// The data directory of the `n`th window opened (0: the first).
    pub fn dir(&self, n: usize) -> DataDir {
        DataDir::new(self._dirs[n].path())
    }

    /// A window speaking `lang` over the data directory `dir` (kept until the rig
    /// is dropped).
    pub fn window_over(
        &mut self,
        dir: tempfile::TempDir,
        lang: Lang,
    ) -> Harness<'static, CocoachUi> {
        let cfg = NodeConfig {
            data_dir: DataDir::new(dir.path()),
            bind: "127.0.0.1:0".parse().unwrap(),
            mdns: false,
            tap: None,
            received: None,
            panic_on_receive: None,
        };
        self._dirs.push(dir);
        let node = NodeHandle::spawn(self.rt.handle(), cfg, Arc::new(|| {}));
        Harness::builder()
            // Tall enough for a whole half of a session: a click on a widget
            // scrolled out of view is ignored, as with a mouse.
            .with_size([1100.0, 1600.0])
            .build_ui_state(
                |ui, app: &mut CocoachUi| {
                    app.logic();
                    app.ui(ui);
                },
                {
                    let mut ui = CocoachUi::new(Box::new(node));
                    ui.set_lang(lang);
                    ui
                },
            )
    }
}

/// Step the window until `done` holds (the node answers asynchronously).
pub fn until(
    h: &mut Harness<'_, CocoachUi>,
    what: &str,
    done: impl Fn(&Harness<'_, CocoachUi>) -> bool,
) {
    let start = Instant::now();
    loop {
        h.step();
        if done(h) {
            h.step();
            return;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let seen: Vec<String> = h
                .query_all_by_role(Role::Label)
                .filter_map(|n| n.accesskit_node().value())
                .collect();
            panic!("timed out waiting for: {what}\non screen: {seen:#?}");
        }
        std::thread::sleep(Duration::from_millis(15));
    }
}

pub fn shows(h: &Harness<'_, CocoachUi>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

pub fn type_into(h: &mut Harness<'_, CocoachUi>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
    h.step();
}

/// The verification code on a window: the label that reads "123 456".
pub fn code_on(h: &Harness<'_, CocoachUi>) -> String {
    h.query_all_by_role(Role::Label)
        .filter_map(|n| n.accesskit_node().value())
        .find(|l| {
            l.len() == 7
                && l.as_bytes()[3] == b' '
                && l.chars().filter(char::is_ascii_digit).count() == 6
        })
        .expect("a verification code on screen")
}

/// First run and pairing on two windows speaking `lang`, through the screens, with
/// every label read from that language's messages.
pub fn paired_in(
    rig: &mut Rig,
    lang: Lang,
) -> (Harness<'static, CocoachUi>, Harness<'static, CocoachUi>) {
    let tr = Tr::get(lang);
    let mut a = rig.window_in(lang);
    let mut b = rig.window_in(lang);
    for h in [&mut a, &mut b] {
        until(h, "the first-run screen", |h| {
            shows(h, &tr!(tr, "pairing-welcome"))
        });
    }
    type_into(&mut a, &tr!(tr, "pairing-your-name"), "Ana Müller");
    a.get_by_label(&tr!(tr, "pairing-create")).click();
    let invite = tr!(tr, "pairing-invite-partner");
    until(&mut a, "the Partner screen", |h| shows(h, &invite));
    a.get_by_role_and_label(Role::Button, &invite).click();
    until(&mut a, "the invite", |h| {
        h.query_by_label(&tr!(tr, "pairing-qr-name")).is_some()
    });
    let ticket = a
        .get_by_label(&tr!(tr, "pairing-invite"))
        .value()
        .expect("the invite text");
    type_into(&mut b, &tr!(tr, "pairing-your-name"), "Bo Lindqvist");
    type_into(&mut b, &tr!(tr, "pairing-invite-from-partner"), &ticket);
    b.get_by_label(&tr!(tr, "pairing-join")).click();
    confirm_codes(&mut a, &mut b, &tr);
    let connected = tr!(tr, "status-connected", partner = "Ana Müller");
    until(&mut b, "B connected", |h| shows(h, &connected));
    let connected = tr!(tr, "status-connected", partner = "Bo Lindqvist");
    until(&mut a, "A connected", |h| shows(h, &connected));
    (a, b)
}

/// Host `a` and guest `b` (Bo Lindqvist) each show their code: wait for both, check
/// they are the same, type each into the other window and confirm on both.
pub fn confirm_codes(a: &mut Harness<'_, CocoachUi>, b: &mut Harness<'_, CocoachUi>, tr: &Tr) {
    let theirs_on_b = tr!(tr, "pairing-their-code", partner = tr!(tr, "your-partner"));
    until(b, "B's code", |h| h.query_by_label(&theirs_on_b).is_some());
    let theirs_on_a = tr!(tr, "pairing-their-code", partner = "Bo Lindqvist");
    until(a, "A's code", |h| h.query_by_label(&theirs_on_a).is_some());
    let (code_a, code_b) = (code_on(a), code_on(b));
    assert_eq!(code_a, code_b, "both windows derive the same code");
    type_into(a, &theirs_on_a, &code_b);
    type_into(b, &theirs_on_b, &code_a);
    a.get_by_label(&tr!(tr, "pairing-confirm")).click();
    b.get_by_label(&tr!(tr, "pairing-confirm")).click();
    a.step();
    b.step();
}
