#!/usr/bin/env bash
# Every ShopAssist test, in the environment each belongs to. `make test` runs all of them;
# `scripts/test.sh backend|bot|e2e` runs one part. Exits non-zero on the first failing part.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=$PWD RASA_TELEMETRY_ENABLED=false
BOT=.venv/bot/bin
BACKEND=.venv/backend/bin
PG_URL=${TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
parts=("$@"); [ ${#parts[@]} -gt 0 ] || parts=(backend bot e2e browser)

step() { echo; echo "=== $* ==="; }

for part in "${parts[@]}"; do
  case "$part" in
    backend)
      suites=(tests/commerce); [ -d tests/knowledge_base ] && suites+=(tests/knowledge_base)
      step "backend tests on SQLite"
      $BACKEND/pytest -q "${suites[@]}"
      step "backend tests on PostgreSQL ($PG_URL)"
      TEST_DATABASE_URL=$PG_URL $BACKEND/pytest -q "${suites[@]}"
      ;;
    bot)
      step "rasa data validate"
      $BOT/rasa data validate --domain domain --data training_data --config config.yml --quiet
      step "action unit tests"
      $BOT/pytest -q tests/actions tests/bot
      step "conversation tests (rasa test core, failing on any prediction error)"
      rm -rf var/rasa-test-results
      $BOT/rasa test core --model models/shopassist.tar.gz --stories tests/conversations \
        --out var/rasa-test-results --fail-on-prediction-errors --quiet
      ;;
    e2e)
      step "end-to-end: backend + actions + Rasa as real processes"
      $BOT/pytest -q tests/e2e
      step "messaging channels: real-format webhooks to a running Rasa, platform APIs faked on 127.0.0.1"
      $BOT/pytest -q tests/channels  # a separate run, so only one stack (and one Rasa) is up at a time
      step "faults: backend killed and frozen, Rasa restarted mid-conversation, on a stack of their own"
      $BOT/pytest -q tests/faults
      step "scale-out: two Rasa, two action servers, two backends behind nginx, on PostgreSQL and Redis"
      $BOT/pytest -q tests/scaleout
      ;;
    browser)
      step "browser: the widget and the admin page in Debian's Chromium (screenshots in var/test-artifacts/browser)"
      $BACKEND/pytest -q tests/browser
      ;;
    *) echo "unknown test part: $part (backend|bot|e2e|browser)" >&2; exit 2 ;;
  esac
done
