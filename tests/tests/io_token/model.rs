//! Stateful property test: random sequences of clock moves and `mint_emission` calls (valid or
//! not) against a plain-Rust model of the rules. After every step the program's answer, its
//! ledger and the destination balance must equal the model's; the supply invariants are
//! checked by the harness after every transaction.

use io_token::IoTokenError;
use ngpu_localnet::solana_sdk::signature::Signer;
use ngpu_math::{cumulative, hour_budget};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use ngpu_tests::*;

#[derive(Clone, Debug)]
enum Step {
    /// Move the clock forward by this many seconds.
    Advance(i64),
    /// Pause or unpause the program.
    Pause(bool),
    /// Set `max_hours_per_call`.
    MaxHours(u8),
    /// Call mint_emission at `next_hour + offset` for `hours` hours, minting `share_bps` of
    /// each budget plus `excess` base units on the last hour.
    Mint {
        offset: i64,
        hours: u8,
        share_bps: u64,
        excess: u64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0i64..30 * 3_600).prop_map(Step::Advance),
        any::<bool>().prop_map(Step::Pause),
        (1u8..=24).prop_map(Step::MaxHours),
        (
            prop_oneof![8 => Just(0i64), 1 => Just(-1i64), 1 => Just(1i64)],
            0u8..=26,
            prop_oneof![Just(10_000u64), Just(0u64), 0u64..=10_000],
            prop_oneof![9 => Just(0u64), 1 => 1u64..1_000],
        )
            .prop_map(|(offset, hours, share_bps, excess)| Step::Mint {
                offset,
                hours,
                share_bps,
                excess
            }),
    ]
}

struct Model {
    paused: bool,
    max_hours: u64,
    elapsed: i64,
    next_hour: u64,
    minted: u64,
    forfeited: u64,
}

impl Model {
    fn expect(&self, first: u64, amounts: &[u64]) -> Result<(), IoTokenError> {
        if self.paused {
            return Err(IoTokenError::Paused);
        }
        let hours = amounts.len() as u64;
        if hours == 0 || hours > self.max_hours {
            return Err(IoTokenError::InvalidHourCount);
        }
        if first < self.next_hour {
            return Err(IoTokenError::HourAlreadyProcessed);
        }
        if first > self.next_hour {
            return Err(IoTokenError::HourOutOfOrder);
        }
        if (first + hours) as i64 > self.elapsed / 3_600 {
            return Err(IoTokenError::HourNotEnded);
        }
        if amounts
            .iter()
            .enumerate()
            .any(|(i, a)| *a > hour_budget(first + i as u64))
        {
            return Err(IoTokenError::ExceedsHourBudget);
        }
        Ok(())
    }
}

async fn run(steps: Vec<Step>) {
    let mut ctx = TestContext::with_emission().await;
    let mut model = Model {
        paused: false,
        max_hours: 24,
        elapsed: 0,
        next_hour: 0,
        minted: 0,
        forfeited: 0,
    };
    let authority = ctx.authority.insecure_clone();
    for step in steps {
        match step {
            Step::Advance(seconds) => {
                model.elapsed += seconds;
                ctx.set_time_after_genesis(model.elapsed).await;
            }
            Step::Pause(paused) => {
                model.paused = paused;
                assert_ok(&ctx.set_paused(paused).await);
            }
            Step::MaxHours(hours) => {
                model.max_hours = u64::from(hours);
                let ix = ngpu_sdk::ix::io_token::set_max_hours_per_call(authority.pubkey(), hours);
                ctx.send_ok(&[ix], &[&authority]).await;
            }
            Step::Mint {
                offset,
                hours,
                share_bps,
                excess,
            } => {
                let first = (model.next_hour as i64 + offset).max(0) as u64;
                let mut amounts: Vec<u64> = (first..first + u64::from(hours))
                    .map(|h| hour_budget(h) * share_bps / 10_000)
                    .collect();
                if let Some(last) = amounts.last_mut() {
                    *last += excess;
                }
                let expected = model.expect(first, &amounts);
                let outcome = ctx.mint_emission(first, amounts.clone()).await;
                match expected {
                    Ok(()) => {
                        assert_ok(&outcome);
                        let end = first + amounts.len() as u64;
                        let sum: u64 = amounts.iter().sum();
                        model.minted += sum;
                        model.forfeited += cumulative(end) - cumulative(first) - sum;
                        model.next_hour = end;
                    }
                    Err(e) => assert_error(&outcome, e),
                }
            }
        }
        let config = ctx.config().await;
        assert_eq!(
            (
                config.next_hour,
                config.emission_minted,
                config.emission_forfeited
            ),
            (model.next_hour, model.minted, model.forfeited)
        );
        assert_eq!(
            ctx.chain.token_balance(ctx.emission_destination).await,
            model.minted
        );
    }
}

#[test]
fn random_sequences_match_the_model() {
    let mut runner = TestRunner::new(Config {
        cases: 12,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(step(), 1..30), |steps| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(run(steps));
            Ok(())
        })
        .unwrap();
}
