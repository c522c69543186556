//! `Anchor.toml` lists every program, for localnet and devnet, at its `declare_id!`.

#[test]
fn anchor_toml_lists_every_program_at_its_id() {
    let path = format!("{}/../Anchor.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let programs = [
        ("io_token", io_token::ID),
        ("reservations", reservations::ID),
        ("revenue", revenue::ID),
        ("staking", staking::ID),
        ("vesting", vesting::ID),
    ];
    for cluster in ["localnet", "devnet"] {
        let header = format!("[programs.{cluster}]");
        let section: Vec<&str> = text
            .split(&header)
            .nth(1)
            .unwrap_or_else(|| panic!("{header} missing"))
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with('['))
            .filter(|l| !l.trim().is_empty())
            .collect();
        let mut expected: Vec<String> = programs
            .iter()
            .map(|(name, id)| format!("{name} = \"{id}\""))
            .collect();
        expected.sort();
        let mut got: Vec<String> = section.iter().map(|l| l.trim().to_string()).collect();
        got.sort();
        assert_eq!(got, expected, "{header}");
    }
}
