//! The CLI's Solana conventions and input validation, through the real binary, without an
//! endpoint: help lists the common flags, bad input gets the app's own message before anything
//! is sent, and a refused connection (by `-u` or by a `-C` config file) says so with its URL.

use std::path::Path;
use std::process::{Command, Output};

fn ngpu(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ngpu"))
        .args(args)
        // A fresh HOME: no ~/.config/solana of the machine's user leaks in.
        .env("HOME", home)
        .env_remove("RUSTUP_TOOLCHAIN")
        .output()
        .expect("ngpu runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A local port nobody listens on.
fn closed_port_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

const NODE: &str = "11111111111111111111111111111112";

#[test]
fn help_lists_the_common_flags() {
    let home = tempfile::tempdir().unwrap();
    for command in [
        vec!["stake", "--help"],
        vec!["crank", "--help"],
        vec!["node", "show", "--help"],
        vec!["admin", "pause", "--help"],
        vec!["vesting", "claim", "--help"],
    ] {
        let o = ngpu(home.path(), &command);
        assert!(o.status.success(), "{command:?}");
        let help = String::from_utf8_lossy(&o.stdout);
        for flag in [
            "-u, --url",
            "-k, --keypair",
            "-C, --config",
            "--commitment",
            "--with-compute-unit-price",
            "--dry-run",
            "--sign-only",
            "--output",
        ] {
            assert!(
                help.contains(flag),
                "{command:?} help lacks {flag}:\n{help}"
            );
        }
    }
}

#[test]
fn a_negative_amount_gets_the_apps_message() {
    let home = tempfile::tempdir().unwrap();
    let url = closed_port_url();
    for args in [
        vec!["stake", "--node", NODE, "--amount", "-5", "-u", &url],
        vec!["unstake", "--node", NODE, "--amount", "-0.5", "-u", &url],
    ] {
        let o = ngpu(home.path(), &args);
        assert!(!o.status.success());
        let err = stderr(&o);
        assert!(err.contains("must be positive"), "{args:?}: {err}");
    }
    let o = ngpu(
        home.path(),
        &["stake", "--node", NODE, "--amount", "0", "-u", &url],
    );
    assert!(stderr(&o).contains("greater than zero"), "{}", stderr(&o));
    let o = ngpu(
        home.path(),
        &["stake", "--node", NODE, "--amount", "800000001", "-u", &url],
    );
    assert!(stderr(&o).contains("more than the cap"), "{}", stderr(&o));
}

#[test]
fn crank_hours_are_one_to_twenty_four() {
    let home = tempfile::tempdir().unwrap();
    let url = closed_port_url();
    for hours in ["25", "0", "-1"] {
        let o = ngpu(home.path(), &["crank", "--hours", hours, "-u", &url]);
        assert!(!o.status.success());
        let err = stderr(&o);
        assert!(err.contains("1 to 24"), "--hours {hours}: {err}");
        assert!(
            !err.contains("cannot reach"),
            "validated before any request: {err}"
        );
    }
}

#[test]
fn a_plot_path_is_checked_before_the_run() {
    let home = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    let o = ngpu(
        home.path(),
        &[
            "simulate",
            "--hours",
            "48",
            "--plot",
            "/nonexistent/dir/x.svg",
        ],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("/nonexistent/dir") && err.contains("does not exist"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "no report printed");
    assert!(
        start.elapsed().as_secs() < 20,
        "refused before the simulation"
    );
}

#[test]
fn a_refused_connection_says_so() {
    let home = tempfile::tempdir().unwrap();
    let url = closed_port_url();
    let o = ngpu(
        home.path(),
        &["node", "show", "--node", NODE, "--url", &url],
    );
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&format!("cannot reach {url}: connection refused")),
        "{err}"
    );
    assert!(!err.contains("AccountNotFound"), "{err}");
}

#[test]
fn a_config_file_is_honoured() {
    let home = tempfile::tempdir().unwrap();
    let url = closed_port_url();
    let config = home.path().join("ngpu-test.yml");
    std::fs::write(
        &config,
        format!(
            "---\njson_rpc_url: \"{url}\"\nwebsocket_url: \"\"\nkeypair_path: /nonexistent/id.json\n\
             address_labels: {{}}\ncommitment: confirmed\n"
        ),
    )
    .unwrap();
    let o = ngpu(
        home.path(),
        &[
            "node",
            "show",
            "--node",
            NODE,
            "-C",
            config.to_str().unwrap(),
        ],
    );
    let err = stderr(&o);
    assert!(err.contains(&format!("cannot reach {url}")), "{err}");
    // The default location under HOME is read too, and its keypair used for signing.
    let default = home.path().join(".config/solana/cli/config.yml");
    std::fs::create_dir_all(default.parent().unwrap()).unwrap();
    std::fs::copy(&config, &default).unwrap();
    let o = ngpu(home.path(), &["node", "show", "--node", NODE]);
    assert!(
        stderr(&o).contains(&format!("cannot reach {url}")),
        "{}",
        stderr(&o)
    );
    let o = ngpu(home.path(), &["crank"]);
    let err = stderr(&o);
    assert!(err.contains("/nonexistent/id.json"), "{err}");
    // --output json is accepted on transaction commands.
    let o = ngpu(
        home.path(),
        &[
            "crank",
            "--output",
            "json",
            "-u",
            &url,
            "-k",
            "/nonexistent/k.json",
        ],
    );
    assert!(stderr(&o).contains("/nonexistent/k.json"), "{}", stderr(&o));
}
