//! Genesis files (`migrations/genesis/*.json`): the five allocation amounts minted at genesis.

use io_token::constants::{GENESIS_ALLOCATIONS, GENESIS_SUPPLY, IO_DECIMALS};
use serde::Deserialize;

/// Allocation keys in the order the `genesis` instruction takes its accounts.
pub const ALLOCATION_KEYS: [&str; GENESIS_ALLOCATIONS] = [
    "community",
    "seed_investors",
    "series_a_investors",
    "contributors",
    "ecosystem",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisFile {
    pub name: String,
    pub description: String,
    pub allocations: Vec<Allocation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    pub key: String,
    pub label: String,
    /// Amount in IO as a decimal string ("62500000", "81600000.5"): no float on the way.
    pub io: String,
    /// Share of the 500M genesis in basis points, for readers; checked against `io`.
    pub share_bps: u16,
    pub release: String,
}

/// A validated genesis: amounts in base units, in instruction order, summing to 500M IO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenesisPlan {
    pub name: String,
    pub labels: [String; GENESIS_ALLOCATIONS],
    pub amounts: [u64; GENESIS_ALLOCATIONS],
}

impl GenesisFile {
    pub fn parse(json: &str) -> Result<GenesisPlan, String> {
        let file: GenesisFile =
            serde_json::from_str(json).map_err(|e| format!("invalid genesis file: {e}"))?;
        file.plan()
    }

    pub fn plan(&self) -> Result<GenesisPlan, String> {
        if self.allocations.len() != GENESIS_ALLOCATIONS {
            return Err(format!(
                "expected {GENESIS_ALLOCATIONS} allocations, found {}",
                self.allocations.len()
            ));
        }
        let mut amounts = [0u64; GENESIS_ALLOCATIONS];
        let mut labels: [String; GENESIS_ALLOCATIONS] = Default::default();
        let mut total: u64 = 0;
        for (i, (allocation, key)) in self.allocations.iter().zip(ALLOCATION_KEYS).enumerate() {
            if allocation.key != key {
                return Err(format!(
                    "allocation {i} must be `{key}`, found `{}`",
                    allocation.key
                ));
            }
            let amount = parse_io(&allocation.io)?;
            // share_bps is informational but must agree with the amount to the basis point.
            let bps = u128::from(amount) * 10_000 / u128::from(GENESIS_SUPPLY);
            if bps != u128::from(allocation.share_bps) {
                return Err(format!(
                    "`{key}`: {} IO is {bps} bps of genesis, file says {}",
                    allocation.io, allocation.share_bps
                ));
            }
            amounts[i] = amount;
            labels[i] = allocation.label.clone();
            total = total
                .checked_add(amount)
                .ok_or_else(|| "genesis total overflows".to_string())?;
        }
        if total != GENESIS_SUPPLY {
            return Err(format!(
                "genesis amounts sum to {total} base units, expected exactly {GENESIS_SUPPLY} (500,000,000 IO)"
            ));
        }
        Ok(GenesisPlan {
            name: self.name.clone(),
            labels,
            amounts,
        })
    }
}

/// Parses a decimal IO amount ("1", "0.5", "62500000.00000001") into base units, exactly.
pub fn parse_io(text: &str) -> Result<u64, String> {
    let err = || format!("`{text}` is not an IO amount with at most {IO_DECIMALS} decimals");
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > usize::from(IO_DECIMALS)
        || (text.contains('.') && frac.is_empty())
    {
        return Err(err());
    }
    let whole: u64 = whole.parse().map_err(|_| err())?;
    let frac_units: u64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<8}").parse().map_err(|_| err())?
    };
    whole
        .checked_mul(ngpu_math::units::IO_UNIT)
        .and_then(|w| w.checked_add(frac_units))
        .ok_or_else(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_io_amounts_exactly() {
        assert_eq!(parse_io("0"), Ok(0));
        assert_eq!(parse_io("1"), Ok(100_000_000));
        assert_eq!(parse_io("0.00000001"), Ok(1));
        assert_eq!(parse_io("62500000.5"), Ok(6_250_000_050_000_000));
        for bad in [
            "",
            ".5",
            "1.",
            "1.000000001",
            "-1",
            "1e3",
            "1,000",
            "184467440738",
        ] {
            assert!(parse_io(bad).is_err(), "{bad}");
        }
    }

    fn file(amounts: [&str; 5], bps: [u16; 5]) -> String {
        let allocations: Vec<String> = ALLOCATION_KEYS
            .iter()
            .zip(amounts.iter().zip(bps))
            .map(|(k, (a, b))| {
                format!(r#"{{"key":"{k}","label":"{k}","io":"{a}","share_bps":{b},"release":"-"}}"#)
            })
            .collect();
        format!(
            r#"{{"name":"t","description":"t","allocations":[{}]}}"#,
            allocations.join(",")
        )
    }

    #[test]
    fn rejects_a_total_other_than_500m() {
        let json = file(
            ["250000000", "62500000", "51000000", "65500000", "80000000"],
            [5000, 1250, 1020, 1310, 1600],
        );
        let err = GenesisFile::parse(&json).unwrap_err();
        assert!(err.contains("expected exactly"), "{err}");
    }

    #[test]
    fn rejects_a_wrong_order_or_share() {
        let ok = ["250000000", "62500000", "51000000", "56500000", "80000000"];
        let json =
            file(ok, [5000, 1250, 1020, 1130, 1600]).replace("\"community\"", "\"treasury\"");
        assert!(GenesisFile::parse(&json)
            .unwrap_err()
            .contains("must be `community`"));
        let json = file(ok, [5000, 1250, 1020, 1131, 1600]);
        assert!(GenesisFile::parse(&json).unwrap_err().contains("bps"));
    }

    #[test]
    fn both_shipped_presets_are_valid() {
        for name in ["default.json", "cap-shares.json"] {
            let path = format!(
                "{}/../../migrations/genesis/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            let json = std::fs::read_to_string(&path).expect("preset exists");
            let plan = GenesisFile::parse(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(plan.amounts.iter().sum::<u64>(), GENESIS_SUPPLY);
        }
    }
}
