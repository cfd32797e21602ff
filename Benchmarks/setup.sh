#!/usr/bin/env bash
# Creates the Python virtual environment the benchmark drivers use, outside the repository.
#   VENV=/path/to/venv bash Benchmarks/setup.sh     (default: $HOME/.cache/ballast-bench-venv)
set -euo pipefail
venv="${VENV:-$HOME/.cache/ballast-bench-venv}"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet numpy pandas scikit-learn scipy "imbalanced-learn==0.14.*" xgboost
# SDMetrics (the SDV project's synthetic-data metrics) for fidelity.py.
"$venv/bin/pip" install --quiet "sdmetrics==0.32.*"
# PyTorch's CPU build for the neural benchmarks (nn_shapes.py, mlp.py): its dependencies first from
# PyPI, then torch itself from the CPU index (mixing both indexes in one call picks PyPI's larger
# CUDA build); safetensors for safetensors_check.py. --upgrade because the setuptools a new venv
# starts with is older than torch requires.
"$venv/bin/pip" install --quiet --upgrade filelock typing-extensions sympy networkx jinja2 fsspec setuptools safetensors
# Where that index is out of reach, a CPU wheel from pip's configured find-links directory instead;
# where there is none, PyPI's own build (larger, it bundles CUDA libraries, but it runs on the CPU).
"$venv/bin/pip" install --quiet torch --index-url https://download.pytorch.org/whl/cpu \
    || "$venv/bin/pip" install --quiet --no-index torch \
    || "$venv/bin/pip" install --quiet torch
# After torch, whose requirement is then met (so pip fetches no other build): the ctgan package for
# ctgan_compare.py, and Flask + gunicorn for serve/bench.py's anchor.
"$venv/bin/pip" install --quiet "ctgan==0.12.*" flask gunicorn
echo "$venv"
