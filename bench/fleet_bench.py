"""Fleet drift under Azure's throttle, in 1, 2 and 4 concurrent shards; many specs in one apply.

1. Drift: an in-process emulator holds a fleet of N specs (default 200, one resource group each,
   built by tests/helpers/fleet.py) applied by one `aksnet apply`. With ARM's buckets on (`aksnet
   emulator serve --throttle azure`: reads 250 burst, 25/s), `aksnet drift DIR` runs as 1, 2 and 4
   concurrent processes (`--shard K/N`). Per run: ARM requests and 429s (from the emulator's
   journal), wall time, exit codes and specs left unchecked. The ideal is counted independently from
   the emulator's database: per type aksnet reads, one list request per page of every resource of that
   type in the subscription (each shard lists the whole subscription, so N shards cost N x ideal).
   Targets: every run exits 0 with zero unchecked specs; one shard <= 50 requests; requests / ideal
   <= 1.1. Then the same with one GET per resource (`--reads per-resource`, 1 and 2 shards): several
   times ARM's read burst, so the shards must share the budget; target: every run exits 0, every spec
   checked; wall time shown against the refill-bound ideal.
2. Apply: 10 specs in one `aksnet apply` against 10 `aksnet apply` of one spec each, one after the
   other, with 50 ms added to every request. Target: together / one after another <= 0.5 (ratios, not
   absolute times).
Usage: python bench/fleet_bench.py [--specs N] [--apply-specs M]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "helpers"))
MAX_REQUESTS_ONE_SHARD = 50
READ_BUCKET, READ_REFILL = 250, 25.0  # ARM's subscription read bucket (aksnet emulator serve --throttle azure)
IDEAL_RATIO = 1.1
APPLY_RATIO = 0.5
# The types a fleet's drift reads (ARM type as the emulator stores it, lower case).
READ_TYPES = ("microsoft.resources/resourcegroups", "microsoft.network/virtualnetworks",
              "microsoft.network/networksecuritygroups", "microsoft.network/routetables",
              "microsoft.containerservice/managedclusters", "microsoft.authorization/roleassignments")


def aksnet(argv: list[str]) -> tuple[int, str, str]:
    from aksnet.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def arm_entries(admin: Any, since: int) -> list[dict[str, Any]]:
    return [e for e in admin.journal(since) if e["path"].lower().startswith("/subscriptions")]


def last_index(admin: Any) -> int:
    entries = admin.journal()
    return int(entries[-1]["index"]) if entries else 0


def ideal_requests(db: str, page_size: int) -> int:
    """One list request per page of each type in the subscription, counted from the database."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        counts = [conn.execute("SELECT count(*) FROM resources WHERE type=?", (t,)).fetchone()[0] for t in READ_TYPES]
    return sum(max(1, math.ceil(n / page_size)) for n in counts)


def managed_resources(paths: list[str]) -> int:
    """How many resources the specs manage (what one GET per resource would read)."""
    from aksnet.core.desired import desired_state
    from aksnet.spec.load import load_spec

    return sum(len(desired_state(load_spec(p), "00000000-0000-0000-0000-000000000000")) for p in paths)


def drift_shards(emulator: Any, admin: Any, fleet: Path, shards: int, *extra: str) -> dict[str, Any]:
    admin.throttle()  # Azure's buckets, full again
    since = last_index(admin)
    target = ["--endpoint", emulator.endpoint, "--ca-file", emulator.ca_file]

    def one(index: int) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "aksnet", "drift", str(fleet), "-o", "json", "--no-summary", *extra, *target]
        if shards > 1:
            argv += ["--shard", f"{index}/{shards}"]
        return subprocess.run(argv, capture_output=True, text=True, cwd=REPO, check=False, timeout=1800)

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=shards) as pool:
        done = list(pool.map(one, range(1, shards + 1)))
    wall = time.monotonic() - start
    entries = arm_entries(admin, since)
    unchecked, checked = 0, 0
    for proc in done:
        try:
            doc = json.loads(proc.stdout)
            unchecked += len(doc["errors"])
            checked += len(doc["specs"])
        except (ValueError, KeyError):
            unchecked += 1
            print(proc.stderr[-2000:], file=sys.stderr)
    return {"shards": shards, "codes": [p.returncode for p in done], "requests": len(entries),
            "throttled": sum(1 for e in entries if e["status"] == 429), "wall": wall, "checked": checked,
            "unchecked": unchecked}


