#!/usr/bin/env bash
# Re-lock requirements/<env>.txt (exact versions + hashes) from requirements/<env>.in.
# Needs `uv` on PATH (pip install uv); installs themselves use plain pip --require-hashes.
set -euo pipefail
cd "$(dirname "$0")/../requirements"
envs=("$@"); [ ${#envs[@]} -gt 0 ] || envs=(bot backend)
for env in "${envs[@]}"; do
  uv pip compile "$env.in" --python-version 3.10 --generate-hashes --no-header -o "$env.txt"
done
