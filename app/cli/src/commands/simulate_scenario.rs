//! `ngpu simulate --scenario FILE`: what the simulated network looks like — the mix of device
//! classes, how suppliers stake their nodes, which nodes pause and which have uptime trouble.
//! Without a file the built-in mix is used (classes in turn, 100–500 IO of stake).
//!
//! A file picks each node's class, stake bucket, pause and uptime trouble independently with a
//! deterministic hash of the node's index (no randomness: the same file gives the same run).

use ngpu_math::staking::max_stake;
use ngpu_sdk::params::Params;
use serde::Deserialize;

const IO: u64 = 100_000_000;
const BPS: u64 = 10_000;
/// The staking program's minimum active stake for a node to earn (SPEC 4): 100 IO.
pub const MIN_STAKE: u64 = 100 * IO;
/// Modifiers the oracle gives the third class in the built-in mix.
const BUILTIN_MODIFIERS: [u16; 4] = [9_000, 8_000, 9_500, 5_000];

/// One node's part in the simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeProfile {
    /// Index into the parameters file's device classes.
    pub class: usize,
    /// The supplier's own stake (base units).
    pub stake: u64,
    /// The oracle's modifiers for the node, when it rates it.
    pub modifiers: Option<[u16; 4]>,
    /// Pauses for a day and resumes.
    pub pauses: bool,
    /// Gets uptime reports below 100% (and is sometimes offline).
    pub flaky: bool,
}

/// The scenario file (TOML). Shares are basis points of the nodes and add up to 10,000.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub name: String,
    /// Share of nodes that pause at hour 24 and resume at hour 48.
    pub pause_share_bps: u16,
    /// Share of nodes the oracle reports with reduced uptime.
    pub flaky_share_bps: u16,
    /// Their uptime in the reported hour.
    pub flaky_uptime_bps: u16,
    #[serde(rename = "class")]
    pub classes: Vec<ClassShare>,
    #[serde(rename = "stake")]
    pub stakes: Vec<StakeBucket>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ClassShare {
    /// A device class name of the parameters file.
    pub name: String,
    pub share_bps: u16,
    /// The oracle's modifiers for nodes of this class (hardware, bandwidth, uptime, job hours).
    pub modifiers: Option<[u16; 4]>,
}

/// A share of nodes staked somewhere between the 100 IO minimum (0 bps) and the node's maximum
/// stake (10,000 bps), uniformly within `from_bps..=to_bps`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct StakeBucket {
    pub share_bps: u16,
    pub from_bps: u16,
    pub to_bps: u16,
}

/// A checked scenario: class shares resolved to the parameters file's classes.
#[derive(Debug)]
pub struct Scenario {
    pub name: String,
    mix: Option<Mix>,
    pub flaky_uptime_bps: u16,
}

#[derive(Debug)]
struct Mix {
    /// (class index, share, modifiers, the node's maximum stake).
    classes: Vec<(usize, u16, Option<[u16; 4]>, u64)>,
    stakes: Vec<StakeBucket>,
    pause_share_bps: u16,
    flaky_share_bps: u16,
}

impl Scenario {
    /// The built-in mix: classes in turn (the third rated by the oracle), own stake 100 to 500
    /// IO in turn, every tenth node pauses, every seventh has 75% uptime hours.
    pub fn builtin() -> Self {
        Self {
            name: "built-in".into(),
            mix: None,
            flaky_uptime_bps: 7_500,
        }
    }

