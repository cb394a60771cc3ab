# Two commands: `make run` serves the demo site with a real worker; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# `make run PORT=8001` serves on another port (honcho hands PORT to Procfile.dev's web).
PORT := 8000
RUN_ENV := DEBUG=1 PODCAST_SITE_URL=http://127.0.0.1:$(PORT)
PYTEST_ARGS ?=

.PHONY: install run test test-integration bench lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py ensure_demo_admin
	$(RUN_ENV) $(PY) manage.py write_local_env
	@echo ""
	@echo "  Site:   http://127.0.0.1:$(PORT)/"
	@echo "  Admin:  http://127.0.0.1:$(PORT)/admin/  (user: admin, password: admin)"
	@echo "  Feed:   http://127.0.0.1:$(PORT)/episodes/rss"
	@echo "  Ctrl-C stops the web server and the worker."
	@echo ""
	$(RUN_ENV) $(PY) -m podcast.devrun -f Procfile.dev start --port $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

test-integration: install
	$(PY) -m pytest -m integration $(PYTEST_ARGS)

bench: install
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(PY) bench/run.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var
