//! The desktop window: eframe around `cocoach_ui::CocoachUi`, with the node on a
//! tokio runtime beside it. The UI thread never waits on the node.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use cocoach_node::{NodeConfig, NodeHandle};
use cocoach_store::{DataDir, DirLock};
use cocoach_ui::CocoachUi;

/// The window: one partner's view, or (the demo) two side by side.
pub struct Window {
    panes: Vec<CocoachUi>,
    /// The pane the user last pressed a mouse button in: keyboard shortcuts act there.
    active: usize,
    /// `COCOACH_PROBE_STARTUP=1`: print when the first frame was painted and when
    /// the partnership was first shown (from process start), then close.
    probe: Option<Probe>,
    /// Desktop reminders while the window runs (`crate::remind`).
    reminders: Option<crate::remind::Watcher>,
    /// Each pane's restore from a backup (Files screen), in the order of `panes`.
    restorers: Vec<crate::desk::Restorer>,
}

/// One pane of the window: its node, the name shown under the app's name, and the
/// lock on its data directory (held by this process; a restore works under it).
pub struct PaneSpec {
    pub cfg: NodeConfig,
    pub title: Option<String>,
    pub lock: DirLock,
}

struct Probe {
    frames: u32,
    painted: Option<Duration>,
}

impl Window {
    pub fn new(panes: Vec<CocoachUi>) -> Window {
        let probe = std::env::var_os("COCOACH_PROBE_STARTUP").map(|_| Probe {
            frames: 0,
            painted: None,
        });
        Window {
            panes,
            active: 0,
            probe,
            reminders: None,
            restorers: Vec::new(),
        }
    }

    /// Send the reminders due for the panes, every minute, while the window runs.
    pub fn with_reminders(mut self, w: crate::remind::Watcher) -> Window {
        self.reminders = Some(w);
        self
    }

    fn probe(&mut self, ui: &egui::Ui) {
        let Some(p) = self.probe.as_mut() else { return };
        p.frames += 1;
        let since_start = crate::started().elapsed();
        // A second frame starts only after the first was painted and shown.
        if p.frames == 2 && p.painted.is_none() {
            tracing::info!(ms = since_start.as_millis(), "first frame painted");
            p.painted = Some(since_start);
            eprintln!(
                "startup: first frame painted {:.0} ms after the process started",
                since_start.as_secs_f64() * 1000.0
            );
        }
        let shown = self
            .panes
            .iter()
            .all(|x| x.view.as_ref().is_some_and(|v| v.partnership.is_some()));
        if shown && p.painted.is_some() {
            tracing::info!(ms = since_start.as_millis(), "partnership shown");
            eprintln!(
                "startup: partnership shown {:.0} ms after the process started",
                since_start.as_secs_f64() * 1000.0
            );
            self.probe = None;
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        } else {
            ui.ctx().request_repaint();
        }
    }
}

/// Where the window's own state (size, position, theme, language) is kept.
const LANG_KEY: &str = "cocoach.language";

