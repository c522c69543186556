//! Deploy parameters (`migrations/params.toml`): the staking parameters `initialize` takes and
//! the device classes `set_device_class` creates. One file read by the CLI's deploy steps,
//! `ngpu simulate` and the tests; [`Params::load_default`] embeds the shipped file, so none of
//! them needs a path.

use std::collections::BTreeSet;
use std::path::Path;

use anchor_lang::prelude::Pubkey;
use serde::{Deserialize, Serialize};
use staking::{DeviceClassArgs, InitializeArgs};

/// The shipped parameters file, embedded at build time.
pub const DEFAULT_PARAMS_TOML: &str = include_str!("../../../migrations/params.toml");
/// Where the shipped file lives, relative to the repository root (for messages).
pub const DEFAULT_PARAMS_PATH: &str = "migrations/params.toml";

/// A validated parameters file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub staking: StakingParams,
    /// `[revenue]`: the parameters of `revenue::initialize` (and `update_params`).
    pub revenue: RevenueParams,
    /// `[reservations]`: the parameters of `reservations::initialize` (and `update_params`).
    pub reservations: ReservationsParams,
    /// `[[device_class]]` tables, in file order (class ids distinct).
    #[serde(rename = "device_class")]
    pub device_classes: Vec<DeviceClassParams>,
}

/// The economic parameters of `staking::initialize` (and `update_params`), in on-chain units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakingParams {
    /// IO base units.
    pub min_stake: u64,
    pub lock_secs: i64,
    pub cooldown_secs: i64,
    pub reconnect_secs: i64,
    pub max_stake_boost_bps: u16,
    pub offline_threshold_bps: u16,
    pub appeal_secs: i64,
    pub max_price_age_secs: u32,
    pub max_confidence_bps: u16,
}

/// The parameters of `revenue::initialize` (and `update_params`), in on-chain units. The
/// deployment's keys (the Pyth price account and feed id, the USDC mint) are given at deploy time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevenueParams {
    pub max_price_age_secs: u32,
    pub max_confidence_bps: u16,
    /// A buyback pays at most the oracle's low price plus this (≤ 1,000 bps).
    pub max_premium_bps: u16,
    /// USDC outflow limit: `window_limit` base units per `window_secs`, decaying linearly.
    pub window_secs: u32,
    pub window_limit: u64,
}

impl RevenueParams {
    /// The argument of `revenue::initialize` (and `update_params`) for these parameters and the
    /// deployment's pinned price account and feed id.
    pub fn initialize_args(
        &self,
        price_feed: Pubkey,
        price_feed_id: [u8; 32],
    ) -> revenue::InitializeArgs {
        revenue::InitializeArgs {
            price_feed,
            price_feed_id,
            max_price_age_secs: self.max_price_age_secs,
            max_confidence_bps: self.max_confidence_bps,
            max_premium_bps: self.max_premium_bps,
            window_secs: self.window_secs,
            window_limit: self.window_limit,
        }
    }
}

/// The parameters of `reservations::initialize` (and `update_params`), in on-chain units. The
/// deployment's keys (the Pyth price account and feed id; the USDC mint) are given at deploy time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReservationsParams {
    pub max_price_age_secs: u32,
    pub max_confidence_bps: u16,
    /// Each paid by both sides (SPEC section 5: 25, 200, 0), ≤ 1,000 bps.
    pub reservation_fee_bps: u16,
    pub usdc_payment_fee_bps: u16,
    pub io_payment_fee_bps: u16,
    /// The longest reservation, hours (≤ 2,160).
    pub max_hours: u32,
}

impl ReservationsParams {
    /// The argument of `reservations::initialize` (and `update_params`) for these parameters
    /// and the deployment's pinned price account and feed id.
    pub fn initialize_args(
        &self,
        price_feed: Pubkey,
        price_feed_id: [u8; 32],
    ) -> reservations::InitializeArgs {
        reservations::InitializeArgs {
            price_feed,
            price_feed_id,
            max_price_age_secs: self.max_price_age_secs,
            max_confidence_bps: self.max_confidence_bps,
            reservation_fee_bps: self.reservation_fee_bps,
            usdc_payment_fee_bps: self.usdc_payment_fee_bps,
            io_payment_fee_bps: self.io_payment_fee_bps,
            max_hours: self.max_hours,
        }
    }
}

/// One hardware model: the arguments of `set_device_class`, plus a name for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceClassParams {
    pub class_id: u16,
    pub name: String,
    pub capex_micro_usd: u64,
    /// IO base units.
    pub device_max_stake: u64,
}

