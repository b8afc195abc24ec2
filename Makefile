# The two commands: `make run` (demo site on http://127.0.0.1:$(PORT)) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres venv lint clean

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
test: test-sqlite test-postgres

test-sqlite: venv
	@echo "=== make test, leg 1 of 2: SQLite ==="
	DATABASE_URL= $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: venv
	@echo "=== make test, leg 2 of 2: PostgreSQL ==="
	@status=0; .ci/with-postgres $(PY) -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 77 ]; then \
		echo "!!! PostgreSQL leg SKIPPED (see the reason above); the SQLite leg ran." >&2; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
