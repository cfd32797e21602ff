#!/usr/bin/env bash
# Runs every benchmark: the Python anchor and Ballast on the same data in the same run.
#   bash Benchmarks/run_all.sh            (uses $VENV, default $HOME/.cache/ballast-bench-venv)
# Needs ../shared/datasets/nsl-kdd beside the repository. Run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${VENV:-$HOME/.cache/ballast-bench-venv}"
[ -x "$venv/bin/python" ] || VENV="$venv" bash Benchmarks/setup.sh
swift build -c release --product ballast-bench
swift build -c release --product ballast
py="$venv/bin/python"
"$py" Benchmarks/gemm.py
"$py" Benchmarks/csv_load.py
"$py" Benchmarks/prepare_kdd.py
"$py" Benchmarks/knn.py
"$py" Benchmarks/kmeans.py
"$py" Benchmarks/resampler_crosscheck.py
"$py" Benchmarks/resamplers.py
"$py" Benchmarks/classifiers.py
"$py" Benchmarks/trees_continuous.py
"$py" Benchmarks/nn_shapes.py
"$py" Benchmarks/mlp.py
"$py" Benchmarks/safetensors_check.py
"$py" Benchmarks/gradient_penalty_check.py
"$py" Benchmarks/fidelity.py
