#!/usr/bin/env bash
# `make test-py`: the unit tests on every installed Python of the supported range (3.11-3.13), each in its
# own virtualenv (.venv-py3.X, made once, refreshed when pyproject.toml changes). An interpreter is found
# on PATH, else among pyenv's versions; one that is not installed is reported and skipped; a failing one
# fails the target, after all have run.
set -uo pipefail
cd "$(dirname "$0")/.."
versions=${PY_VERSIONS:-"3.11 3.12 3.13"}
ran=0 failed=""

find_python() {  # $1 = 3.12 -> a working python3.12, or nothing
  local name="python$1" candidate
  if command -v "$name" >/dev/null 2>&1 && "$name" -c "import sys" >/dev/null 2>&1; then
    command -v "$name"; return
  fi
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/"$1".*/bin/"$name"; do
      [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
  fi
}

for version in $versions; do
  python=$(find_python "$version")
  if [ -z "$python" ]; then
    echo "test-py: Python $version is not installed: skipped"
    continue
  fi
  venv=".venv-py$version"
  # (re)install when the venv is new or pyproject.toml changed since, as `make install` does for .venv
  if [ ! -f "$venv/.installed" ] || [ pyproject.toml -nt "$venv/.installed" ]; then
    { [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"; } && "$venv/bin/pip" install -q --upgrade pip \
      && "$venv/bin/pip" install -q -e '.[dev]' && touch "$venv/.installed" \
      || { failed="$failed $version(install)"; continue; }
  fi
  echo "== Python $version ($("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])'))"
  if "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/unit; then
    ran=$((ran + 1))
  else
    failed="$failed $version"
  fi
done

if [ -n "$failed" ]; then
  echo "test-py: failed on:$failed"
  exit 1
fi
if [ "$ran" = 0 ]; then
  echo "test-py: no supported Python found"
  exit 1
fi
echo "test-py: unit tests passed on $ran interpreter(s)"
