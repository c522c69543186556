//! Instruction-count probe for the on-chain cost of the schedule maths (BENCHMARKS.md):
//! `valgrind --tool=callgrind --toggle-collect=cu_measure_target target/release/examples/schedule_cost N`
//! for two values of N; (difference / difference of N) is the x86-64 instructions per call.

#[inline(never)]
#[no_mangle]
pub extern "C" fn cu_measure_target(hour: u64) -> u64 {
    ngpu_math::cumulative(std::hint::black_box(hour))
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000);
    let mut acc = 0u64;
    for i in 0..n {
        acc ^= cu_measure_target(1_000 + i * 97 % 170_000);
    }
    println!("{acc}");
}
