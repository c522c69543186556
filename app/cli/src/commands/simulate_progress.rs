//! The progress bar of `ngpu simulate` (on stderr, drawn only once a run has lasted a second,
//! and never with `--quiet` or `--output json`), and the time each phase took (`--timings`).

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs shorter than this never show a bar.
const SHOW_AFTER: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
    phase: &'static str,
    phase_started: Instant,
    /// (phase, seconds), in order.
    pub phases: Vec<(&'static str, f64)>,
}

impl Progress {
    /// A bar of `total` steps; `enabled: false` only records the phases' times.
    pub fn new(total: u64, enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {pos}/{len} {msg} (eta {eta})",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        let now = Instant::now();
        Self {
            bar,
            started: now,
            shown: false,
            phase: "start",
            phase_started: now,
            phases: Vec::new(),
        }
    }

    /// Starts phase `name` (ending the previous one).
    pub fn phase(&mut self, name: &'static str) {
        self.end_phase();
        self.phase = name;
        self.phase_started = Instant::now();
        if let Some(bar) = &self.bar {
            bar.set_message(name);
        }
    }

    fn end_phase(&mut self) {
        let seconds = self.phase_started.elapsed().as_secs_f64();
        self.phases.push((self.phase, seconds));
    }

    /// Advances by `steps`.
    pub fn inc(&mut self, steps: u64) {
        let Some(bar) = &self.bar else {
            return;
        };
        if !self.shown && self.started.elapsed() >= SHOW_AFTER {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        bar.inc(steps);
    }

    /// Clears the bar and closes the last phase.
    pub fn finish(&mut self) {
        self.end_phase();
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
