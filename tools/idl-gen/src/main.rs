//! Generates the Anchor IDL of each program natively (no anchor-cli, no SBF toolchain).
//!
//! `cargo run -p idl-gen -- <program_dir> <out.json>` for one program, or with no arguments
//! every program listed in `PROGRAMS` into `idl/`. `--check` compares instead of writing and
//! exits 1 if a committed IDL is stale.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// (program folder, IDL file name).
const PROGRAMS: &[(&str, &str)] = &[
    ("programs/io-token", "io_token.json"),
    ("programs/vesting", "vesting.json"),
    ("programs/staking", "staking.json"),
    ("programs/revenue", "revenue.json"),
    ("programs/reservations", "reservations.json"),
];

fn main() -> ExitCode {
    // anchor-lang-idl 0.1.4 runs `rustup toolchain install $RUSTUP_TOOLCHAIN` when the variable
    // is set (and cargo run sets it): never let it touch the toolchain.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let jobs: Vec<(PathBuf, PathBuf)> = match paths.as_slice() {
        [] => PROGRAMS
            .iter()
            .map(|(dir, file)| (root.join(dir), root.join("idl").join(file)))
            .collect(),
        [dir, out] => vec![(PathBuf::from(dir), PathBuf::from(out))],
        _ => {
            eprintln!("usage: idl-gen [--check] [<program_dir> <out.json>]");
            return ExitCode::from(2);
        }
    };
    let mut stale = false;
    for (dir, out) in jobs {
        let json = match generate(&dir) {
            Ok(json) => json,
            Err(e) => {
                eprintln!("idl-gen: {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
        };
        if check {
            let committed = std::fs::read_to_string(&out).unwrap_or_default();
            if committed != json {
                eprintln!(
                    "idl-gen: {} is stale: run `cargo run -p idl-gen`",
                    out.display()
                );
                stale = true;
            } else {
                println!("idl-gen: {} is up to date", out.display());
            }
        } else if let Err(e) = std::fs::write(&out, &json) {
            eprintln!("idl-gen: {}: {e}", out.display());
            return ExitCode::FAILURE;
        } else {
            println!("idl-gen: wrote {}", out.display());
        }
    }
    if stale {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn generate(dir: &Path) -> Result<String, String> {
    let dir = std::fs::canonicalize(dir).map_err(|e| e.to_string())?;
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(dir)
        .build()
        .map_err(|e| e.to_string())?;
    let mut json = serde_json::to_string_pretty(&idl).map_err(|e| e.to_string())?;
    json.push('\n');
    Ok(json)
}
