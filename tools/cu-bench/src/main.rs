//! Runs one of our instructions (io-token `mint_emission`, staking `crank_hour`,
//! `report_uptime`) N times on in-memory accounts, with the syscalls stubbed (CPIs return at
//! once: their CU are metered exactly by program-test instead), so that callgrind counts only our
//! own code: Anchor's account checks, the handler and its maths. Cases: `mint_emission_1`,
//! `mint_emission_24`, `crank_hour_1`, `crank_hour_24`, `report_uptime_partial`,
//! `report_uptime_offline`, `revenue_burn_io_fees`, `revenue_fill_buyback`,
//! `reservations_settle`, `reservations_reserve_usdc`, `reservations_reserve_io`.
//!
//! ```sh
//! cargo build --profile cu-bench -p cu-bench
//! for n in 200 400; do valgrind --tool=callgrind --toggle-collect=cu_measure_target \
//!   --callgrind-out-file=/tmp/cu.$n target/cu-bench/cu-bench mint_emission_24 $n; done
//! ```
//! Instructions per call = (count(400) - count(200)) / 200; × 3.3 ≈ SBF CU (RELIABILITY §7),
//! plus syscalls (logs, the self-CPI of `emit_cpi!`, the MintTo CPI base) added by hand.

use anchor_lang::prelude::{AccountInfo, Clock, Pubkey};
use anchor_lang::solana_program::{entrypoint::ProgramResult, instruction::Instruction};
use anchor_lang::{AccountSerialize, InstructionData};
use anchor_spl::token::spl_token;
use solana_program_pack::Pack;
use solana_sysvar::program_stubs::{set_syscall_stubs, SyscallStubs};

const NOW: i64 = 1_749_600_000 + 25 * 3_600;

struct Stubs;

impl SyscallStubs for Stubs {
    fn sol_log(&self, _message: &str) {}
    fn sol_log_data(&self, _fields: &[&[u8]]) {}
    fn sol_invoke_signed(
        &self,
        instruction: &Instruction,
        account_infos: &[AccountInfo],
        _signers_seeds: &[&[&[u8]]],
    ) -> ProgramResult {
        // The system program's Allocate (tag 8, then the space) gives the account its data, so
        // that an instruction creating an account (pre-funded path of
        // `ngpu_onchain::create_pda_account`: the case gives it lamports) can write it. On SBF the
        // runtime does this outside the program; the zeroed buffer is a small overcount here.
        let system = anchor_lang::solana_program::system_program::ID;
        if instruction.program_id == system && instruction.data.get(..4) == Some(&[8, 0, 0, 0]) {
            let space = instruction
                .data
                .get(4..12)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_le_bytes)
                .unwrap_or(0);
            let target = instruction.accounts.first().map(|m| m.pubkey);
            if let Some(info) = account_infos.iter().find(|a| Some(*a.key) == target) {
                let data: &'static mut [u8] =
                    Box::leak(vec![0u8; space as usize].into_boxed_slice());
                *info.data.borrow_mut() = data;
            }
        }
        Ok(())
    }
    fn sol_get_rent_sysvar(&self, var_addr: *mut u8) -> u64 {
        // SAFETY: the runtime contract of this syscall: var_addr points at a Rent.
        unsafe {
            *(var_addr as *mut anchor_lang::prelude::Rent) = anchor_lang::prelude::Rent::default()
        };
        0
    }
    fn sol_get_clock_sysvar(&self, var_addr: *mut u8) -> u64 {
        let clock = Clock {
            unix_timestamp: NOW,
            ..Clock::default()
        };
        // SAFETY: the runtime contract of this syscall: var_addr points at a Clock.
        unsafe { *(var_addr as *mut Clock) = clock };
        0
    }
}

#[inline(never)]
#[no_mangle]
pub fn cu_measure_target(program: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    // SAFETY: only the lifetimes are unified, as in the test harness.
    let accounts: &[AccountInfo] = unsafe { std::mem::transmute(accounts) };
    if *program == io_token::ID {
        io_token::entry(program, accounts, data)
    } else if *program == revenue::ID {
        revenue::entry(program, accounts, data)
    } else if *program == reservations::ID {
        reservations::entry(program, accounts, data)
    } else {
        staking::entry(program, accounts, data)
    }
}

mod reservations_cases;
mod revenue_cases;
mod staking_cases;

