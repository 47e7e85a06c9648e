#!/usr/bin/env python3
"""Times a cold `aftermath build` and a cached rebuild against the floor program.

For each size: generate a site (examples/generate_site.rs, fixed seed), then run each program
several times into a fresh output folder and print the median wall time, pages per second, peak
memory (RSS) and CPU use, and the ratio to the floor. "aftermath" is a cold build (--no-cache);
"rebuild" is what CI does after one merged postmortem: the build cache of the previous run
restored, no output folder, one postmortem more, an hour later. Release builds; GNU time measures.

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
# The rebuild runs an hour later, as CI does on the next merge: "now" has moved, so every page
# that shows the as-of time must be rendered again, and nothing is flattered by an unchanged one.
LATER = "2024-01-01T01:00:00Z"
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


def rebuild(build, site, out, runs):
    """A CI run after one merged postmortem: the cache restored from the previous run (built
    without the new postmortem), a fresh checkout (no output folder), one postmortem more."""
    before = os.path.join(WORK, "rebuild-before")
    after = os.path.join(WORK, "rebuild-after")
    for folder in (before, after):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(site, folder, ignore=shutil.ignore_patterns(".aftermath-cache"))
    with open(os.path.join(after, "content", "one-more.md"), "w") as file:
        file.write(NEW_POSTMORTEM)
    run([*build, "--root", before])
    later = [LATER if arg == AS_OF else arg for arg in build]
    times, memory, cpu = [], [], []
    for _ in range(runs):
        shutil.rmtree(os.path.join(after, ".aftermath-cache"), ignore_errors=True)
        shutil.copytree(os.path.join(before, ".aftermath-cache"), os.path.join(after, ".aftermath-cache"))
        shutil.rmtree(out, ignore_errors=True)
        os.sync()
        seconds, mb, percent = run([*later, "--root", after])
        times.append(seconds)
        memory.append(mb)
        cpu.append(percent)
    return {"name": "rebuild", "seconds": statistics.median(times), "mb": statistics.median(memory),
            "cpu": statistics.median(cpu), "pages": html_files(out)}


NEW_POSTMORTEM = """+++
title = "Checkout errors after a configuration push"
start = 2023-12-30T09:12:00Z
end = 2023-12-30T09:51:00Z
services = ["API Requests"]
severity = "major"
impact = 20
+++

## Summary
A configuration push removed a route; checkout requests failed until it was rolled back.

```yaml
routes:
  - path: /checkout
    upstream: payments
```
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-rebuild", action="store_true",
                        help="skip the cached rebuild after one added postmortem")
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
        build = [aftermath, "build", "--output", out, "--as-of", AS_OF, "--force", "-q"]
        ours = measure("aftermath", [*build, "--root", site, "--no-cache"], out, args.runs)
        rows = [base, ours]
        if not args.no_rebuild:
            rows.append(rebuild(build, site, out, args.runs))
        for row in rows:
            ratio = row["seconds"] / base["seconds"] if base["seconds"] else float("nan")
            print(f"{size:>7}  {row['name']:<10} {row['seconds']:>9.3f} {row['pages'] / max(row['seconds'], 1e-9):>9.0f} "
                  f"{row['mb']:>8.0f} {row['cpu']:>6} {ratio:>8.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
