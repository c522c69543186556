//! Exponential backoff with jitter, and the tiny PRNG that draws the jitter (off-chain only:
//! jitter spreads retries, it guards nothing).

use std::time::Duration;

/// xorshift64*: a few lines, deterministic from its seed (tests), seeded from the process
/// otherwise.
#[derive(Clone, Debug)]
pub struct XorShift(u64);

impl XorShift {
    pub fn new(seed: u64) -> Self {
        // Zero is the generator's fixed point.
        XorShift(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// Seeded from the process id and the time the process asked (different keepers started
    /// together do not retry in lockstep).
    pub fn from_process() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        XorShift::new(nanos ^ (u64::from(std::process::id()) << 32))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in `0..=max` (modulo bias is irrelevant for jitter).
    pub fn up_to(&mut self, max: u64) -> u64 {
        match max.checked_add(1) {
            Some(n) => self.next_u64() % n,
            None => self.next_u64(),
        }
    }
}

/// Delays `base · 2^attempt`, capped at `max`, minus up to `jitter_percent` % of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub base_ms: u64,
    pub max_ms: u64,
    pub jitter_percent: u8,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base_ms: 500,
            max_ms: 30_000,
            jitter_percent: 25,
        }
    }
}

impl Backoff {
    /// The delay before retry number `attempt + 1` (attempt 0: the first retry), no jitter.
    pub fn ceiling(&self, attempt: u32) -> u64 {
        let factor = 1u64.checked_shl(attempt.min(63)).unwrap_or(u64::MAX);
        self.base_ms.saturating_mul(factor).min(self.max_ms)
    }

    /// The jittered delay: in `[ceiling · (1 - jitter), ceiling]`.
    pub fn delay(&self, attempt: u32, rng: &mut XorShift) -> Duration {
        let ceiling = self.ceiling(attempt);
        let spread = ceiling.saturating_mul(u64::from(self.jitter_percent.min(100))) / 100;
        Duration::from_millis(ceiling.saturating_sub(rng.up_to(spread)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_until_the_cap() {
        let b = Backoff {
            base_ms: 100,
            max_ms: 5_000,
            jitter_percent: 0,
        };
        let mut rng = XorShift::new(7);
        let delays: Vec<u64> = (0..10)
            .map(|a| b.delay(a, &mut rng).as_millis() as u64)
            .collect();
        assert_eq!(
            delays,
            [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000, 5_000]
        );
        // No overflow however many attempts.
        assert_eq!(b.ceiling(200), 5_000);
        assert_eq!(b.ceiling(u32::MAX), 5_000);
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let b = Backoff {
            base_ms: 1_000,
            max_ms: 60_000,
            jitter_percent: 25,
        };
        let mut rng = XorShift::new(42);
        let mut seen_below = false;
        for attempt in 0..12 {
            for _ in 0..200 {
                let d = b.delay(attempt, &mut rng).as_millis() as u64;
                let ceiling = b.ceiling(attempt);
                assert!(d <= ceiling && d >= ceiling - ceiling / 4, "{attempt}: {d}");
                seen_below |= d < ceiling;
            }
        }
        assert!(seen_below, "jitter never applied");
    }

    #[test]
    fn a_seeded_rng_is_deterministic() {
        let b = Backoff::default();
        let run = |seed| {
            let mut rng = XorShift::new(seed);
            (0..8).map(|a| b.delay(a, &mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
        assert_ne!(XorShift::new(0).next_u64(), 0);
    }
}