/// The deployment's keys, which `initialize` takes besides the parameters: not economic
/// parameters, so they are given at deploy time rather than in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StakingKeys {
    /// The node oracle set (1..=5 distinct keys) and how many of them must sign.
    pub oracles: Vec<Pubkey>,
    pub oracle_quorum: u8,
    /// The pinned Pyth PriceUpdateV2 account of the IO/USD feed.
    pub price_feed: Pubkey,
    /// The IO/USD feed id that price account must carry (Pyth's feed list).
    pub price_feed_id: [u8; 32],
    /// Marks nodes hired / released (the reservations program's PDA).
    pub hire_authority: Pubkey,
}

impl Params {
    /// The shipped `migrations/params.toml`. It is checked by this crate's tests, so a
    /// failure here is a build defect.
    pub fn load_default() -> Self {
        match Self::parse(DEFAULT_PARAMS_TOML) {
            Ok(params) => params,
            Err(e) => panic!("{DEFAULT_PARAMS_PATH}: {e}"),
        }
    }

    /// Reads and validates a parameters file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses and validates the text of a parameters file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let params: Params =
            toml::from_str(text).map_err(|e| format!("invalid parameters file: {e}"))?;
        params.validate()?;
        Ok(params)
    }

    /// The bounds `initialize` and `set_device_class` enforce, checked before anything is
    /// sent; plus distinct class ids.
    pub fn validate(&self) -> Result<(), String> {
        let probe = Pubkey::new_from_array([1; 32]);
        let args = self.staking.initialize_args(StakingKeys {
            oracles: vec![probe],
            oracle_quorum: 1,
            price_feed: probe,
            price_feed_id: [1; 32],
            hire_authority: probe,
        });
        if args.validate().is_err() {
            return Err(format!(
                "[staking] is outside the bounds of `initialize` (InitializeArgs::validate): {:?}",
                self.staking
            ));
        }
        let probe_args = self.revenue.initialize_args(probe, [1; 32]);
        if probe_args.validate().is_err() {
            return Err(format!(
                "[revenue] is outside the bounds of `initialize` (InitializeArgs::validate): {:?}",
                self.revenue
            ));
        }
        if self
            .reservations
            .initialize_args(probe, [1; 32])
            .validate()
            .is_err()
        {
            return Err(format!(
                "[reservations] is outside the bounds of `initialize` (InitializeArgs::validate): {:?}",
                self.reservations
            ));
        }
        let mut ids = BTreeSet::new();
        for class in &self.device_classes {
            if !ids.insert(class.class_id) {
                return Err(format!("device class {} appears twice", class.class_id));
            }
            if class.capex_micro_usd == 0 || class.device_max_stake == 0 {
                return Err(format!(
                    "device class {} ({}): capex and max stake must be positive",
                    class.class_id, class.name
                ));
            }
        }
        Ok(())
    }

    /// The device class of `class_id`, if the file has it.
    pub fn device_class(&self, class_id: u16) -> Option<&DeviceClassParams> {
        self.device_classes.iter().find(|c| c.class_id == class_id)
    }
}

impl StakingParams {
    /// The argument of `staking::initialize` (and `update_params`) for these parameters and
    /// the deployment's keys.
    pub fn initialize_args(&self, keys: StakingKeys) -> InitializeArgs {
        InitializeArgs {
            oracles: keys.oracles,
            oracle_quorum: keys.oracle_quorum,
            price_feed: keys.price_feed,
            price_feed_id: keys.price_feed_id,
            max_price_age_secs: self.max_price_age_secs,
            max_confidence_bps: self.max_confidence_bps,
            max_stake_boost_bps: self.max_stake_boost_bps,
            min_stake: self.min_stake,
            lock_secs: self.lock_secs,
            cooldown_secs: self.cooldown_secs,
            reconnect_secs: self.reconnect_secs,
            hire_authority: keys.hire_authority,
            offline_threshold_bps: self.offline_threshold_bps,
            appeal_secs: self.appeal_secs,
        }
    }
}

