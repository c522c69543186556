//! RELIABILITY.md S16 from the generated IDL: only `initialize` (which creates the mint),
//! `genesis` and `mint_emission` ever see the mint authority PDA, and only the last two can
//! write to the IO mint after it exists.

use std::collections::BTreeSet;

fn idl() -> serde_json::Value {
    let path = format!("{}/../idl/io_token.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn instructions_with(account: &str, writable: bool) -> BTreeSet<String> {
    idl()["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|ix| {
            ix["accounts"].as_array().unwrap().iter().any(|a| {
                a["name"] == account && (!writable || a["writable"].as_bool().unwrap_or(false))
            })
        })
        .map(|ix| ix["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn only_genesis_and_emission_can_mint() {
    let expected: BTreeSet<String> = ["genesis", "initialize", "mint_emission"]
        .map(String::from)
        .into();
    assert_eq!(instructions_with("mint_authority", false), expected);
    assert_eq!(instructions_with("io_mint", true), expected);
    assert_eq!(idl()["address"], io_token::ID.to_string());
}
