//! `ngpu localnet …` runs the `ngpu-localnet` binary (crate app/localnet-rpc), git-style: the
//! endpoint pulls in surfpool and its ~400 crates, which the CLI itself should not need to build.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

/// Where `ngpu-<name>` is: beside this executable (cargo puts every workspace binary in the same
/// folder), else on PATH.
fn locate(name: &str) -> PathBuf {
    let file = format!("ngpu-{name}");
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&file)))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from(file))
}

/// Runs `ngpu-<name> args…` with this process's stdio and returns its exit code. On Unix the
/// process becomes `ngpu-<name>` (exec): a SIGTERM or SIGINT sent to `ngpu` reaches the endpoint
/// itself, which stops cleanly, instead of killing a wrapper and orphaning the endpoint.
pub fn run(name: &str, args: Vec<OsString>) -> Result<i32, String> {
    let program = locate(name);
    let not_built = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "`ngpu {name}` needs the ngpu-{name} binary, which is not built: run \
                 `cargo build -p ngpu-localnet-rpc` (or `cargo run -p ngpu-localnet-rpc --bin ngpu-{name}`)"
            )
        } else {
            format!("{}: {e}", program.display())
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Returns only if the exec failed.
        let e = Command::new(&program).args(args).exec();
        Err(not_built(e))
    }
    #[cfg(not(unix))]
    {
        let status = Command::new(&program)
            .args(args)
            .status()
            .map_err(not_built)?;
        Ok(status.code().unwrap_or(1))
    }
}