impl DeviceClassParams {
    /// The argument of `staking::set_device_class`.
    pub fn args(&self) -> DeviceClassArgs {
        DeviceClassArgs {
            class_id: self.class_id,
            capex_micro_usd: self.capex_micro_usd,
            device_max_stake: self.device_max_stake,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IO: u64 = 100_000_000;
    const HOUR: i64 = 3_600;
    const DAY: i64 = 24 * HOUR;

    /// The shipped file parses and carries SPEC section 4's defaults.
    #[test]
    fn shipped_file_holds_the_spec_defaults() {
        let params = Params::load_default();
        assert_eq!(
            params.staking,
            StakingParams {
                min_stake: 100 * IO,
                lock_secs: 7 * DAY,
                cooldown_secs: 7 * DAY,
                reconnect_secs: 12 * HOUR,
                max_stake_boost_bps: 5_000,
                offline_threshold_bps: 5_000,
                appeal_secs: 30 * DAY,
                max_price_age_secs: 120,
                max_confidence_bps: 200,
            }
        );
        let classes: Vec<(u16, &str, u64, u64)> = params
            .device_classes
            .iter()
            .map(|c| {
                (
                    c.class_id,
                    c.name.as_str(),
                    c.capex_micro_usd,
                    c.device_max_stake,
                )
            })
            .collect();
        assert_eq!(
            classes,
            [
                (0, "RTX 4090", 1_800_000_000, 1_000 * IO),
                (1, "A100 80GB", 15_000_000_000, 5_000 * IO),
                (2, "H100 80GB", 30_000_000_000, 10_000 * IO),
            ]
        );
        assert_eq!(params.device_class(1).map(|c| c.args().class_id), Some(1));
        assert_eq!(
            params.revenue,
            RevenueParams {
                max_price_age_secs: 120,
                max_confidence_bps: 200,
                max_premium_bps: 100,
                window_secs: 86_400,
                window_limit: 10_000_000_000,
            }
        );
        assert_eq!(
            params.reservations,
            ReservationsParams {
                max_price_age_secs: 120,
                max_confidence_bps: 200,
                reservation_fee_bps: 25,
                usdc_payment_fee_bps: 200,
                io_payment_fee_bps: 0,
                max_hours: 720,
            }
        );
        let bad = DEFAULT_PARAMS_TOML.replace("max_hours = 720", "max_hours = 0");
        assert!(Params::parse(&bad).unwrap_err().contains("[reservations]"));
        let bad = DEFAULT_PARAMS_TOML.replace("max_premium_bps = 100", "max_premium_bps = 1_001");
        assert!(Params::parse(&bad).unwrap_err().contains("[revenue]"));
    }

    #[test]
    fn initialize_args_carry_every_parameter_and_key() {
        let params = Params::load_default();
        let keys = StakingKeys {
            oracles: vec![Pubkey::new_unique(), Pubkey::new_unique()],
            oracle_quorum: 2,
            price_feed: Pubkey::new_unique(),
            price_feed_id: [7; 32],
            hire_authority: Pubkey::new_unique(),
        };
        let args = params.staking.initialize_args(keys.clone());
        assert_eq!(
            args,
            InitializeArgs {
                oracles: keys.oracles,
                oracle_quorum: 2,
                price_feed: keys.price_feed,
                price_feed_id: [7; 32],
                max_price_age_secs: 120,
                max_confidence_bps: 200,
                max_stake_boost_bps: 5_000,
                min_stake: 100 * IO,
                lock_secs: 7 * DAY,
                cooldown_secs: 7 * DAY,
                reconnect_secs: 12 * HOUR,
                hire_authority: keys.hire_authority,
                offline_threshold_bps: 5_000,
                appeal_secs: 30 * DAY,
            }
        );
        assert!(args.validate().is_ok());
    }

    #[test]
    fn bad_files_are_refused() {
        let unknown = DEFAULT_PARAMS_TOML.replace("[staking]", "[staking]\nlock_days = 7");
        assert!(Params::parse(&unknown)
            .unwrap_err()
            .contains("unknown field"));
        let missing = DEFAULT_PARAMS_TOML.replace("appeal_secs = 2_592_000", "");
        assert!(Params::parse(&missing)
            .unwrap_err()
            .contains("missing field"));
        let out_of_bounds =
            DEFAULT_PARAMS_TOML.replace("appeal_secs = 2_592_000", "appeal_secs = 60");
        assert!(Params::parse(&out_of_bounds)
            .unwrap_err()
            .contains("outside the bounds"));
        let twice = DEFAULT_PARAMS_TOML.replace("class_id = 2", "class_id = 1");
        assert_eq!(
            Params::parse(&twice).unwrap_err(),
            "device class 1 appears twice"
        );
        let negative = DEFAULT_PARAMS_TOML.replace("min_stake = 10_000_000_000", "min_stake = -1");
        assert!(Params::parse(&negative).is_err());
        let free =
            DEFAULT_PARAMS_TOML.replace("capex_micro_usd = 1_800_000_000", "capex_micro_usd = 0");
        assert!(Params::parse(&free)
            .unwrap_err()
            .contains("must be positive"));
    }

    /// Serialising and parsing again gives the same parameters (what `ngpu params` prints
    /// can be saved and edited).
    #[test]
    fn round_trips() {
        let params = Params::load_default();
        let text = toml::to_string(&params).unwrap();
        assert_eq!(Params::parse(&text).unwrap(), params);
    }
}
