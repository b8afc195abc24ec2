# The two commands: `make run` (demo site on http://127.0.0.1:$(PORT)) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres test-browser test-stack stack venv lint clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# The web server and one task worker (emails, scheduled publishing, related
# links, the daily digest) together; Ctrl-C stops both.
run: venv
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py load_demo
	@DJANGO_DEBUG=true $(PY) manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite twice: on SQLite, and on a throwaway PostgreSQL cluster that
# .ci/with-postgres starts and removes. Outside CI a missing PostgreSQL skips
# that leg loudly (exit code 77 from the script); in CI it must run.
# And the browser tests (tests/browser, Playwright driving Debian's Chromium,
# axe-core and the Nu HTML checker), once, on SQLite: the other two legs leave
# them out. .ci/install-test-tools installs what they need in CI; outside CI a
# missing Chromium skips that leg loudly (exit code 77 again).
# And the stack tests (tests/stack: nginx, two gunicorns, Redis, a PostgreSQL
# replica, two workers; deploy/stack/), once: .ci/install-stack-tools
# installs Debian's packages in CI; outside CI a missing one skips that leg.
#
# Lint first, then the four legs at the same time (a sub-make with -j4): one
# after another they took 16 minutes on a 2-core machine, at once 8
# (docs/testing.md). --output-sync=target prints each leg's output whole,
# when that leg ends; --keep-going lets the others finish when one fails, and any
# failure fails `make test`. A summary of the four (passed, SKIPPED or
# FAILED, and how long each took) comes last. The legs share nothing that
# could collide: each has its own database (in-memory SQLite, or its own
# cluster on a free port), pytest cache and tmp_path folder (LEG_PYTEST_OPTS);
# the proxy and caching tests use free ports and temporary folders; the CI
# installers take turns at apt-get (.ci/apt-install). See docs/testing.md.
# MAKE_TEST_JOBS=1 runs the legs one after another (still summarised).
MAKE_TEST_JOBS ?= 4
LEGS := test-sqlite test-postgres test-browser test-stack
test: lint
	@notes=$$(mktemp -d -t make-test.XXXXXX); \
	trap 'rm -rf "$$notes"' EXIT; \
	trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM; \
	echo "=== make test: the four legs run at the same time; each one's output is printed whole when it ends ==="; \
	started=$$(date +%s); status=0; \
	$(MAKE) --no-print-directory -j$(MAKE_TEST_JOBS) --keep-going --output-sync=target \
		MAKE_TEST_NOTES="$$notes" LEG_NICE="$(if $(filter-out 1,$(MAKE_TEST_JOBS)),nice -n 10)" \
		$(LEGS) || status=$$?; \
	echo "=== make test: summary ($$(( $$(date +%s) - started ))s in all) ==="; \
	{ $(foreach leg,$(LEG_IDS),\
		if [ -f "$$notes/$(leg)" ]; then cat "$$notes/$(leg)"; \
		else echo "$(LEG_$(leg)): FAILED (make's 'Error' line follows its output above)"; fi; \
		if [ -f "$$notes/$(leg).nginx" ]; then cat "$$notes/$(leg).nginx"; fi;) \
	} | sed '/SKIPPED\|FAILED/s/^/!!! /'; \
	if [ $$status -ne 0 ]; then echo "!!! make test FAILED" >&2; exit $$status; fi

# Given by `make test` to its legs: a folder where each leg notes when it
# started and how it ended, for the summary; and LEG_NICE, which runs the
# SQLite and browser legs' pytest at a lower CPU priority, so that the
# longest leg, PostgreSQL (pytest and its server: about one core's worth of
# work), never waits for a core, and the two others share the second one
# (measured once: 8.4 minutes for the three without it, 7.6 with it). Both
# are empty when a leg runs alone.
MAKE_TEST_NOTES ?=
LEG_NICE ?=
# $(call leg_start,1-sqlite) and $(call leg_end,1-sqlite,passed)
LEG_IDS := 1-sqlite 2-postgres 3-browser 4-stack
LEG_1-sqlite := leg 1 of 4, SQLite
LEG_2-postgres := leg 2 of 4, PostgreSQL
LEG_3-browser := leg 3 of 4, browser
LEG_4-stack := leg 4 of 4, stack
leg_start = $(if $(MAKE_TEST_NOTES),date +%s >"$(MAKE_TEST_NOTES)/$(1).start",true)
leg_end = $(if $(MAKE_TEST_NOTES),echo "$(LEG_$(1)): $(2) ($$(( $$(date +%s) - $$(cat "$(MAKE_TEST_NOTES)/$(1).start") ))s)" >"$(MAKE_TEST_NOTES)/$(1)",true)

# Each leg keeps its own pytest cache (.pytest_cache/LEG: --lf, --ff) and
# tmp_path folder (.pytest_cache/tmp/LEG, emptied when that leg starts
# again), so that legs running at once never write the same files: with one
# cache, each leg's --lf record would overwrite the others'; and pytest's
# shared /tmp/pytest-of-USER is pruned by every session, which can delete a
# folder another session is still using. PYTEST_ARGS come later, so a
# --basetemp there wins.
LEG_PYTEST_OPTS = -o cache_dir=.pytest_cache/$(1) --basetemp=.pytest_cache/tmp/$(1)