/// SBF's heap: a bump allocator over 32 KB that never frees (`solana-program-entrypoint`'s
/// `BumpAllocator`), used for every allocation made inside a measured call, so that callgrind
/// counts what SBF runs (a few instructions an allocation) instead of glibc's malloc and free,
/// and so that a call needing more than SBF's 32 KB heap fails here too. Outside a measured call,
/// the system allocator.
mod sbf_heap {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::UnsafeCell;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    pub const HEAP_BYTES: usize = 32 * 1024;

    #[repr(align(4096))]
    struct Arena(UnsafeCell<[u8; HEAP_BYTES]>);
    // SAFETY: the benchmark is single-threaded; the arena is only reached through `SbfHeap`.
    unsafe impl Sync for Arena {}

    static ARENA: Arena = Arena(UnsafeCell::new([0; HEAP_BYTES]));
    static ACTIVE: AtomicBool = AtomicBool::new(false);
    /// Offset of the lowest allocated byte (the bump pointer moves down, as on SBF).
    static POS: AtomicUsize = AtomicUsize::new(HEAP_BYTES);
    static LOWEST: AtomicUsize = AtomicUsize::new(HEAP_BYTES);

    pub struct SbfHeap;

    fn base() -> usize {
        ARENA.0.get() as usize
    }

    // SAFETY: allocations come from a static arena, aligned and within bounds, or from `System`.
    unsafe impl GlobalAlloc for SbfHeap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if !ACTIVE.load(Ordering::Relaxed) {
                return System.alloc(layout);
            }
            let top = base() + POS.load(Ordering::Relaxed);
            let Some(start) = top.checked_sub(layout.size()) else {
                return core::ptr::null_mut();
            };
            let start = start & !(layout.align() - 1);
            if start < base() {
                return core::ptr::null_mut();
            }
            let pos = start - base();
            POS.store(pos, Ordering::Relaxed);
            LOWEST.fetch_min(pos, Ordering::Relaxed);
            start as *mut u8
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            let at = ptr as usize;
            if at < base() || at >= base() + HEAP_BYTES {
                System.dealloc(ptr, layout);
            }
        }
    }

    /// Runs `f` with a fresh SBF heap.
    pub fn measured<T>(f: impl FnOnce() -> T) -> T {
        POS.store(HEAP_BYTES, Ordering::Relaxed);
        ACTIVE.store(true, Ordering::Relaxed);
        let out = f();
        ACTIVE.store(false, Ordering::Relaxed);
        out
    }

    /// The most heap any measured call used, bytes.
    pub fn peak() -> usize {
        HEAP_BYTES - LOWEST.load(Ordering::Relaxed)
    }
}

#[global_allocator]
static HEAP: sbf_heap::SbfHeap = sbf_heap::SbfHeap;

/// One instruction with its accounts: (key, owner, signer, writable, executable, data).
pub struct Case {
    pub program: Pubkey,
    pub accounts: Vec<(Pubkey, Pubkey, bool, bool, bool, Vec<u8>)>,
    pub data: Vec<u8>,
}

/// Runs `case` `n` times from the same account data; returns the failures.
fn run_case(case: &Case, n: usize) -> usize {
    let fresh: Vec<Vec<u8>> = case.accounts.iter().map(|a| a.5.clone()).collect();
    let mut datas = fresh.clone();
    let mut lamports = vec![1_000_000_000u64; case.accounts.len()];
    let mut failures = 0;
    for _ in 0..n {
        for (d, f) in datas.iter_mut().zip(&fresh) {
            d.copy_from_slice(f);
        }
        let infos: Vec<AccountInfo> = case
            .accounts
            .iter()
            .zip(lamports.iter_mut().zip(datas.iter_mut()))
            .map(
                |((key, owner, signer, writable, executable, _), (lamports, data))| {
                    AccountInfo::new(key, *signer, *writable, lamports, data, owner, *executable)
                },
            )
            .collect();
        if let Err(e) = sbf_heap::measured(|| cu_measure_target(&case.program, &infos, &case.data))
        {
            if failures == 0 {
                eprintln!("failed: {e:?}");
            }
            failures += 1;
        }
    }
    failures
}

