"""`make bench`: run every bench/*_bench.py in its own process and report which missed its target.

A benchmark is a script named `<topic>_bench.py` that prints its measurements with PASS/FAIL and exits
non-zero when a target is missed. Add one by dropping a file here; `python bench/run.py NAME` runs only
the benchmarks whose file name contains NAME.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("*_bench.py"))
    if argv:
        scripts = [s for s in scripts if any(word in s.name for word in argv)]
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        done = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        if done.returncode != 0:
            failed.append(script.name)
    print(f"== {len(scripts) - len(failed)}/{len(scripts)} benchmarks met their targets" + (f"; missed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
