# zhuqi: `make run` serves the demo zone on http://127.0.0.1:8000; `make test` runs every test.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
export DJANGO_SETTINGS_MODULE ?= zhuqi.settings.dev
PG_URL ?= postgres://postgres@127.0.0.1:5432/zhuqi
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/zhuqi
# the suite on every core (pytest-xdist): each worker has its own test database, the long tests are dealt among the
# workers first (conftest.py) and an idle worker takes work from a busy one; PYTEST_WORKERS= runs it in one process
PYTEST_WORKERS ?= -n auto --dist worksteal

.PHONY: run test test-sqlite test-postgres bench lint check check-code audit install install-test static postgres chromium mosquitto migrate demo clean

.venv/.installed: pyproject.toml
	python3 -m venv .venv
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: .venv/.installed node_modules/.installed

static: install
	$(PY) manage.py collectstatic --noinput -v0

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo_zone

# the demo runs as users will: DEBUG off (the project's own error pages; whitenoise serves the collected static files)
PORT ?= 8000
run: export DJANGO_DEBUG := false
run: export ZHUQI_SITE_URL ?= http://127.0.0.1:$(PORT)
run: static demo
	@$(MAKE) -s mosquitto || echo "No MQTT broker could be started: live monitoring data is off (the screens say so)"
	@echo "Serving the demo zone on http://127.0.0.1:$(PORT) with the task queue, the MQTT ingester and the sensor simulator (Ctrl-C stops all)"
	$(PY) manage.py qcluster & WORKER=$$!; \
	$(PY) manage.py ingest_mqtt & INGESTER=$$!; \
	$(PY) manage.py simulate_sensors & SIMULATOR=$$!; \
	trap "kill $$WORKER $$INGESTER $$SIMULATOR 2>/dev/null" EXIT INT TERM; \
	.venv/bin/gunicorn zhuqi.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 \
	  --worker-class gthread --timeout 120 --access-logfile -

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@dpkg -s fonts-noto-cjk >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null

# the MQTT broker: Debian's Mosquitto, installed if missing, with the shipped configuration (deploy/mosquitto/zhuqi.conf:
# accounts, ACL, persistence) written into var/mosquitto with the demo's gateways; started if nothing listens on 1883,
# told to reread its accounts if it is ours
mosquitto: migrate
	@command -v mosquitto >/dev/null || test -x /usr/sbin/mosquitto || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto >/dev/null; }
	@$(PY) manage.py mosquitto_config --dir var/mosquitto --config >/dev/null
	@if (echo > /dev/tcp/127.0.0.1/1883) 2>/dev/null; then \
	  kill -HUP $$(cat var/mosquitto/mosquitto.pid 2>/dev/null) 2>/dev/null || echo "A broker not started by make listens on 1883; it keeps its own accounts"; \
	else /usr/sbin/mosquitto -d -c $(CURDIR)/var/mosquitto/mosquitto.conf && sleep 1; fi

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done

test: install static chromium mosquitto
	$(MAKE) test-sqlite

test-sqlite:
	DJANGO_SETTINGS_MODULE=zhuqi.settings.test .venv/bin/pytest $(PYTEST_WORKERS)

test-postgres: install static chromium mosquitto postgres
	DJANGO_SETTINGS_MODULE=zhuqi.settings.test DATABASE_URL=$(PG_TEST_URL) .venv/bin/pytest $(PYTEST_WORKERS)

# The security checks an assessor asks for: Django's deployment check on the production settings (with throwaway
# secrets made here), bandit over our code (findings reviewed in place with `# nosec` and a reason) and
# pip-audit over what we install. scripts/dependency_audit.py exits 3 when its vulnerability database is out of
# reach and nothing was audited: `make check` fails then too (an unaudited build is not a checked one); CI runs
# `check-code` and the audit as separate steps so that it can say "not run" instead of failing offline.
check: check-code audit

check-code: install
	DJANGO_SETTINGS_MODULE=zhuqi.settings.production DATABASE_URL=postgres://zhuqi@127.0.0.1:5432/zhuqi \
	DJANGO_ALLOWED_HOSTS=zhuqi.example.gov.cn \
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ZHUQI_AUDIT_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ZHUQI_DATA_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ZHUQI_SMS_BACKEND=zhuqi.notifications.sms.HttpSMSBackend ZHUQI_SMS_GATEWAY_URL=https://sms.zhuqi.example.gov.cn/send \
	$(PY) manage.py check --deploy --fail-level WARNING
	.venv/bin/bandit -q -c pyproject.toml -r zhuqi scripts

audit: install
	$(PY) scripts/dependency_audit.py

# ruff, then the import contracts in pyproject.toml (the layers, the modules' independence, the views' imports)
lint: install
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache
	.venv/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v0

bench: install postgres mosquitto
	DJANGO_SETTINGS_MODULE=zhuqi.settings.test DATABASE_URL=$(PG_URL)_bench $(PY) -m bench.run

clean:
	rm -rf var staticfiles