def bench_drift(count: int, page_size: int) -> bool:
    from fleet import build_fleet

    from aksnet.emulator.arm.contract import Settings
    from aksnet.emulator.control.client import EmulatorAdmin
    from aksnet.emulator.server import start_emulator

    home = Path(tempfile.mkdtemp(prefix="aksnet-fleet-bench-"))
    os.environ["AKSNET_HOME"] = str(home)
    db = str(home / "emulator.db")
    fleet = home / "fleet"
    paths = build_fleet(fleet, count)
    settings = Settings(default_network_duration=0.05, default_aks_duration=0.1)
    ok = True
    with start_emulator(db, settings) as emulator:
        admin = EmulatorAdmin(emulator.endpoint, emulator.ca_file)
        target = ["--endpoint", emulator.endpoint, "--ca-file", emulator.ca_file]
        start = time.monotonic()
        code, _, err = aksnet(["apply", *paths, "--auto-approve", "--parallelism", "16", *target])
        if code != 0:
            print(err[-3000:], file=sys.stderr)
            return False
        print(f"fleet: {count} specs applied in {time.monotonic() - start:.1f}s")
        ideal = ideal_requests(db, page_size)
        per_resource = managed_resources(paths)
        print(f"ideal per-type reads: {ideal} requests (one GET per resource would be {per_resource})")
        for shards in (1, 2, 4):
            run = drift_shards(emulator, admin, fleet, shards)
            ratio = run["requests"] / (ideal * shards)
            good = (all(c == 0 for c in run["codes"]) and run["unchecked"] == 0 and run["checked"] == count
                    and ratio <= IDEAL_RATIO and (shards > 1 or run["requests"] <= MAX_REQUESTS_ONE_SHARD))
            ok = ok and good
            print(f"{'PASS' if good else 'FAIL'}: {shards} shard(s): exit {run['codes']}, {run['checked']} checked, "
                  f"{run['unchecked']} unchecked, {run['requests']} requests ({ratio:.2f} x ideal {ideal * shards}), "
                  f"{run['throttled']} x 429, {run['wall']:.1f}s")
        # The shared budget under load: one GET per resource is several times ARM's read burst, so
        # the shards must pace themselves from the remaining-reads header (and wait any 429 out).
        # The ideal wall time: the reads beyond one full bucket, at the bucket's refill rate.
        paced_ideal = max(0.0, (per_resource - READ_BUCKET) / READ_REFILL)
        for shards in (1, 2):
            run = drift_shards(emulator, admin, fleet, shards, "--reads", "per-resource")
            good = all(c == 0 for c in run["codes"]) and run["unchecked"] == 0 and run["checked"] == count
            ok = ok and good
            versus = f" ({run['wall'] / paced_ideal:.2f} x the refill-bound ideal {paced_ideal:.1f}s)" if paced_ideal else ""
            print(f"{'PASS' if good else 'FAIL'}: {shards} shard(s), one GET per resource: exit {run['codes']}, "
                  f"{run['unchecked']} unchecked, {run['requests']} requests, {run['throttled']} x 429, "
                  f"{run['wall']:.1f}s{versus}")
    return ok


def bench_apply(count: int) -> bool:
    from fleet import build_fleet

    from aksnet.emulator.arm.contract import Settings
    from aksnet.emulator.control.client import EmulatorAdmin
    from aksnet.emulator.server import start_emulator

    home = Path(tempfile.mkdtemp(prefix="aksnet-apply-bench-"))
    os.environ["AKSNET_HOME"] = str(home)
    settings = Settings(default_network_duration=0.5, default_aks_duration=1.5)
    with start_emulator(str(home / "emulator.db"), settings) as emulator:
        admin = EmulatorAdmin(emulator.endpoint, emulator.ca_file)
        admin.add_fault(latency_ms=50)
        target = ["--endpoint", emulator.endpoint, "--ca-file", emulator.ca_file]
        together_paths = build_fleet(home / "together", count)
        start = time.monotonic()
        code, _, err = aksnet(["apply", *together_paths, "--auto-approve", *target])
        together = time.monotonic() - start
        admin.reset()
        admin.add_fault(latency_ms=50)
        single_paths = build_fleet(home / "single", count)
        start = time.monotonic()
        codes = [aksnet(["apply", path, "--auto-approve", *target])[0] for path in single_paths]
        one_by_one = time.monotonic() - start
    ratio = together / one_by_one
    good = code == 0 and all(c == 0 for c in codes) and ratio <= APPLY_RATIO
    if code != 0:
        print(err[-2000:], file=sys.stderr)
    print(f"{'PASS' if good else 'FAIL'}: {count} specs in one apply {together:.1f}s, {count} applies one after "
          f"another {one_by_one:.1f}s: ratio {ratio:.2f} (target <= {APPLY_RATIO})")
    return good


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--specs", type=int, default=200)
    parser.add_argument("--apply-specs", type=int, default=10)
    args = parser.parse_args()
    from aksnet.emulator.arm.paging import page_size

    drift_ok = bench_drift(args.specs, page_size())
    apply_ok = bench_apply(args.apply_specs)
    return 0 if drift_ok and apply_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
