//! From the generated IDL: no instruction lets the authority take vault funds. Only
//! `initialize` (which creates them), `burn_io_fees` (burns the IO vault into supply) and
//! `fill_buyback` (pays a seller who burned IO) touch the fee vaults, and none of these takes
//! the authority.

use std::collections::BTreeSet;

fn idl() -> serde_json::Value {
    let path = format!("{}/../idl/revenue.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn instructions_with(account: &str) -> BTreeSet<String> {
    idl()["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|ix| {
            ix["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["name"] == account)
        })
        .map(|ix| ix["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_authority_cannot_move_vault_funds() {
    let set =
        |names: &[&str]| -> BTreeSet<String> { names.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        instructions_with("io_vault"),
        set(&["burn_io_fees", "initialize"])
    );
    assert_eq!(
        instructions_with("usdc_vault"),
        set(&["fill_buyback", "initialize"])
    );
    let with_authority = instructions_with("authority");
    assert!(with_authority.contains("update_params"));
    assert!(with_authority.contains("set_paused"));
    for moving in ["burn_io_fees", "fill_buyback"] {
        assert!(!with_authority.contains(moving), "{moving}");
    }
    assert_eq!(idl()["address"], ::revenue::ID.to_string());
}
