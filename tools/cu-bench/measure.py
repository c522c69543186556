#!/usr/bin/env python3
"""Own-code CU estimate per instruction (RELIABILITY.md section 7 and appendix A).

For each case: runs `target/cu-bench/cu-bench CASE N` under callgrind for N = 200 and 400,
takes the difference / 200 (exact: one call's count), then takes out the functions that are
syscalls on SBF (natively they run as plain code: `msg!` prints through std, the memory
syscalls are Rust loops, the CPI and sysvar stubs return at once) and charges them at their SBF
price instead (RELIABILITY section 5):
    own code x 3.3 + 100 per log line + 10 per memcpy / memmove / memset / memcmp
    + 1,000 per CPI (the callee's CU are metered by program-test) + 140 per Clock read.
The benchmark's allocator is SBF's bump allocator (tools/cu-bench/src/main.rs), so allocations
cost what they cost there.

Usage: python3 tools/cu-bench/measure.py crank_hour_1 stake ...   (after
`cargo build --profile cu-bench -p cu-bench`)
"""
import os
import re
import subprocess
import sys

K = 3.3
# (pattern of the native function, SBF CU per call, label)
SYSCALLS = [
    (r"^std::io::stdio::_print$", 100, "log"),
    # A PDA derivation attempt (inlined natively): its SHA-256 and its off-curve check, thousands
    # of x86 instructions, are one 1,500 CU syscall on SBF (one per bump find_program_address
    # tries).
    (r"^curve25519_dalek::edwards::CompressedEdwardsY::decompress$", 1500, "pda"),
    (r"^sha2::sha256::compress256$", 0, "sha256 blocks"),
    (r"^solana_program_memory::stubs::sol_mem(cpy|move|set|cmp)$", 10, "mem"),
    (r"<cu_bench::Stubs as solana_sysvar::program_stubs::SyscallStubs>::sol_invoke_signed$", 1000, "cpi"),
    (r"<cu_bench::Stubs as solana_sysvar::program_stubs::SyscallStubs>::sol_get_clock_sysvar$", 140, "clock"),
    (r"<cu_bench::Stubs as solana_sysvar::program_stubs::SyscallStubs>::sol_get_rent_sysvar$", 140, "rent"),
]


def parse(path):
    """Total Ir, and for every called function its call count and inclusive cost."""
    names, total = {}, 0
    calls, incl = {}, {}
    pending = None
    with open(path) as f:
        for line in f:
            if line.startswith("summary:"):
                total = int(line.split()[1])
            m = re.match(r"^c?fn=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if m:
                if m.group(2):
                    names[m.group(1)] = m.group(2)
                if line.startswith("cfn="):
                    callee = names[m.group(1)]
                continue
            if line.startswith("calls="):
                pending = (callee, int(line.split("=")[1].split()[0]))
                continue
            if pending:
                name, n = pending
                cost = int(line.split()[1])
                calls[name] = calls.get(name, 0) + n
                incl[name] = incl.get(name, 0) + cost
                pending = None
    return total, calls, incl


def measure(case):
    runs = {}
    for n in (200, 400):
        out = f"/tmp/cu.{case}.{n}"
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--toggle-collect=cu_measure_target",
             f"--callgrind-out-file={out}", os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "cu-bench", "cu-bench"), case, str(n)],
            check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        runs[n] = parse(out)
    (t2, c2, i2), (t4, c4, i4) = runs[200], runs[400]
    raw = (t4 - t2) / 200
    removed, charged, detail = 0.0, 0.0, {}
    for pattern, cu, label in SYSCALLS:
        for name in c4:
            if re.search(pattern, name):
                n = (c4[name] - c2.get(name, 0)) / 200
                removed += (i4[name] - i2.get(name, 0)) / 200
                charged += n * cu
                detail[label] = detail.get(label, 0) + n
    own = raw - removed
    est = own * K + charged
    counts = ", ".join(f"{k} {v:g}" for k, v in sorted(detail.items()))
    print(f"| `{case}` | {raw:,.0f} | {own:,.0f} | {counts} | {charged:,.0f} | **≈ {est / 1000:.1f}k** |")


if __name__ == "__main__":
    print("| case | x86 instr. per call | own code (syscalls out) | syscalls per call | their CU | estimate, CU (own code x 3.3 + syscalls; CPI callees not included) |")
    print("|---|---|---|---|---|---|")
    for case in sys.argv[1:]:
        measure(case)
