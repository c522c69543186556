//! `ngpu keeper`: the keeper bot in this process (crate app/keeper, also `ngpu-keeper`).

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Runs until SIGINT / SIGTERM, then finishes the transaction in flight and returns.
pub fn run(args: ngpu_keeper::Args) -> Result<(), String> {
    let config = args.resolve()?;
    let shutdown = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, shutdown.clone())
            .map_err(|e| format!("cannot handle signal {signal}: {e}"))?;
    }
    ngpu_keeper::run(config, shutdown)
}
