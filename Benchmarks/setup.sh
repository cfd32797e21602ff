#!/usr/bin/env bash
# Creates the Python virtual environment the benchmark drivers use, outside the repository.
#   VENV=/path/to/venv bash Benchmarks/setup.sh     (default: $HOME/.cache/ballast-bench-venv)
set -euo pipefail
venv="${VENV:-$HOME/.cache/ballast-bench-venv}"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet numpy pandas scikit-learn scipy "imbalanced-learn==0.14.*" xgboost
# PyTorch CPU build for the neural benchmarks (nn_shapes.py); its dependencies come from PyPI.
"$venv/bin/pip" install --quiet torch --index-url https://download.pytorch.org/whl/cpu --extra-index-url https://pypi.org/simple
echo "$venv"
