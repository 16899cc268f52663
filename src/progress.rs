//! Progress bars on stderr for long reads (SPEC §9): only when stderr is a terminal, not
//! under `-q`, and only for files big enough to take about a second.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Below this many bytes (about 100k ledger rows) a read takes well under a second.
const WORTH_SHOWING: u64 = 8 << 20;

/// Turns bars on for this run when stderr is a terminal and the user did not ask for quiet.
pub fn enable(quiet: bool) {
    ENABLED.store(!quiet && std::io::stderr().is_terminal(), Ordering::Relaxed);
}

/// A bar over `len` bytes of `label`, or a hidden one when not worth showing.
pub fn bytes(label: &str, len: u64) -> ProgressBar {
    if !ENABLED.load(Ordering::Relaxed) || len < WORTH_SHOWING {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(label.to_owned());
    bar
}
