//! Independent high-precision reference for the emission schedule: 60-digit decimal fixed
//! point in big integers, `q^t` by repeated multiplication over every hour (error < 10^-54).

use ngpu_math::units::EMISSION_SUPPLY;
use ngpu_math::{cumulative, hour_budget, EMISSION_HOURS};
use num_bigint::BigUint;

/// Returns `floor(300M * 10^8 * (1 - q^t) / (1 - q^N))` for every t in 0..=N.
fn reference_cumulative() -> Vec<u64> {
    let scale = BigUint::from(10u32).pow(60);
    // d = 138,869,523,959,793 / 10^19, so q = 1 - d at scale 10^60:
    let q = &scale - BigUint::from(138_869_523_959_793u64) * BigUint::from(10u32).pow(41);
    let mut powers = Vec::with_capacity(EMISSION_HOURS as usize + 1);
    let mut p = scale.clone();
    for _ in 0..=EMISSION_HOURS {
        powers.push(p.clone());
        p = p * &q / &scale;
    }
    let denominator = &scale - &powers[EMISSION_HOURS as usize];
    let total = BigUint::from(EMISSION_SUPPLY);
    powers
        .iter()
        .map(|p| {
            let c: BigUint = &total * (&scale - p) / &denominator;
            u64::try_from(c).expect("fits")
        })
        .collect()
}

#[test]
fn agrees_with_the_big_integer_reference_at_every_hour() {
    let reference = reference_cumulative();
    let mut worst_cumulative = 0u64;
    let mut worst_budget = 0u64;
    for t in 0..=EMISSION_HOURS {
        let ours = cumulative(t);
        worst_cumulative = worst_cumulative.max(ours.abs_diff(reference[t as usize]));
        if t < EMISSION_HOURS {
            let exact_budget = reference[t as usize + 1] - reference[t as usize];
            worst_budget = worst_budget.max(hour_budget(t).abs_diff(exact_budget));
        }
    }
    println!(
        "worst |C - C_ref| = {worst_cumulative} base units, worst budget diff = {worst_budget}"
    );
    assert!(
        worst_cumulative <= 1,
        "cumulative off by {worst_cumulative}"
    );
    assert!(worst_budget <= 2, "budget off by {worst_budget}");
    assert_eq!(reference[EMISSION_HOURS as usize], EMISSION_SUPPLY);
}

#[test]
fn q_is_one_minus_d_rounded_down_at_scale_2_pow_127() {
    let one = BigUint::from(1u8) << 127u32;
    let num = &one * BigUint::from(138_869_523_959_793u64);
    let den = BigUint::from(10u32).pow(19);
    let ceil = (&num + &den - 1u8) / &den;
    let q = u128::try_from(&one - ceil).expect("fits");
    assert_eq!(ngpu_math::pow_q(1), q);
    assert_eq!(ngpu_math::pow_q(0), 1u128 << 127);
}
