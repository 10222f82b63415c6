# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
DEMO_DB := $(CURDIR)/.demo/imgcoach-demo.sqlite

.PHONY: run test lint bench demo clean lock snapshot-update audit

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

test: $(STAMP)
	$(BIN)/ruff check imgcoach tests bench templates
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

snapshot-update: $(STAMP)
	$(BIN)/python -m pytest -q tests -k snapshot --snapshot-update

bench: $(STAMP)
	$(BIN)/python -m bench

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
