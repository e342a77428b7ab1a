# gdengine — `make render` builds the gallery, `make sheets` its storyboard sheets, `make test` runs the tests.
# Both set up what is missing first (Debian packages, .venv); stamps make repeat calls instant.

PYTHON      ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
STAMPS      := .stamps
SCENES      ?=
QUALITY     ?= hd
JOBS        ?=
VOICE       ?=
SCHEDULER   ?=
WORKERS     ?=
PYTEST_ARGS ?=

RENDER_ARGS := $(if $(SCENES),--scenes "$(SCENES)") --quality $(QUALITY) $(if $(JOBS),--jobs $(JOBS)) $(if $(VOICE),--voice $(VOICE)) \
               $(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(if $(WORKERS),--workers $(WORKERS))

.PHONY: all render sheets slides lint test bench clean distclean setup setup-test scheduler worker

all: render

render: $(STAMPS)/venv-runtime
	$(PY) -m gdengine render $(RENDER_ARGS)

# One storyboard sheet per clip (renders/sheets/<name>.png): a frame per beat, labelled.
sheets: render
	$(PY) -m gdengine sheet $(SCENES) --quality $(QUALITY)

# Presenter decks (renders/slides/<name>.html): each clip cut at its beats, one slide per beat.
slides: $(STAMPS)/venv-runtime
	$(PY) -m gdengine slides $(if $(SCENES),--scenes "$(SCENES)") --quality $(QUALITY)

# The layout linter alone over the clips (nothing drawn or encoded); exit 1 on any finding.
lint: $(STAMPS)/venv-runtime
	$(PY) -m gdengine lint $(if $(SCENES),--scenes "$(SCENES)") --quality $(QUALITY)

# A Dask cluster: `make scheduler` on one machine, `make worker SCHEDULER=tcp://HOST:8786` on each
# machine with a checkout of the same commit, then `make render SCHEDULER=tcp://HOST:8786`.
scheduler: $(STAMPS)/venv-runtime
	$(VENV)/bin/dask scheduler --port 8786 --no-dashboard

worker: $(STAMPS)/venv-runtime
	@test -n "$(SCHEDULER)" || { echo "make worker: give the scheduler, e.g. make worker SCHEDULER=tcp://HOST:8786" >&2; exit 2; }
	$(PY) -m gdengine worker --scheduler $(SCHEDULER) $(if $(WORKERS),--nworkers $(WORKERS))

test: $(STAMPS)/venv-test
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMPS)/venv-test
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit $$?; done

setup: $(STAMPS)/venv-runtime
setup-test: $(STAMPS)/venv-test

# --- setup ---------------------------------------------------------------
$(STAMPS)/system-render: scripts/system-packages
	@scripts/system-packages render
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/system-test: scripts/system-packages $(STAMPS)/system-render
	@scripts/system-packages test
	@mkdir -p $(STAMPS) && touch $@

PIP_VERSION := 26.3

# Debian 12's venv ships pip 23.0, which cannot resolve our lock: pin a newer pip first.
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check pip==$(PIP_VERSION)

$(STAMPS)/venv-runtime: $(STAMPS)/system-render $(VENV)/bin/python pyproject.toml constraints.txt $(STAMPS)/reveal
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[voice,cluster]'
	@mkdir -p $(STAMPS) && touch $@

# Front-end packages pinned in npm-packages.txt (reveal.js, MIT, for the presenter decks), from
# the npm registry by version and hash, no Node.js needed; decks copy it beside themselves.
$(STAMPS)/reveal: scripts/fetch-npm npm-packages.txt
	$(PYTHON) scripts/fetch-npm npm-packages.txt .vendor/npm
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv-test: $(STAMPS)/system-test $(STAMPS)/venv-runtime
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[voice,cluster,test]'
	@mkdir -p $(STAMPS) && touch $@

# --- cleaning --------------------------------------------------------------
clean:
	rm -rf .cache media .pytest_cache
	find renders -mindepth 1 ! -name README.md -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(STAMPS) .vendor
