#!/bin/sh
# Submits a sharded experiment and its merge:  Deploy/slurm/submit.sh SPEC.toml [SHARDS]
#   results/shard-1 … results/shard-N   one directory per array task (resumable)
#   results/merged                      what a single `ballast experiment SPEC -o DIR` writes
set -eu
SPEC=${1:?usage: submit.sh SPEC.toml [SHARDS]}
SHARDS=${2:-8}
here=$(dirname "$0")
mkdir -p logs results
job=$(SPEC="$SPEC" sbatch --parsable --array="1-$SHARDS" --export=ALL,SPEC="$SPEC" "$here/experiment.sbatch")
job=${job%%;*}
sbatch --dependency="afterok:$job" --export=ALL,SHARDS="$SHARDS" "$here/merge.sbatch"
echo "shards: job $job (array 1-$SHARDS); merge runs when all succeed"
