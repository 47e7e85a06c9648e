#!/usr/bin/env python3
"""Times `aftermath serve` from saving a postmortem to the new page being served.

Copies a generated site (examples/generate_site.rs, 10,000 incidents by default) to a scratch
folder, starts a release `aftermath serve` on it, then edits one postmortem's title several
times. For each edit it notes the time just before the file is written and asks for that
incident's page every 2 ms until the page carries the new title. Prints every latency and the
median. Nothing in the generated benchmark site is changed.

Usage (from the repository root):
    python3 bench/serve_latency.py                    # 10,000 incidents, 10 edits
    python3 bench/serve_latency.py --size 1000 --edits 5
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

AS_OF = "2024-01-01T00:00:00Z"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "target")
WORK = os.path.join(TARGET, "bench")


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "aftermath", "--example", "generate_site"],
                   cwd=ROOT, check=True)
    aftermath = os.path.join(TARGET, "release", "aftermath")
    site = os.path.join(WORK, f"site-{args.size}")
    if not os.path.isdir(os.path.join(site, "content")):
        generate = os.path.join(TARGET, "release", "examples", "generate_site")
        subprocess.run([generate, site, "--count", str(args.size)], check=True, capture_output=True)
    scratch = os.path.join(WORK, f"serve-{args.size}")
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site, scratch)
    years = sorted(os.listdir(os.path.join(scratch, "content")))
    name = sorted(os.listdir(os.path.join(scratch, "content", years[0])))[0]
    postmortem = os.path.join(scratch, "content", years[0], name)
    incident = os.path.splitext(name)[0]

    log_path = os.path.join(WORK, f"serve-{args.size}.log")
    log = open(log_path, "w", encoding="utf-8")  # a file, so the server never blocks on a full pipe
    server = subprocess.Popen([aftermath, "serve", "--root", scratch, "--port", "0", "--as-of", AS_OF],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        address = None
        deadline = time.time() + 120
        while address is None and server.poll() is None and time.time() < deadline:
            found = re.search(r"http://127\.0\.0\.1:\d+/", open(log_path, encoding="utf-8").read())
            address = found.group(0) if found else None
            time.sleep(0.05)
        if address is None:
            sys.exit(f"the server did not start; see {log_path}")
        page = f"{address}incidents/{incident}/"
        original = open(postmortem, encoding="utf-8").read()
        latencies = []
        for edit in range(args.edits):
            marker = f"Edited {edit} {time.time_ns()}"
            text = re.sub(r'^title = ".*"$', f'title = "{marker}"', original, count=1, flags=re.M)
            time.sleep(1.0)  # let the previous rebuild finish and the watcher settle
            started = time.perf_counter()
            with open(postmortem, "w", encoding="utf-8") as file:
                file.write(text)
            while marker not in fetch(page):
                if time.perf_counter() - started > 10:
                    sys.exit(f"edit {edit}: the page did not change within 10 s")
                time.sleep(0.002)
            latencies.append((time.perf_counter() - started) * 1000)
            print(f"edit {edit + 1}: {latencies[-1]:.0f} ms", flush=True)
        print(f"median save-to-page latency over {len(latencies)} edits of a {args.size}-incident site: "
              f"{statistics.median(latencies):.0f} ms")
    finally:
        server.terminate()
        server.wait()
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
