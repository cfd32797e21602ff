#!/usr/bin/env bash
# Builds the CSV, NSL-KDD, model-bundle, JSON (the web API's body reader) and Merge (the shard
# merge's results.json reader and the reports it renders) fuzz targets with libFuzzer + AddressSanitizer straight
# from the sources (no SwiftPM) and runs each for SECONDS (default 60); TARGETS (default
# "CSV NSLKDD Bundle") picks some. Seed corpora are generated into Fuzz/corpus-* from small valid
# samples (bundle seeds are trained with the release `ballast`, built if absent); crashes land in
# Fuzz/crash-*.
set -euo pipefail
SECONDS_PER_TARGET="${1:-60}"
read -r -a TARGETS <<< "${TARGETS:-CSV NSLKDD Bundle JSON Merge}"
cd "$(dirname "$0")/.."
ROOT="$PWD"
OUT="$ROOT/Fuzz/.out"
mkdir -p "$OUT"
FLAGS=(-O -sanitize=fuzzer,address -parse-as-library -g)

echo "building BallastCore module..."
# shellcheck disable=SC2046
swiftc "${FLAGS[@]}" -emit-module -emit-library -static -module-name BallastCore \
    -emit-module-path "$OUT/BallastCore.swiftmodule" -o "$OUT/libBallastCore.a" $(find Sources/BallastCore -name '*.swift' | sort) \
    2> "$OUT/build-core.log" || { cat "$OUT/build-core.log"; exit 1; }
DATA_SOURCES=$(find Sources/BallastData -name '*.swift' | sort)
for target in "${TARGETS[@]}"; do
    [ "$target" = Bundle ] || [ "$target" = JSON ] || [ "$target" = Merge ] && continue
    echo "building fuzz-$target..."
    # shellcheck disable=SC2086
    swiftc "${FLAGS[@]}" -module-name BallastData -I "$OUT" -L "$OUT" -lBallastCore -ldl \
        $DATA_SOURCES "Fuzz/Fuzz$target.swift" -o "Fuzz/fuzz-$target.bin" \
        2> "$OUT/build-$target.log" || { grep -v 'Cannot export local symbol' "$OUT/build-$target.log"; exit 1; }
done

