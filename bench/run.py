#!/usr/bin/env python3
"""Times a cold `aftermath build` against the floor program on generated sites.

For each size: generate a site (examples/generate_site.rs, fixed seed), then run each program
several times into a fresh output folder and print the median wall time, pages per second, peak
memory (RSS) and CPU use, and aftermath's ratio to the floor. Release builds; GNU time measures.

Usage (from the repository root):
    python3 bench/run.py                       # N = 1,000, 10,000 and 100,000; 5 runs each
    python3 bench/run.py --sizes 1000,10000 --runs 3
    python3 bench/run.py --sizes 10000 --plain-code    # the same sites without highlighting
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys

AS_OF = "2024-01-01T00:00:00Z"  # the generator's sites end here
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "target")
WORK = os.path.join(TARGET, "bench")
# Outputs go to a RAM-backed folder when there is one: on a shared virtual machine, disk
# write-back makes file-writing times swing by several times from run to run.
OUT = "/dev/shm/aftermath-bench" if os.path.isdir("/dev/shm") else WORK


def run(command):
    """Runs `command` under GNU time; returns (seconds, peak RSS in MB, CPU %)."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M %P", *command], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    seconds, kilobytes, cpu = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024, int(cpu.rstrip("%"))


def html_files(folder):
    return sum(1 for _, _, files in os.walk(folder) for name in files if name.endswith(".html"))


def measure(name, command, output, runs):
    times, memory, cpu = [], [], []
    for _ in range(runs):
        shutil.rmtree(output, ignore_errors=True)
        # Write the previous run's files out first, so no run pays for another's write-back.
        os.sync()
        seconds, mb, percent = run(command)
        times.append(seconds)
        memory.append(mb)
        cpu.append(percent)
    return {"name": name, "seconds": statistics.median(times), "mb": statistics.median(memory),
            "cpu": statistics.median(cpu), "pages": html_files(output)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plain-code", action="store_true",
                        help="generate the code blocks without a language, so nothing is highlighted")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "aftermath", "--example", "generate_site", "--example", "floor"], cwd=ROOT, check=True)
    aftermath = os.path.join(TARGET, "release", "aftermath")
    generate = os.path.join(TARGET, "release", "examples", "generate_site")
    floor = os.path.join(TARGET, "release", "examples", "floor")
    print(f"outputs in {OUT}")
    print(f"{'N':>7}  {'program':<10} {'median s':>9} {'pages/s':>9} {'peak MB':>8} {'CPU %':>6} {'x floor':>8}")
    for size in [int(s) for s in args.sizes.split(",")]:
        suffix = "-plain" if args.plain_code else ""
        site = os.path.join(WORK, f"site-{size}{suffix}")
        if not os.path.isdir(os.path.join(site, "content")):
            extra = ["--plain-code"] if args.plain_code else []
            subprocess.run([generate, site, "--count", str(size), *extra], check=True, capture_output=True)
        out = os.path.join(OUT, f"out-{size}")
        base = measure("floor", [floor, site, out], out, args.runs)
        ours = measure("aftermath", [aftermath, "build", "--root", site, "--output", out, "--as-of", AS_OF, "--force", "-q"], out, args.runs)
        for row in (base, ours):
            ratio = row["seconds"] / base["seconds"] if base["seconds"] else float("nan")
            print(f"{size:>7}  {row['name']:<10} {row['seconds']:>9.3f} {row['pages'] / max(row['seconds'], 1e-9):>9.0f} "
                  f"{row['mb']:>8.0f} {row['cpu']:>6} {ratio:>8.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
