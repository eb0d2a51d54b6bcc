# ShopAssist: one command per task, the same in the README and in CI.
#   make run    build what is missing, seed the demo shop, train if needed, start everything
#   make test   every test (what .ci/run calls)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
BOT := .venv/bot/bin
BACKEND := .venv/backend/bin
export PYTHONPATH := $(CURDIR)
# Rasa would otherwise send usage data and error reports to its vendor; a shop's assistant does not.
export RASA_TELEMETRY_ENABLED := false

.PHONY: setup envs frontend chromium nginx db train train-intent train-recs train-uplift run test test-backend test-bot test-e2e test-browser bench audit clean

setup: envs frontend

envs:
	@scripts/setup_env.sh bot
	@scripts/setup_env.sh backend

frontend: node_modules/.package-lock.json widget/vendor/socket.io.min.js

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "ERROR: npm is missing: install Node.js 18+ (apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

widget/vendor/socket.io.min.js: node_modules/.package-lock.json
	mkdir -p widget/vendor && cp node_modules/socket.io-client/dist/socket.io.min.js $@

# The browser tests drive Debian's Chromium (Playwright's own browser download cannot be used).
chromium:
	@command -v chromium >/dev/null && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "[setup] installing Debian's chromium for the browser tests"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	else echo "ERROR: the browser tests need Chromium: sudo apt-get install chromium (or set CHROMIUM_PATH)"; exit 1; fi

# Debian's nginx balances the scale-out test's two instances of each process (tests/scaleout).
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "[setup] installing Debian's nginx for the scale-out test"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null; }; \
	else echo "ERROR: the scale-out test needs nginx: sudo apt-get install nginx"; exit 1; fi

# Migrate and seed the embedded SQLite demo shop (or DATABASE_URL). Seeding is a no-op once done.
db: envs
	@mkdir -p var
	$(BACKEND)/alembic -c commerce/alembic.ini upgrade head
	$(BACKEND)/python -m commerce.seed
	$(BACKEND)/python -m knowledge_base.seed
	$(BACKEND)/python -m commerce.promo.seed

# The entity recogniser learns the live catalog's names, so training reads the (seeded) database.
train: db
	@$(BACKEND)/python -m commerce.catalog.terms --out var/catalog_terms.json
	@$(BOT)/python scripts/train.py

# The shop's own models, trained on its event log; --if-changed skips training when the data fingerprint is
# unchanged, and the running backend hot-reloads a new artefact.
train-intent: db
	$(BACKEND)/python -m commerce.intent.train --if-changed

train-recs: db
	$(BACKEND)/python -m commerce.recommend.train --if-changed

# Offers learn from the randomised share of their own logged decisions; until enough have an outcome, the
# command says so and offers keep the prior uplift.
train-uplift: db
	$(BACKEND)/python -m commerce.promo.train_uplift --if-changed

# Messaging channels (Telegram, Slack, Messenger, Twilio) join when their variables are set: docs/channels.md.
run: setup db train train-intent train-recs train-uplift
	@$(BOT)/python -m bot.credentials --out var/credentials.yml
	@RASA_CREDENTIALS=var/credentials.yml $(BOT)/python scripts/stack.py

test: setup chromium nginx train
	@scripts/test.sh

test-backend: envs
	@scripts/test.sh backend

test-bot: envs train
	@scripts/test.sh bot

test-e2e: setup train
	@scripts/test.sh e2e

test-browser: setup chromium train
	@scripts/test.sh browser

bench: setup train
	$(BOT)/python scripts/bench_conversation.py

# Known vulnerabilities in every pinned dependency of both environments (pip-audit asks OSV, api.osv.dev, so it
# needs that host; this project's build machines reach only package registries: docs/dependencies.md).
audit:
	@test -x .venv/audit/bin/pip-audit || { python3 -m venv .venv/audit && .venv/audit/bin/pip install -q pip-audit==2.10.1; }
	.venv/audit/bin/pip-audit --disable-pip --vulnerability-service osv $(addprefix -r requirements/,bot.txt bot-nodeps.txt backend.txt backend-nodeps.txt)

clean:
	rm -rf .venv node_modules widget/vendor models var .rasa