    /// Reads and checks a scenario file against the device classes of `params`.
    pub fn load(path: &std::path::Path, params: &Params) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text, params).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str, params: &Params) -> Result<Self, String> {
        let file: ScenarioFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let sum = |shares: &mut dyn Iterator<Item = u16>| shares.map(u64::from).sum::<u64>();
        if sum(&mut file.classes.iter().map(|c| c.share_bps)) != BPS {
            return Err("the class shares (share_bps) must add up to 10,000".into());
        }
        if sum(&mut file.stakes.iter().map(|s| s.share_bps)) != BPS {
            return Err("the stake buckets' shares (share_bps) must add up to 10,000".into());
        }
        for (field, bps) in [
            ("pause_share_bps", file.pause_share_bps),
            ("flaky_share_bps", file.flaky_share_bps),
            ("flaky_uptime_bps", file.flaky_uptime_bps),
        ] {
            if u64::from(bps) > BPS {
                return Err(format!("{field} {bps} is above 10,000"));
            }
        }
        if file.flaky_uptime_bps >= 10_000 && file.flaky_share_bps > 0 {
            return Err("flaky_uptime_bps must be below 10,000 (a report of full uptime)".into());
        }
        for bucket in &file.stakes {
            if bucket.from_bps > bucket.to_bps || u64::from(bucket.to_bps) > BPS {
                return Err(format!(
                    "stake bucket {}..{} bps: needs from_bps <= to_bps <= 10,000",
                    bucket.from_bps, bucket.to_bps
                ));
            }
        }
        let mut classes = Vec::new();
        for share in &file.classes {
            let index = params
                .device_classes
                .iter()
                .position(|c| c.name == share.name)
                .ok_or_else(|| {
                    format!(
                        "class {:?} is not a device class of the parameters file ({})",
                        share.name,
                        params
                            .device_classes
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
            let modifiers = share.modifiers.unwrap_or([0; 4]);
            let max = max_stake(params.device_classes[index].device_max_stake, modifiers)
                .map_err(|_| format!("class {:?}: modifiers above 10,000 bps", share.name))?;
            classes.push((index, share.share_bps, share.modifiers, max.max(MIN_STAKE)));
        }
        Ok(Self {
            name: file.name,
            flaky_uptime_bps: file.flaky_uptime_bps,
            mix: Some(Mix {
                classes,
                stakes: file.stakes,
                pause_share_bps: file.pause_share_bps,
                flaky_share_bps: file.flaky_share_bps,
            }),
        })
    }

    /// Node `i`'s class, stake and behaviour.
    pub fn profile(&self, i: u64, class_count: usize) -> NodeProfile {
        let Some(mix) = &self.mix else {
            let class = (i % class_count.max(1) as u64) as usize;
            return NodeProfile {
                class,
                stake: (100 + (i % 5) * 100) * IO,
                modifiers: (class == 2).then_some(BUILTIN_MODIFIERS),
                pauses: i % 10 == 9,
                flaky: i % 7 == 3,
            };
        };
        let (class, _, modifiers, max) = *pick(&mix.classes, |c| c.1, draw(i, 1));
        let bucket = pick(&mix.stakes, |s| s.share_bps, draw(i, 2));
        let span = u64::from(bucket.to_bps - bucket.from_bps) + 1;
        let position = u64::from(bucket.from_bps) + draw(i, 3) % span;
        // Floor: never above the node's maximum, which the program would refuse.
        let stake = MIN_STAKE + (max - MIN_STAKE) * position / BPS;
        NodeProfile {
            class,
            stake,
            modifiers,
            pauses: draw(i, 4) < u64::from(mix.pause_share_bps),
            flaky: draw(i, 5) < u64::from(mix.flaky_share_bps),
        }
    }
}

/// A number in 0..10,000 for node `i` and a purpose `salt`: SplitMix64 of both, so each choice
/// is independent of the others and of the node's neighbours.
fn draw(i: u64, salt: u64) -> u64 {
    let mut z = i
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % BPS
}

/// The item whose cumulative share range holds `at` (shares add up to 10,000).
fn pick<T>(items: &[T], share: impl Fn(&T) -> u16, at: u64) -> &T {
    let mut end = 0;
    for item in items {
        end += u64::from(share(item));
        if at < end {
            return item;
        }
    }
    &items[items.len() - 1]
}

/// The nearest-rank percentile `p` (0..=100) of `values` (sorted here); 0 when empty.
pub fn percentile(values: &mut [u64], p: u64) -> u64 {
    if values.is_empty() {
        return 0;
    }
    values.sort_unstable();
    let n = values.len() as u64;
    let rank = (p * n).div_ceil(100).max(1);
    values[(rank - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    const NETWORK: &str = include_str!("../../../../migrations/scenarios/network.toml");

    #[test]
    fn the_shipped_network_scenario_has_its_shares_at_24311_nodes() {
        let params = Params::load_default();
        let scenario = Scenario::parse(NETWORK, &params).unwrap();
        let n = 24_311u64;
        let profiles: Vec<_> = (0..n).map(|i| scenario.profile(i, 3)).collect();
        let share = |f: &dyn Fn(&NodeProfile) -> bool| {
            profiles.iter().filter(|p| f(p)).count() as u64 * BPS / n
        };
        let file: ScenarioFile = toml::from_str(NETWORK).unwrap();
        for (index, class) in file.classes.iter().enumerate() {
            let got = share(&|p| p.class == index);
            assert!(
                got.abs_diff(u64::from(class.share_bps)) <= 100,
                "{}: {got}",
                class.name
            );
        }
        assert!(share(&|p| p.pauses).abs_diff(u64::from(file.pause_share_bps)) <= 50);
        assert!(share(&|p| p.flaky).abs_diff(u64::from(file.flaky_share_bps)) <= 50);
        // Most nodes near the minimum, a tail at the maximum, nothing outside the range.
        let at_min = share(&|p| p.stake < 2 * MIN_STAKE);
        assert!(at_min > 5_000, "{at_min}");
        for p in &profiles {
            let max = scenario.mix.as_ref().unwrap().classes[p.class].3;
            assert!((MIN_STAKE..=max).contains(&p.stake));
        }
        assert!(profiles
            .iter()
            .any(|p| { p.stake == scenario.mix.as_ref().unwrap().classes[p.class].3 }));
    }

    #[test]
    fn profiles_are_deterministic_and_the_builtin_mix_is_unchanged() {
        let params = Params::load_default();
        let a = Scenario::parse(NETWORK, &params).unwrap();
        let b = Scenario::parse(NETWORK, &params).unwrap();
        assert!((0..1_000).all(|i| a.profile(i, 3) == b.profile(i, 3)));
        let builtin = Scenario::builtin();
        let p = builtin.profile(2, 3);
        assert_eq!(
            (p.class, p.stake, p.modifiers, p.pauses, p.flaky),
            (2, 300 * IO, Some(BUILTIN_MODIFIERS), false, false)
        );
        assert!(builtin.profile(9, 3).pauses && builtin.profile(3, 3).flaky);
    }

    #[test]
    fn bad_files_are_refused_by_name() {
        let params = Params::load_default();
        let bad = |from: &str, to: &str| {
            Scenario::parse(&NETWORK.replacen(from, to, 1), &params).unwrap_err()
        };
        assert!(bad("name = \"RTX 4090\"", "name = \"RTX 9090\"").contains("RTX 9090"));
        assert!(bad("share_bps = 6_500", "share_bps = 6_501").contains("add up to 10,000"));
        assert!(bad("pause_share_bps = ", "pause_share_bps = 10_001 #").contains("above 10,000"));
        assert!(bad("pause_share_bps", "pause_bps").contains("unknown field"));
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut v: Vec<u64> = (1..=10).rev().collect();
        assert_eq!(
            [10, 50, 90, 100].map(|p| percentile(&mut v, p)),
            [1, 5, 9, 10]
        );
        assert_eq!(percentile(&mut [], 50), 0);
    }
}
