# The two commands: `make run` (demo site on http://127.0.0.1:$(PORT)) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres test-browser venv lint clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: venv
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py load_demo
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite twice: on SQLite, then on a throwaway PostgreSQL cluster that
# .ci/with-postgres starts and removes. Outside CI a missing PostgreSQL skips
# that leg loudly (exit code 77 from the script); in CI it must run.
# Then the browser tests (tests/browser, Playwright driving Debian's Chromium,
# axe-core and the Nu HTML checker), once, on SQLite: the first two legs leave
# them out. .ci/install-test-tools installs what they need in CI; outside CI a
# missing Chromium skips that leg loudly (exit code 77 again).
test: lint test-sqlite test-postgres test-browser

# Both legs run tests/test_proxy_nginx.py, which needs Debian's nginx:
# .ci/install-nginx installs it when CI=true; elsewhere its exit code 77 means
# "not installed", and those tests skip themselves while the leg goes on.
test-sqlite: venv
	@echo "=== make test, leg 1 of 3: SQLite ==="
	@status=0; .ci/install-nginx || status=$$?; \
	if [ $$status -ne 0 ] && [ $$status -ne 77 ]; then exit $$status; fi
	DATABASE_URL= $(PY) -m pytest --ignore=tests/browser $(PYTEST_ARGS)

test-postgres: venv
	@echo "=== make test, leg 2 of 3: PostgreSQL ==="
	@status=0; .ci/install-nginx || status=$$?; \
	if [ $$status -ne 0 ] && [ $$status -ne 77 ]; then exit $$status; fi
	@status=0; .ci/with-postgres $(PY) -m pytest --ignore=tests/browser $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 77 ]; then \
		echo "!!! PostgreSQL leg SKIPPED (see the reason above); the SQLite leg ran." >&2; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

test-browser: venv
	@echo "=== make test, leg 3 of 3: browser (Chromium, axe-core, Nu HTML checker; SQLite) ==="
	@status=0; .ci/install-test-tools || status=$$?; \
	if [ $$status -eq 77 ]; then \
		echo "!!! Browser leg SKIPPED (see the reason above); the other legs ran." >&2; \
		exit 0; \
	elif [ $$status -ne 0 ]; then exit $$status; fi; \
	echo "DATABASE_URL= $(PY) -m pytest tests/browser -m browser $(PYTEST_ARGS)"; \
	DATABASE_URL= $(PY) -m pytest tests/browser -m browser $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ] && [ -n "$(strip $(PYTEST_ARGS))" ]; then \
		echo "Browser leg: PYTEST_ARGS selected no browser test."; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

# Lint first: ruff (pinned in requirements.txt) checks and format-checks
# everything but migrations, in seconds, before the long legs start.
lint: venv
	@echo "=== make test, lint: ruff check, ruff format --check ==="
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ci/node_modules

# The benchmark (bench/README.md): a throwaway database with synthetic articles,
# gunicorn on 127.0.0.1, wrk against the public pages and a bare Django view;
# prints a Markdown table and saves it in bench/results/. Needs Debian's `wrk`
# (installed by the script when CI=true). BENCH_ARGS goes to bench/run.py, e.g.
#   make bench BENCH_ARGS="--articles 10000 --database postgres --duration 20"
# (--articles N, --database sqlite|postgres, --duration S, --connections C,
# --cache both|off|on, --tag MACHINE; bench/run.py --help lists them all).
BENCH_ARGS ?= --articles 1000
.PHONY: bench
bench: venv
	$(PY) bench/run.py $(BENCH_ARGS)

# 200 visitors for 60 s on gunicorn + PostgreSQL while an editor publishes and
# withdraws; load-fault also restarts PostgreSQL midway (bench/load.py).
.PHONY: load load-fault
load: venv
	$(PY) bench/load.py $(LOAD_ARGS)

load-fault: venv
	$(PY) bench/load.py --restart-db $(LOAD_ARGS)
