# Zhaoshang — `make demo` to try it, `make test` to test it. Both install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := zhaoshang/static/vendor
PORT ?= 8000
export ZHAOSHANG_ALLOW_DEV_KEY ?= 1

.PHONY: demo test test-pg e2e test-documents test-schema bench bench-scale lint install vendor clean

$(BIN)/zhaoshang: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(BIN)/zhaoshang

# Front-end files come from npm at install time and are copied into a git-ignored folder.
$(VENDOR)/.stamp: package.json
	npm install --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	touch $@

install: $(BIN)/zhaoshang $(VENDOR)/.stamp
	$(BIN)/zhaoshang compile_catalogues

vendor: $(VENDOR)/.stamp

demo: install
	$(BIN)/zhaoshang demo --port $(PORT)

# The suites spread over the machine's cores (pytest-xdist; each worker migrates its own test database).
# Whole files go to one worker, so a module's shared fixture is built once. WORKERS=0 runs in one process.
WORKERS ?= auto
XDIST = -n $(WORKERS) --dist loadfile

test: install
	$(BIN)/pytest $(XDIST)

test-pg: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/pytest $(XDIST)

e2e: install
	$(BIN)/pytest tests/e2e -p no:cacheprovider

# Generated .docx/.xlsx converted to PDF by LibreOffice (Debian packages, installed by .ci/run).
test-documents: install
	$(BIN)/pytest tests/documents -p no:cacheprovider

# The whole API fuzzed against its OpenAPI document by schemathesis, as an assessor and as a unit user
# (bounded and derandomized: the same few minutes every run). `DATABASE_URL=... make test-schema` for PostgreSQL.
test-schema: install
	$(BIN)/pytest tests/schema -p no:cacheprovider -n $(WORKERS) --dist load

bench: install
	$(BIN)/python bench/ledger_bench.py
	$(BIN)/python bench/assess_bench.py
	$(BIN)/python bench/integrity_bench.py

# Province scale on PostgreSQL (hours at the default 2M / 3,000; see bench/scale.py): makes and drops its own
# databases on BENCH_PG, writes bench/out/scale.json and scale.md. Smaller: make bench-scale SCALE="--projects 20000"
bench-scale: install
	$(BIN)/python bench/scale.py --server $(or $(BENCH_PG),postgres://postgres@127.0.0.1:5432) $(SCALE)

lint: install
	$(BIN)/ruff check zhaoshang tests bench
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
