#!/usr/bin/env bash
# Test one built wheel on several CPythons, each in a fresh virtualenv (never an editable build).
# Usage: test-wheel.sh WHEEL DEFAULT_PYTHON [OTHER_PYTHON...]
set -euo pipefail
wheel=$(realpath "$1"); default=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ "$#" -ge 2 ] || { echo "test-wheel: need the oldest and newest CPython too (pyenv 3.9 and 3.13); got: $*" >&2; exit 1; }

run() { # python, with-extras
  local py=$1 extras=$2 venv="$work/venv-$(basename "$(dirname "$(dirname "$1")")")-$RANDOM"
  echo "== $("$py" --version) (fresh venv, installed wheel)"
  "$py" -m venv "$venv"
  # pytest 9 needs CPython 3.10+; 8.4 is the last for 3.9.
  local pytest=pytest==9.2.0
  "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || pytest=pytest==8.4.2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "wagroups[httpx] @ file://$wheel" "$pytest"
  if [ "$extras" = yes ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check mypy==2.4.1 -r "$root/examples/python/requirements.txt"
  fi
  # Run from outside the source tree so `import wagroups` can only find the installed wheel.
  (cd "$work" && "$venv/bin/python" -m pytest -q -p no:cacheprovider -W ignore::DeprecationWarning \
      "$root/bindings-python/tests" $([ "$extras" = yes ] && echo "$root/examples/python"))
  if [ "$extras" = yes ]; then
    echo "== mypy --strict and stubtest"
    (cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental \
        "$root/bindings-python/tests/typed_usage.py" "$root/examples/python/app.py" "$root/examples/python/test_app.py")
    echo "== mypy --strict over the package itself (the clients are plain Python)"
    (cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental -p wagroups)
    if (cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental "$root/bindings-python/tests/typed_misuse.py" > "$work/misuse.txt"); then
      echo "typed_misuse.py passed mypy: the typings do not constrain" >&2; exit 1
    fi
    errors=$(grep -c ': error:' "$work/misuse.txt" || true)
    [ "$errors" = 3 ] || { cat "$work/misuse.txt"; echo "expected 3 mypy errors in typed_misuse.py, got $errors" >&2; exit 1; }
    echo "typed_misuse.py: rejected with $errors errors, as it must be"
    (cd "$work" && "$venv/bin/python" -m mypy.stubtest wagroups._native)
  fi
}

run "$(command -v "$default")" yes
for py in "$@"; do run "$py" no; done