fn config_bytes(genesis_ts: i64) -> Vec<u8> {
    let config = io_token::Config {
        version: 1,
        bump: 255,
        mint_authority_bump: 255,
        io_mint_bump: 255,
        paused: false,
        max_hours_per_call: 24,
        authority: Pubkey::new_unique(),
        pending_authority: Pubkey::default(),
        emission_controller: CONTROLLER,
        emission_destination: DESTINATION,
        io_mint: io_token::IO_MINT_ADDRESS,
        genesis_ts,
        genesis_minted: io_token::constants::GENESIS_SUPPLY,
        emission_minted: 0,
        emission_forfeited: 0,
        next_hour: 0,
        emission_controller_locked: false,
        _reserved: [0; 127],
    };
    let mut data = Vec::with_capacity(io_token::Config::SPACE);
    config.try_serialize(&mut data).expect("serialize");
    data.resize(io_token::Config::SPACE, 0);
    data
}

const CONTROLLER: Pubkey = Pubkey::new_from_array([7; 32]);
const DESTINATION: Pubkey = Pubkey::new_from_array([8; 32]);

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "mint_emission_1".into());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    set_syscall_stubs(Box::new(Stubs));
    let hours: u64 = match case.as_str() {
        "mint_emission_1" => 1,
        "mint_emission_24" => 24,
        other => {
            let built = if other.starts_with("revenue_") {
                revenue_cases::build(other, NOW)
            } else if other.starts_with("reservations_") {
                reservations_cases::build(other, NOW)
            } else {
                staking_cases::build(other, NOW)
            };
            let failures = run_case(&built, n);
            println!(
                "{case}: {n} calls, {failures} failed, peak heap {} bytes",
                sbf_heap::peak()
            );
            assert_eq!(failures, 0, "the instruction must succeed to be measured");
            return;
        }
    };

    let genesis_ts = NOW - 25 * 3_600;
    let keys = [
        CONTROLLER,
        io_token::CONFIG_ADDRESS,
        io_token::IO_MINT_ADDRESS,
        io_token::MINT_AUTHORITY_ADDRESS,
        DESTINATION,
        spl_token::ID,
        Pubkey::find_program_address(&[b"__event_authority"], &io_token::ID).0,
        io_token::ID,
    ];
    let owners = [
        anchor_lang::solana_program::system_program::ID,
        io_token::ID,
        spl_token::ID,
        anchor_lang::solana_program::system_program::ID,
        spl_token::ID,
        anchor_lang::solana_program::bpf_loader_upgradeable::ID,
        anchor_lang::solana_program::system_program::ID,
        anchor_lang::solana_program::bpf_loader_upgradeable::ID,
    ];
    let mint = staking_cases::mint();
    let mut destination = vec![0u8; spl_token::state::Account::LEN];
    spl_token::state::Account {
        mint: io_token::IO_MINT_ADDRESS,
        owner: Pubkey::new_unique(),
        state: spl_token::state::AccountState::Initialized,
        ..Default::default()
    }
    .pack_into_slice(&mut destination);
    let fresh_config = config_bytes(genesis_ts);
    let mut datas: Vec<Vec<u8>> = vec![
        vec![],
        fresh_config.clone(),
        mint,
        vec![],
        destination,
        vec![],
        vec![],
        vec![],
    ];
    let mut lamports = [1_000_000_000u64; 8];
    let data = io_token::instruction::MintEmission {
        args: io_token::MintEmissionArgs {
            first_hour: 0,
            amounts: (0..hours).map(ngpu_math::hour_budget).collect(),
        },
    }
    .data();

    let mut failures = 0;
    for _ in 0..n {
        datas[1].copy_from_slice(&fresh_config);
        let mut infos = Vec::with_capacity(8);
        for (((key, owner), (lamports, data)), i) in keys
            .iter()
            .zip(owners.iter())
            .zip(lamports.iter_mut().zip(datas.iter_mut()))
            .zip(0..)
        {
            let signer = i == 0;
            let writable = matches!(i, 1 | 2 | 4);
            let executable = matches!(i, 5 | 7);
            infos.push(AccountInfo::new(
                key, signer, writable, lamports, data, owner, executable,
            ));
        }
        if sbf_heap::measured(|| cu_measure_target(&io_token::ID, &infos, &data)).is_err() {
            failures += 1;
        }
    }
    println!(
        "{case}: {n} calls, {failures} failed, peak heap {} bytes",
        sbf_heap::peak()
    );
    assert_eq!(failures, 0, "the instruction must succeed to be measured");
}
