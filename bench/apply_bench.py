"""Apply wall time vs the dependency critical path (target: within 1.3x).

An in-process emulator with added latency on every request (default 50 ms) and realistic-but-short
operation durations (network 2 s, AKS 6 s) applies specs/azure-cni.yaml (RG -> NSG || route table ->
VNet -> cluster -> role assignment) from empty. The critical path is the sum over the plan's waves
of the slowest step in each wave, from the measured step durations; the ratio is the time from the
first step's start to the last step's end divided by it (scheduling overhead). The whole command's
time (reads, plan, verification re-plan included) is reported too.
Usage: python bench/apply_bench.py [SPEC] [--latency-ms N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("spec", nargs="?", default="specs/azure-cni.yaml")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--network-seconds", type=float, default=2.0)
    parser.add_argument("--aks-seconds", type=float, default=6.0)
    args = parser.parse_args()

    from aksnet.cli.main import main as aksnet
    from aksnet.emulator.arm.contract import Settings
    from aksnet.emulator.control.client import EmulatorAdmin
    from aksnet.emulator.server import start_emulator

    home = tempfile.mkdtemp(prefix="aksnet-bench-")
    os.environ["AKSNET_HOME"] = home
    settings = Settings(default_network_duration=args.network_seconds, default_aks_duration=args.aks_seconds)
    with start_emulator(str(Path(home) / "emulator.db"), settings) as emulator:
        EmulatorAdmin(emulator.endpoint, emulator.ca_file).add_fault(latency_ms=args.latency_ms)
        target = ["--endpoint", emulator.endpoint, "--ca-file", emulator.ca_file]
        out, err = io.StringIO(), io.StringIO()
        start = time.monotonic()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = aksnet(["apply", args.spec, "--auto-approve", "-o", "json", *target])
        command_wall = time.monotonic() - start
        if code != 0:
            print(err.getvalue(), file=sys.stderr)
            return 1
        doc = json.loads(out.getvalue())
    steps = {s["azure_id"]: s for s in doc["specs"][0]["steps"] if s["status"] == "done"}
    waves = _waves(args.spec, steps)
    critical = sum(max(steps[rid]["elapsed_seconds"] for rid in wave) for wave in waves)
    execute_wall = max(s["started_seconds"] + s["elapsed_seconds"] for s in steps.values())
    ratio = execute_wall / critical
    # The ideal: each wave as long as its slowest operation takes in the emulator (RG and role
    # assignment PUTs are synchronous), with no request, polling or scheduling cost at all.
    ideal = sum(max(_duration(r, args) for r in wave) for wave in waves)
    ideal_ratio = execute_wall / ideal
    print(f"spec {args.spec}: {len(steps)} steps in {len(waves)} waves, latency {args.latency_ms} ms/request")
    for number, wave in enumerate(waves, 1):
        parts = ", ".join(f"{steps[r]['address']} {steps[r]['elapsed_seconds']:.2f}s" for r in wave)
        print(f"  wave {number}: {parts}")
    print(f"critical path (sum of per-wave max): {critical:.2f}s")
    print(f"apply execution wall time:           {execute_wall:.2f}s")
    print(f"whole command (read, plan, verify):  {command_wall:.2f}s")
    print(f"ideal critical path (emulator op durations only): {ideal:.2f}s; "
          f"execution / ideal = {ideal_ratio:.3f}; whole command / ideal = {command_wall / ideal:.3f}")
    ok = ratio <= TARGET and ideal_ratio <= TARGET
    verdict = "PASS" if ok else "FAIL"
    print(f"{verdict}: execution / critical path = {ratio:.3f}, execution / ideal = {ideal_ratio:.3f} "
          f"(target <= {TARGET})")
    return 0 if ok else 1


def _duration(rid: str, args: argparse.Namespace) -> float:
    lowered = rid.lower()
    if "/providers/" not in lowered or "microsoft.authorization" in lowered:
        return 0.0
    return args.aks_seconds if "microsoft.containerservice" in lowered else args.network_seconds


def _waves(spec: str, steps: dict[str, dict[str, object]]) -> list[list[str]]:
    """The plan's waves on empty state (what the applier executed), restricted to executed steps."""
    from aksnet.core.desired import desired_state
    from aksnet.core.plan import build_plan
    from aksnet.spec.load import load_spec

    loaded = load_spec(spec)
    subscription = loaded.subscription_id or "00000000-0000-0000-0000-000000000000"
    desired = desired_state(loaded, subscription)
    plan = build_plan(desired, dict.fromkeys(desired), spec=loaded, subscription=subscription)
    return [[rid for rid in wave if rid in steps] for wave in plan.waves if any(rid in steps for rid in wave)]


if __name__ == "__main__":
    raise SystemExit(main())
