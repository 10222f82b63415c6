# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
DEMO_DB := $(CURDIR)/.demo/imgcoach-demo.sqlite

# Database engines the suite runs on; `make test ENGINES=sqlite` skips PostgreSQL.
ENGINES ?= sqlite,postgresql

.PHONY: run test lint bench bench-khal demo clean lock snapshot-update postgres-binaries audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Installs the package and its test extras, pinned by requirements.lock.
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install -q -c requirements.lock -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/imgcoach demo --db "$(DEMO_DB)" --reset --quiet
	$(BIN)/imgcoach --db "$(DEMO_DB)"

# The tests start their own PostgreSQL server (tests/pg_server.py) from the Debian binaries; install
# them when missing (CI runs as root; a developer gets sudo, or a message saying what to do).
postgres-binaries:
	@if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		exit 0; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing PostgreSQL for the tests: apt-get install -y postgresql"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; \
	else \
		echo "PostgreSQL binaries (initdb, pg_ctl) are missing: install the postgresql package, or run \`make test ENGINES=sqlite\`" >&2; \
		exit 1; \
	fi

test: $(STAMP) $(if $(findstring postgresql,$(ENGINES)),postgres-binaries)
	$(BIN)/ruff check imgcoach tests bench templates
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup --engines $(ENGINES)

snapshot-update: $(STAMP)
	$(BIN)/python -m pytest -q tests -k snapshot --snapshot-update

# `make bench SCALE=10` (or 100): issue 17's large databases, built once per code version in .bench-cache/.
# bench_cli times `khal list` in the same run as its reference (issue 17: every read command faster than it): the
# khal on PATH, IMGCOACH_BENCH_KHAL, or else one installed by bench-khal into a venv of its own.
bench: $(STAMP) bench-khal
	IMGCOACH_BENCH_KHAL="$${IMGCOACH_BENCH_KHAL:-$$(command -v khal || { test -x $(KHAL) && echo $(CURDIR)/$(KHAL); })}" \
		$(BIN)/python -m bench $(if $(SCALE),--scale $(SCALE))

# khal in .bench-cache/khal-venv, created on the first `make bench` of a machine without one (needs PyPI then): not
# in .venv, so `make test` and `make run` neither install nor load it. A failed install leaves the bench without
# the reference, said in its output; the next `make bench` tries again, as it does for a venv that no longer runs
# (its Python removed or upgraded).
KHAL_VERSION ?= 0.14.1
KHAL_VENV := .bench-cache/khal-venv
KHAL := $(KHAL_VENV)/bin/khal
bench-khal:
	@if [ -z "$$IMGCOACH_BENCH_KHAL" ] && ! command -v khal >/dev/null 2>&1 && ! $(KHAL) --version >/dev/null 2>&1; then \
		echo "installing khal $(KHAL_VERSION) into $(KHAL_VENV) for bench_cli's reference"; \
		rm -rf $(KHAL_VENV); { $(PYTHON) -m venv $(KHAL_VENV) && $(KHAL_VENV)/bin/python -m pip install -q "khal==$(KHAL_VERSION)"; } \
		|| { rm -rf $(KHAL_VENV); echo "khal could not be installed: bench_cli runs without its reference" >&2; }; \
	fi

# Known vulnerabilities in the pinned versions (needs network access: pip-audit asks PyPI/OSV).
audit: $(STAMP)
	$(BIN)/python -m pip install -q pip-audit
	$(BIN)/pip-audit --requirement requirements.lock --disable-pip --no-deps --progress-spinner off

# Re-resolve the pinned versions (needs network access to PyPI).
lock:
	rm -rf /tmp/imgcoach-lock && $(PYTHON) -m venv /tmp/imgcoach-lock
	/tmp/imgcoach-lock/bin/pip install -q -e ".[test]"
	/tmp/imgcoach-lock/bin/pip freeze --exclude-editable | grep -v '^imgcoach' > requirements.lock

clean:
	rm -rf $(VENV) .demo .pytest_cache build *.egg-info
.PHONY: install
