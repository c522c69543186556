//! `ngpu-keeper`: see the library (`ngpu_keeper::run`) and app/keeper/README.md.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "ngpu-keeper",
    version,
    about = "Keeps the NGPU programs moving: cranks ended hours, activates nodes, settles \
             reservations, burns IO fees, finalizes slashes"
)]
struct Cli {
    #[command(flatten)]
    args: ngpu_keeper::Args,
}

fn main() {
    let cli = Cli::parse();
    let config = match cli.args.resolve() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let shutdown = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) = signal_hook::flag::register(signal, shutdown.clone()) {
            eprintln!("error: cannot handle signal {signal}: {e}");
            std::process::exit(1);
        }
    }
    if let Err(e) = ngpu_keeper::run(config, shutdown) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