# The bundle and merge targets link every module below BallastEval as a static library and
# compile BallastEval's sources with their own entry point.
if [[ " ${TARGETS[*]} " == *" Bundle "* || " ${TARGETS[*]} " == *" Merge "* ]]; then
    libs=(-lBallastCore)
    for module in BallastNN BallastData BallastLearn; do
        echo "building $module module..."
        # shellcheck disable=SC2046
        swiftc "${FLAGS[@]}" -emit-module -emit-library -static -module-name "$module" -I "$OUT" -L "$OUT" "${libs[@]}" \
            -emit-module-path "$OUT/$module.swiftmodule" -o "$OUT/lib$module.a" $(find "Sources/$module" -name '*.swift' | sort) \
            2> "$OUT/build-$module.log" || { cat "$OUT/build-$module.log"; exit 1; }
        libs+=("-l$module")
    done
    # Static libraries link after the code that uses them: the last-built module first.
    linked=()
    for ((i = ${#libs[@]} - 1; i >= 0; i--)); do linked+=("${libs[i]}"); done
    for target in Bundle Merge; do
        [[ " ${TARGETS[*]} " == *" $target "* ]] || continue
        echo "building fuzz-$target..."
        # shellcheck disable=SC2046
        swiftc "${FLAGS[@]}" -module-name BallastEval -I "$OUT" -L "$OUT" "${linked[@]}" -ldl \
            $(find Sources/BallastEval -name '*.swift' | sort) "Fuzz/Fuzz$target.swift" -o "Fuzz/fuzz-$target.bin" \
            2> "$OUT/build-$target.log" || { grep -v 'Cannot export local symbol' "$OUT/build-$target.log"; exit 1; }
    done
fi

# The JSON target needs only the service's JSON reader and writer (Foundation, no Hummingbird).
if [[ " ${TARGETS[*]} " == *" JSON "* ]]; then
    echo "building fuzz-JSON..."
    swiftc "${FLAGS[@]}" -module-name BallastServer Sources/BallastServer/Models/JSON.swift \
        Sources/BallastServer/Web/ValueCleaning.swift Fuzz/FuzzJSON.swift -o Fuzz/fuzz-JSON.bin \
        2> "$OUT/build-JSON.log" || { grep -v 'Cannot export local symbol' "$OUT/build-JSON.log"; exit 1; }
fi

# Seed corpora: first bytes are the option selectors the targets read.
CSV_CORPUS=Fuzz/corpus-csv
KDD_CORPUS=Fuzz/corpus-nslkdd
mkdir -p "$CSV_CORPUS" "$KDD_CORPUS"
seed() { printf '%b' "$2" > "$1"; }
seed "$CSV_CORPUS/plain" '\x00\x00a,b,c\n1,2.5,x\n3,-4e3,y\n'
seed "$CSV_CORPUS/quoted" '\x00\x04name,n\r\n"a,b",1\r\n"say ""hi""",2\r\n"two\nlines",nan\r\n'
seed "$CSV_CORPUS/bom-semicolon" '\x01\x01\xef\xbb\xbfx;y\n1;NA\n-;?\n'
seed "$CSV_CORPUS/tabs-missing" '\x02\x0a\xc3\xa9t\tv\nnull\t1\n\t-inf\n'
seed "$CSV_CORPUS/noheader" '\x03\x02 1|2\n3|4\n5|6\n'
if [ -r ../shared/datasets/nsl-kdd/KDDTest+.txt ]; then
    { printf '\x00\x00'; head -c 3000 ../shared/datasets/nsl-kdd/KDDTest+.txt; } > "$CSV_CORPUS/kdd"
    for mode in 0 1 2; do
        { printf "\\x0$mode"; head -n 8 ../shared/datasets/nsl-kdd/KDDTest+.txt; } > "$KDD_CORPUS/kdd-$mode"
    done
fi
JSON_CORPUS=Fuzz/corpus-json
mkdir -p "$JSON_CORPUS"
seed "$JSON_CORPUS/records" '{"records": [{"duration": 0, "protocol_type": "tcp", "src_bytes": 1.5e3, "flag": "SF"}, {"x": null}]}'
seed "$JSON_CORPUS/escapes" '["a\\"b\\\\c\\u00e9\\ud83d\\ude00\\n", -0.0, 1E+2, true, false, {}]'
seed "$JSON_CORPUS/nested" '[[[[{"a": [[{}]]}]]]]'
seed "$KDD_CORPUS/synthetic" '\x00 0,tcp,http,SF,491,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,2,0.00,0.00,0.00,0.00,1.00,0.00,0.00,150,25,0.17,0.03,0.17,0.00,0.00,0.00,0.05,0.00,normal,20\n'

# Bundle seeds: payloads (selector 0: re-signed by the target) of small bundles of every detector.
BUNDLE_CORPUS=Fuzz/corpus-bundle
if [[ " ${TARGETS[*]} " == *" Bundle "* ]]; then
    mkdir -p "$BUNDLE_CORPUS"
    [ -x .build/release/ballast ] || swift build -c release --product ballast
    flows="$OUT/flows.csv"
    { echo "proto,bytes,rate,flag,label"
      for i in $(seq 1 24); do
          echo "$([ $((i % 3)) = 0 ] && echo udp || echo tcp),$((i * 37 % 500)),0.$((i % 10)),$((i % 2)),$([ $((i % 4)) = 0 ] && echo scan || echo benign)"
      done; } > "$flows"
    for model in dt rf:trees=2 gbdt:rounds=2 lr knn:k=3 vote:members=dt+lr mlp:widths=3,epochs=1; do
        name=${model%%:*}
        .build/release/ballast train "$flows" --label label --model "$model" -o "$OUT/$name.bundle" > /dev/null
        { printf '\x00'; tail -n +3 "$OUT/$name.bundle"; } > "$BUNDLE_CORPUS/$name"
        { printf '\x01'; cat "$OUT/$name.bundle"; } > "$BUNDLE_CORPUS/$name-signed"
    done
fi

# Merge seeds: the two shards' results.json of a small simulated experiment, separated by 0x1E
# (both orders), and one shard alone.
MERGE_CORPUS=Fuzz/corpus-merge
if [[ " ${TARGETS[*]} " == *" Merge "* ]]; then
    mkdir -p "$MERGE_CORPUS"
    [ -x .build/release/ballast ] || swift build -c release --product ballast
    printf '%s\n' 'name = "fuzz-seed"' 'balancings = ["none", "ros"]' 'detectors = ["dt"]' 'seeds = [1]' \
        '[[dataset]]' 'source = "simulator"' 'rows = 300' > "$OUT/merge-spec.toml"
    for i in 1 2; do
        rm -rf "$OUT/shard-$i"
        .build/release/ballast experiment "$OUT/merge-spec.toml" --shard "$i/2" -o "$OUT/shard-$i" -q > /dev/null
    done
    { cat "$OUT/shard-1/results.json"; printf '\x1e'; cat "$OUT/shard-2/results.json"; } > "$MERGE_CORPUS/pair"
    { cat "$OUT/shard-2/results.json"; printf '\x1e'; cat "$OUT/shard-1/results.json"; } > "$MERGE_CORPUS/pair-reversed"
    cp "$OUT/shard-1/results.json" "$MERGE_CORPUS/one"
fi

status=0
for target in "${TARGETS[@]}"; do
    case "$target" in
        CSV) corpus=$CSV_CORPUS max_len=4096 ;;
        NSLKDD) corpus=$KDD_CORPUS max_len=4096 ;;
        Bundle) corpus=$BUNDLE_CORPUS max_len=65536 ;;
        JSON) corpus=$JSON_CORPUS max_len=4096 ;;
        Merge) corpus=$MERGE_CORPUS max_len=262144 ;;
    esac
    echo "fuzzing $target for ${SECONDS_PER_TARGET}s..."
    if ! "Fuzz/fuzz-$target.bin" "$corpus" -max_total_time="$SECONDS_PER_TARGET" -max_len="$max_len" -timeout=10 \
        -artifact_prefix="Fuzz/crash-$target-" -print_final_stats=1 2> "$OUT/fuzz-$target.log"; then
        echo "fuzz-$target FAILED; see $OUT/fuzz-$target.log and Fuzz/crash-$target-*"
        tail -n 30 "$OUT/fuzz-$target.log"
        status=1
    else
        grep -E 'stat::number_of_executed_units|cov:' "$OUT/fuzz-$target.log" | tail -n 2
    fi
done
exit $status
