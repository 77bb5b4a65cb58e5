#!/usr/bin/env bash
# Creates (or updates) a virtual environment with rai_widgets and its dev tools.
# Usage: source scripts/_setup.sh [VENV_DIR] [EXTRA_PIP_REQUIREMENT ...]
# Everything the project needs is installed from the package registry by name; nothing else.
set -euo pipefail
venv="${1:-.venv}"
shift || true
python_bin="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  "$python_bin" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
# pip >= 25.1 reads the PEP 735 dependency groups from pyproject.toml: "dev" always; "docs"
# (Sphinx, myst-nb, Furo, numpydoc: scripts/docs) only in the main environment, i.e. when no extra
# requirement pins a variant (the pandas-2 environment of scripts/test runs tests only).
groups=(--group dev)
if [ "$#" -eq 0 ]; then
  groups+=(--group docs)
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[all]" "${groups[@]}" "$@"
