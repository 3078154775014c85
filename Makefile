# Two commands do everything on a fresh machine:
#   make site   set up, validate the sources and build the site into site/
#   make test   set up (with test tools and Chromium) and run every test
# Also: make serve (live preview on http://127.0.0.1:8000), make validate, make clean.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-site
TSTAMP := $(VENV)/.installed-test

.PHONY: site test serve validate clean chromium system-packages

# Debian packages the build needs: Pango and a font for the PDF packs (WeasyPrint).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-packages:
	@if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  echo "Installing Pango and DejaVu fonts for the printable packs"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	fi

$(STAMP): requirements/site.txt pyproject.toml | system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements/site.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(TSTAMP): $(STAMP) requirements/test.txt
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	touch $@

site: system-packages $(STAMP)
	$(BIN)/essw validate
	$(BIN)/essw build

serve: $(STAMP)
	$(BIN)/essw serve

validate: $(STAMP)
	$(BIN)/essw validate

# Browser tests need Debian's Chromium (Playwright cannot download a browser here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium package for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	fi

test: system-packages $(TSTAMP) chromium
	$(BIN)/python -m pytest

clean:
	rm -rf site .site-new .site-old .essw-building-* docs/library .essw-preview
