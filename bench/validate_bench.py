"""Benchmark (not a test): `aksnet validate` speed.

1. `aksnet validate specs/kubenet.yaml` in a fresh process: wall time < 0.3 s (best of 5, so a cold disk
   cache does not count; the median is printed too).
2. 1,000 specs (copies of the three walkthrough specs, each with a distinct metadata.name) in one
   `aksnet validate` run: wall time < 3 s.
3. The floor, measured the same way: a process that only starts Python and imports what validating needs
   from outside aksnet (yaml, jsonschema); `python -c pass` is printed too. The ratio validate / floor is
   aksnet's own share of the start-up.
4. With `--before DIR` (an older checkout, e.g. `git worktree add /tmp/aksnet-before <commit>`): that
   checkout's `aksnet validate` on its own specs/kubenet.yaml, measured interleaved with this one (same
   interpreter and packages); PASS when this tree is at least as fast (best of N, 2 % for noise).
Also lists any heavy module (azure.*, rich) imported on the validate path (`python -X importtime`).
Prints the measurements and PASS/FAIL; exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
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
ROUNDS = 15  # best-of for the floor and before/after comparisons
NOISE = 1.02  # "at least as fast": within 2 % of the older checkout's best


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


def _best(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    return min(_once(argv, cwd, env) for _ in range(ROUNDS))


def floor() -> bool:
    """Start-up no validator can avoid: the interpreter plus the libraries validating needs (not aksnet's)."""
    bare = _best([sys.executable, "-c", "pass"], ROOT)
    libraries = _best([sys.executable, "-c", "import yaml, jsonschema"], ROOT)
    validate = _best([*AKSNET, "validate", "specs/kubenet.yaml"], ROOT)
    print(f"floor: python -c pass {bare:.3f} s; + import yaml, jsonschema {libraries:.3f} s; "
          f"validate {validate:.3f} s = {validate / libraries:.2f}x the floor (best of {ROUNDS})")
    return True


def _once(argv: list[str], cwd: Path, env: dict[str, str] | None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} in {cwd} failed (exit {done.returncode}): {done.stderr.strip()[:300]}")
    return elapsed


def before_and_after(before: Path) -> bool:
    """This tree's validate against an older checkout's, interleaved so both meet the same machine load."""
    before = before.resolve()
    old_env = dict(os.environ, PYTHONPATH=str(before))  # the checkout's aksnet shadows the installed one
    where = subprocess.run([sys.executable, "-c", "import aksnet; print(aksnet.__file__)"], cwd=before,
                           env=old_env, capture_output=True, text=True, check=False).stdout.strip()
    if not where.startswith(str(before)):
        print(f"before: {before} does not provide aksnet (imported from {where or '?'})  FAIL")
        return False
    command = [*AKSNET, "validate", "specs/kubenet.yaml"]
    old_times, new_times = [], []
    for _ in range(ROUNDS):
        old_times.append(_once(command, before, old_env))
        new_times.append(_once(command, ROOT, None))
    old, new = min(old_times), min(new_times)
    ok = new <= old * NOISE
    print(f"before ({before}): best {old:.3f} s, median {statistics.median(old_times):.3f} s; "
          f"now: best {new:.3f} s, median {statistics.median(new_times):.3f} s; now/before {new / old:.2f} "
          f"(best of {ROUNDS}, interleaved)  {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="aksnet validate speed")
    parser.add_argument("--before", type=Path, metavar="DIR", help="an older checkout to compare with")
    args = parser.parse_args(argv)
    results = [bench_one(), bench_many(), heavy_imports(), floor()]
    if args.before is not None:
        results.append(before_and_after(args.before))
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