# Both legs run tests/test_proxy_nginx.py, which needs Debian's nginx:
# .ci/install-nginx installs it when CI=true; elsewhere its exit code 77 means
# "not installed", and those tests skip themselves while the leg goes on.
nginx_or_skip = status=0; .ci/install-nginx || status=$$?; \
	if [ $$status -eq 77 ] && [ -n "$(MAKE_TEST_NOTES)" ]; then \
		echo "    (no nginx: the nginx proxy tests were SKIPPED in this leg)" >"$(MAKE_TEST_NOTES)/$(1).nginx"; \
	elif [ $$status -ne 0 ] && [ $$status -ne 77 ]; then exit $$status; fi

test-sqlite: venv
	@$(call leg_start,1-sqlite)
	@mkdir -p .pytest_cache/tmp
	@echo "=== make test, leg 1 of 4: SQLite ==="
	@$(call nginx_or_skip,1-sqlite)
	DATABASE_URL= $(LEG_NICE) $(PY) -m pytest --ignore=tests/browser --ignore=tests/stack $(call LEG_PYTEST_OPTS,sqlite) $(PYTEST_ARGS)
	@$(call leg_end,1-sqlite,passed)

test-postgres: venv
	@$(call leg_start,2-postgres)
	@mkdir -p .pytest_cache/tmp
	@echo "=== make test, leg 2 of 4: PostgreSQL ==="
	@$(call nginx_or_skip,2-postgres)
	@status=0; .ci/with-postgres $(PY) -m pytest --ignore=tests/browser --ignore=tests/stack $(call LEG_PYTEST_OPTS,postgres) $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 77 ]; then \
		echo "!!! PostgreSQL leg SKIPPED (see the reason above); the other legs run." >&2; \
		$(call leg_end,2-postgres,SKIPPED (no PostgreSQL server found; the reason is in its output above)); \
	elif [ $$status -ne 0 ]; then exit $$status; \
	else $(call leg_end,2-postgres,passed); fi

test-browser: venv
	@$(call leg_start,3-browser)
	@mkdir -p .pytest_cache/tmp
	@echo "=== make test, leg 3 of 4: browser (Chromium, axe-core, Nu HTML checker; SQLite) ==="
	@status=0; .ci/install-test-tools || status=$$?; \
	if [ $$status -eq 77 ]; then \
		echo "!!! Browser leg SKIPPED (see the reason above); the other legs run." >&2; \
		$(call leg_end,3-browser,SKIPPED (no Chromium found; the reason is in its output above)); \
		exit 0; \
	elif [ $$status -ne 0 ]; then exit $$status; fi; \
	echo "DATABASE_URL= $(LEG_NICE) $(PY) -m pytest tests/browser -m browser $(call LEG_PYTEST_OPTS,browser) $(PYTEST_ARGS)"; \
	DATABASE_URL= $(LEG_NICE) $(PY) -m pytest tests/browser -m browser $(call LEG_PYTEST_OPTS,browser) $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ] && [ -n "$(strip $(PYTEST_ARGS))" ]; then \
		echo "Browser leg: PYTEST_ARGS selected no browser test."; \
		$(call leg_end,3-browser,passed (PYTEST_ARGS selected no browser test)); \
	elif [ $$status -ne 0 ]; then exit $$status; \
	else $(call leg_end,3-browser,passed); fi

test-stack: venv
	@$(call leg_start,4-stack)
	@mkdir -p .pytest_cache/tmp
	@echo "=== make test, leg 4 of 4: stack (nginx, two gunicorns, Redis, PostgreSQL and its replica, two workers) ==="
	@status=0; PY=$(PY) .ci/install-stack-tools || status=$$?; \
	if [ $$status -eq 77 ]; then \
		echo "!!! Stack leg SKIPPED (see the reason above); the other legs run." >&2; \
		$(call leg_end,4-stack,SKIPPED (Debian's packages missing; the reason is in its output above)); \
		exit 0; \
	elif [ $$status -ne 0 ]; then exit $$status; fi; \
	echo "DATABASE_URL= $(PY) -m pytest tests/stack -m stack $(call LEG_PYTEST_OPTS,stack) $(PYTEST_ARGS)"; \
	DATABASE_URL= $(PY) -m pytest tests/stack -m stack $(call LEG_PYTEST_OPTS,stack) $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ] && [ -n "$(strip $(PYTEST_ARGS))" ]; then \
		echo "Stack leg: PYTEST_ARGS selected no stack test."; \
		$(call leg_end,4-stack,passed (PYTEST_ARGS selected no stack test)); \
	elif [ $$status -ne 0 ]; then exit $$status; \
	else $(call leg_end,4-stack,passed); fi

# The production topology on this machine, with the demo content, until
# Ctrl-C (deploy/stack/, docs/stack.md); needs Debian's nginx, redis-server,
# postgresql and openssl.
stack: venv
	$(PY) -m deploy.stack $(STACK_ARGS)

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

# The same load and checks through the stack, with faults: an app server
# killed and restarted, Redis stopped and started, the replica stopped.
.PHONY: load-stack
load-stack: venv
	$(PY) bench/load_stack.py $(LOAD_ARGS)
