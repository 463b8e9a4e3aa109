# Oval's vocabulary. A fresh machine needs only Python 3.11: every target sets up what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SPEED ?= 1
PAUSE ?= 20

.PHONY: run test test-fast soak bench bench-snapshot bench-write bench-storm migrations-check clean

$(VENV)/.run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.run
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Set everything up and serve the live demo: the Milano 2026 women's 1000 m replayed live, and an
# invented allround championship whose 5000 m is skated live (its classification moves each pair).
run: $(VENV)/.run
	DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DEBUG=1 $(PY) manage.py loaddemo --championship
	DEBUG=1 $(PY) manage.py demoofficial
	DEBUG=1 $(PY) manage.py serve --host $(HOST) --port $(PORT) --replay demo --championship --speed $(SPEED) --pause $(PAUSE)

# Set up and run every test: rules, services, API, sockets over real Daphne, Chromium, Redis/PostgreSQL.
test: $(VENV)/.dev
	$(PY) -m pytest --create-db

test-fast: $(VENV)/.dev
	$(PY) -m pytest -m "not browser and not scaleout and not slow"

soak: $(VENV)/.dev
	$(PY) -m tests.soak

# Every benchmark, each rewriting its table in bench/results.md (the snapshot one needs wrk).
bench: $(VENV)/.dev
	$(PY) bench/fanout.py
	$(PY) bench/snapshot.py
	$(PY) bench/storm.py
	$(PY) bench/writepath.py

# Snapshot GET against the same bytes as a static file from the same Daphne (needs wrk).
bench-snapshot: $(VENV)/.dev
	$(PY) bench/snapshot.py

# A device POST against a bare insert-one-row view on the same stack, SQLite and PostgreSQL.
bench-write: $(VENV)/.dev
	$(PY) bench/writepath.py

# Reconnect storm: 2,000 and 5,000 sockets opened at once on a finished race, against the floor.
bench-storm: $(VENV)/.dev
	$(PY) bench/storm.py

migrations-check: $(VENV)/.dev
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3 tests/artifacts staticfiles
