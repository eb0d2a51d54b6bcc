#!/usr/bin/env bash
# Re-lock requirements/<name>.txt (exact versions + hashes) from requirements/<name>.in.
#   scripts/lock.sh [bot bot-nodeps backend backend-nodeps]
# Needs `uv` on PATH (pip install uv); installs themselves use plain pip --require-hashes.
# A *-nodeps lock holds packages installed without their declared dependencies.
set -euo pipefail
cd "$(dirname "$0")/../requirements"
names=("$@"); [ ${#names[@]} -gt 0 ] || names=(bot bot-nodeps backend backend-nodeps)
for name in "${names[@]}"; do
  extra=(); [[ $name == *-nodeps ]] && extra=(--no-deps)
  uv pip compile "$name.in" "${extra[@]}" --python-version 3.10 --generate-hashes --no-header -o "$name.txt"
done
