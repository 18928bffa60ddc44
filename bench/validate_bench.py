"""Benchmark (not a test): `aksnet validate` speed.

1. `aksnet validate specs/kubenet.yaml` in a fresh process: wall time < 0.3 s (best of 5, so a cold disk
   cache does not count; the median is printed too).
2. 1,000 specs (copies of the three walkthrough specs, each with a distinct metadata.name) in one
   `aksnet validate` run: wall time < 3 s.
Also lists any heavy module (azure.*, rich) imported on the validate path (`python -X importtime`).
Prints the measurements and PASS/FAIL; exit status 1 when a target is missed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = [ROOT / "specs" / name for name in ("kubenet.yaml", "azure-cni.yaml", "azure-cni-overlay.yaml")]
AKSNET = [sys.executable, "-m", "aksnet"]
ONE_TARGET = 0.3
MANY_TARGET = 3.0
MANY = 1000


def _timed(argv: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, done


def bench_one() -> bool:
    times = []
    for _ in range(5):
        elapsed, done = _timed([*AKSNET, "validate", "specs/kubenet.yaml"], ROOT)
        if done.returncode != 0:
            print(f"validate specs/kubenet.yaml failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
            return False
        times.append(elapsed)
    best, median = min(times), statistics.median(times)
    ok = best < ONE_TARGET
    print(f"validate 1 spec:     best {best:.3f} s, median {median:.3f} s (target < {ONE_TARGET} s)  {'PASS' if ok else 'FAIL'}")
    return ok


def bench_many() -> bool:
    with tempfile.TemporaryDirectory(prefix="aksnet-bench-") as tmp:
        files = []
        for i in range(MANY):
            source = SPECS[i % len(SPECS)].read_text(encoding="utf-8")
            text = source.replace("  name: aks-", f"  name: bench{i}-aks-", 1)
            path = Path(tmp) / f"spec{i:04d}.yaml"
            path.write_text(text, encoding="utf-8")
            files.append(path.name)
        elapsed, done = _timed([*AKSNET, "validate", "-o", "json", *files], Path(tmp))
    ok = done.returncode == 0 and elapsed < MANY_TARGET
    note = "" if done.returncode == 0 else f" (exit {done.returncode}: {done.stderr.strip()[:200]})"
    print(f"validate {MANY} specs: {elapsed:.3f} s (target < {MANY_TARGET} s)  {'PASS' if ok else 'FAIL'}{note}")
    return ok


def heavy_imports() -> bool:
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    done = subprocess.run(
        [*AKSNET, "validate", "specs/kubenet.yaml"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    modules = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    heavy = sorted({m for m in modules if m.split(".")[0] in ("azure", "rich", "deepdiff", "cryptography")})
    print(f"heavy imports on the validate path: {', '.join(heavy) if heavy else 'none'}  {'FAIL' if heavy else 'PASS'}")
    return not heavy


def main() -> int:
    results = [bench_one(), bench_many(), heavy_imports()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
