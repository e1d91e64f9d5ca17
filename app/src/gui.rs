//! The desktop window: eframe around `cocoach_ui::CocoachUi`, with the node on a
//! tokio runtime beside it. The UI thread never waits on the node.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use cocoach_node::{NodeConfig, NodeHandle};
use cocoach_store::DataDir;
use cocoach_ui::CocoachUi;

struct Window {
    ui: CocoachUi,
}

impl eframe::App for Window {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.ui.logic();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui.ui(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Everything is saved as it is made; this closes connections politely.
        self.ui.shutdown();
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.ui.is_stopped() && Instant::now() < deadline {
            self.ui.logic();
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Open the window on `data_dir` (created on first run) and run until it is closed.
pub fn run(data_dir: PathBuf) -> Result<()> {
    let dir = DataDir::new(data_dir);
    let _lock = dir
        .lock()
        .context("cannot open the data directory (is cocoach already running on it?)")?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("cocoach-node")
        .enable_all()
        .build()
        .context("cannot start the background worker")?;
    let cfg = NodeConfig {
        data_dir: dir,
        bind: std::net::SocketAddr::from(([0, 0, 0, 0], 0)),
        mdns: true,
        tap: None,
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("cocoach")
            .with_app_id("cocoach")
            .with_inner_size([1100.0, 760.0])
            .with_min_inner_size([720.0, 480.0]),
        ..Default::default()
    };
    let handle = rt.handle().clone();
    eframe::run_native(
        "cocoach",
        options,
        Box::new(move |cc| {
            let ctx = cc.egui_ctx.clone();
            let wake: cocoach_node::Wake = Arc::new(move || ctx.request_repaint());
            let node = NodeHandle::spawn(&handle, cfg, wake);
            Ok(Box::new(Window {
                ui: CocoachUi::new(Box::new(node)),
            }))
        }),
    )
    .map_err(|e| anyhow!("the window could not be opened: {e}"))?;
    rt.shutdown_timeout(Duration::from_secs(2));
    Ok(())
}