impl eframe::App for Window {
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(p) = self.panes.first() {
            storage.set_string(LANG_KEY, p.lang().code().to_string());
        }
    }

    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        for p in &mut self.panes {
            p.logic();
        }
        for (r, p) in self.restorers.iter_mut().zip(&mut self.panes) {
            r.tick(p);
        }
        if let Some(r) = &mut self.reminders {
            r.tick(&mut self.panes, Instant::now());
            // An idle window paints no frames: one a minute, to look again.
            ctx.request_repaint_after(crate::remind::EVERY);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let n = self.panes.len().max(1) as f32;
        let full = ui.max_rect();
        let width = full.width() / n;
        let pressed_at = ui.input(|i| {
            i.pointer
                .any_pressed()
                .then(|| i.pointer.interact_pos())
                .flatten()
        });
        if let Some(p) = pressed_at
            && full.contains(p)
        {
            self.active =
                (((p.x - full.min.x) / width) as usize).min(self.panes.len().saturating_sub(1));
        }
        for (i, pane) in self.panes.iter_mut().enumerate() {
            pane.shortcuts_enabled = i == self.active;
            let mut rect = full;
            rect.min.x = full.min.x + width * i as f32;
            rect.max.x = rect.min.x + width;
            ui.scope_builder(
                egui::UiBuilder::new().max_rect(rect).id_salt(("pane", i)),
                |ui| {
                    ui.set_clip_rect(rect);
                    pane.ui(ui);
                },
            );
        }
        for i in 1..self.panes.len() {
            let x = full.min.x + width * i as f32;
            ui.painter().vline(
                x,
                full.y_range(),
                egui::Stroke::new(3.0, ui.visuals().widgets.noninteractive.bg_stroke.color),
            );
        }
        self.probe(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        tracing::info!("window closing");
        // Everything is saved as it is made; this closes connections politely.
        for p in &mut self.panes {
            p.shutdown();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.panes.iter().all(CocoachUi::is_stopped) && Instant::now() < deadline {
            for p in &mut self.panes {
                p.logic();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if !self.panes.iter().all(CocoachUi::is_stopped) {
            tracing::warn!("a node did not stop within 5 s");
        }
    }
}

/// The node's background runtime.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("cocoach-node")
        .enable_all()
        .build()
        .context("cannot start the background worker")
}

/// Open a window of `size` titled `title` over one node per pane, and run until it
/// is closed. Its state is kept in eframe's default place for `title`.
pub fn open(
    rt: &tokio::runtime::Runtime,
    title: &str,
    size: [f32; 2],
    panes: Vec<PaneSpec>,
) -> Result<()> {
    open_keeping(rt, title, size, panes, None)
}

/// [`open`], keeping the window's state (size, position, theme, language) in the
/// folder `state` if given.
pub fn open_keeping(
    rt: &tokio::runtime::Runtime,
    title: &str,
    size: [f32; 2],
    panes: Vec<PaneSpec>,
    state: Option<PathBuf>,
) -> Result<()> {
    let options = eframe::NativeOptions {
        persistence_path: state,
        viewport: egui::ViewportBuilder::default()
            .with_title(title)
            .with_app_id("cocoach")
            .with_inner_size(size)
            .with_min_inner_size([720.0, 480.0]),
        ..Default::default()
    };
    let handle = rt.handle().clone();
    let dirs: Vec<DataDir> = panes.iter().map(|p| p.cfg.data_dir.clone()).collect();
    tracing::info!(panes = panes.len(), "opening the window");
    eframe::run_native(
        title,
        options,
        Box::new(move |cc| {
            let ctx = cc.egui_ctx.clone();
            let wake: cocoach_node::Wake = Arc::new(move || ctx.request_repaint());
            // The language picked in an earlier run, else the system's.
            let lang = cc
                .storage
                .and_then(|s| s.get_string(LANG_KEY))
                .and_then(|code| cocoach_i18n::Lang::from_tag(&code))
                .unwrap_or_else(cocoach_i18n::Lang::from_system);
            let mut uis = Vec::new();
            let mut restorers = Vec::new();
            for spec in panes {
                let node = NodeHandle::spawn(&handle, spec.cfg.clone(), wake.clone());
                let mut ui = CocoachUi::new(Box::new(node));
                ui.set_lang(lang);
                ui.title = spec.title;
                let (desk, link) =
                    crate::desk::AppDesk::new(spec.cfg.data_dir.clone(), wake.clone());
                ui.set_desk(Box::new(desk));
                restorers.push(crate::desk::Restorer::new(
                    link,
                    spec.cfg,
                    spec.lock,
                    handle.clone(),
                    wake.clone(),
                ));
                uis.push(ui);
            }
            let ctx = cc.egui_ctx.clone();
            let reminders = crate::remind::Watcher::start(
                dirs,
                Box::new(crate::remind::Desktop),
                Arc::new(move || ctx.request_repaint()),
            );
            let mut w = Window::new(uis).with_reminders(reminders);
            w.restorers = restorers;
            Ok(Box::new(w))
        }),
    )
    .map_err(|e| {
        anyhow!(
            "the window could not be opened: {}",
            cocoach_doc::error_text(&e)
        )
    })
}

/// Open the window on `data_dir` (created on first run) and run until it is closed.
pub fn run(data_dir: PathBuf) -> Result<()> {
    let dir = DataDir::new(data_dir);
    // The window's state lives with the data it shows (a second data directory is a
    // second window with its own size and language).
    let state = dir.root().join("window");
    let lock = dir
        .lock()
        .context("cannot open the data directory (is cocoach already running on it?)")?;
    crate::logging::init(Some(dir.root()));
    tracing::info!(command = "window", "cocoach {}", env!("CARGO_PKG_VERSION"));
    let rt = runtime()?;
    let cfg = NodeConfig {
        data_dir: dir.clone(),
        bind: std::net::SocketAddr::from(([0, 0, 0, 0], 0)),
        mdns: true,
        tap: None,
        received: None,
        panic_on_receive: None,
    };
    open_keeping(
        &rt,
        "cocoach",
        [1100.0, 760.0],
        vec![PaneSpec {
            cfg,
            title: None,
            lock,
        }],
        Some(state),
    )?;
    rt.shutdown_timeout(Duration::from_secs(2));
    Ok(())
}
