# Two set-up commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= out/demo.db
LIST   ?= data/000_5b382267ef9e6b6d.txt

.PHONY: venv install demo test test-fast lint format bench clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# installs the package (editable) with its test extras; re-run when pyproject.toml changes
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	@mkdir -p out
	$(BIN)/dutygraph load $(LIST) --store $(STORE)
	$(BIN)/dutygraph lists --store $(STORE)
	$(BIN)/dutygraph handoffs --store $(STORE) --matter 29
	$(BIN)/dutygraph query escalations --store $(STORE)
	$(BIN)/dutygraph query feedback-gaps --store $(STORE)
	$(BIN)/dutygraph viz overview --store $(STORE) -o out/overview.html
	$(BIN)/dutygraph viz gaps --store $(STORE) -o out/gaps.html
	$(BIN)/dutygraph viz matter 29 --store $(STORE) -o out/matter-29.html
	$(BIN)/dutygraph report --store $(STORE) -o out/report.html
	$(BIN)/dutygraph export xlsx --store $(STORE) -o out/dutygraph.xlsx

test: install
	$(BIN)/python -m pytest

# the layer without the Bolt server and the browser (a minute on a laptop)
test-fast: install
	$(BIN)/python -m pytest -m "not neo4j and not browser"

# the zh_CN catalogue: extract the English messages (dutygraph's and click's) with Babel, merge
# them into dutygraph/locale/zh_CN/LC_MESSAGES/dutygraph.po (translate what is new there), compile
LOCALE := dutygraph/locale
messages: install
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -o $(LOCALE)/dutygraph.pot \
	  dutygraph "$$($(BIN)/python -c 'import click, os; print(os.path.dirname(click.__file__))')"
	$(BIN)/pybabel update -i $(LOCALE)/dutygraph.pot -d $(LOCALE) -D dutygraph -l zh_CN \
	  --no-fuzzy-matching --ignore-obsolete --omit-header
	$(BIN)/pybabel compile -d $(LOCALE) -D dutygraph -l zh_CN --statistics

LINTED := dutygraph tests bench

$(VENV)/.linters: | $(BIN)/python
	$(BIN)/pip install --quiet ruff mypy
	touch $@

# formatter check, ruff's rule set (pyproject.toml [tool.ruff.lint]) and mypy on the package
lint: install $(VENV)/.linters
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy

format: $(VENV)/.linters
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

$(VENV)/.bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

# every script of bench/ (bench/run_all.py --help); QUICK=1 for the smallest sizes only.
# bench/bench_scale.py writes bench/scale.{md,csv,png}: time and memory against N lists
bench: install $(VENV)/.bench
	$(BIN)/python bench/run_all.py $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) out .pytest_cache
