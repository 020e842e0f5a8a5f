#!/usr/bin/env bash
# Runs Vokter's libFuzzer targets (fuzz/*_fuzz.cpp) on their committed seed corpus.
#
#   fuzz/run.sh [--build DIR] [--seconds N | --runs N] [--merge] [--jobs N] [--parallel N] [NAME...]
#
# For each target (all when no NAME is given): every committed reproducer in
# fuzz/reproducers/NAME is replayed first and must pass, then the fuzzer runs for N seconds
# (default 30) or N executions, starting from fuzz/corpus/NAME. New inputs go to a scratch
# directory, not to the committed corpus, unless --merge is given: then the inputs that add
# coverage are merged into fuzz/corpus/NAME (minimised by libFuzzer's -merge=1). A finding stops
# the run with its input in DIR/fuzz-findings/NAME/; fix the defect, then commit the input to
# fuzz/reproducers/NAME so it is replayed from then on.
# --parallel N runs N targets at a time, each for the same time (`make fuzz` gives the cores:
# a fuzzer uses one), and prints each one's report when its group ends.
# DIR is a build configured with -DVOKTER_FUZZ=ON (make fuzz: build/asan).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$here/../build/asan"
seconds=30
runs=""
merge=0
jobs=1
parallel_targets=1
names=()
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --merge) merge=1; shift ;;
        --jobs) jobs="$2"; shift 2 ;;
        --parallel) parallel_targets="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        -*) echo "fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
        *) names+=("$1"); shift ;;
    esac
done
build="$(cd "$build" && pwd)"  # absolute: the fuzzer runs from its findings directory
if [ ${#names[@]} -eq 0 ]; then
    for source in "$here"/*_fuzz.cpp; do
        stem="$(basename "$source" .cpp)"
        names+=("${stem%_fuzz}")
    done
fi

# UBSan findings abort (the build uses -fno-sanitize-recover); ASan's leak checker stays on.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# One target: its reproducers, then the fuzzer. Returns non-zero for a failure or a finding.
fuzz_target() {
    local name="$1" status=0
    local binary corpus reproducers findings count scratch limit max_len log started parallel code \
        elapsed executions
    binary="$build/fuzz/fuzz_$name"
    corpus="$here/corpus/$name"
    reproducers="$here/reproducers/$name"
    if [ ! -x "$binary" ]; then
        echo "fuzz $name: $binary is missing (build with: make fuzz)" >&2
        exit 2
    fi
    if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
        echo "fuzz $name: no seed corpus in $corpus" >&2
        exit 2
    fi
    findings="$build/fuzz-findings/$name"
    mkdir -p "$findings"
    if [ -d "$reproducers" ] && [ -n "$(ls -A "$reproducers")" ]; then
        count=$(find "$reproducers" -type f | wc -l)
        if ! "$binary" -runs=1 "$reproducers"/* >"$findings/replay.log" 2>&1; then
            echo "fuzz $name: a committed reproducer fails again:" >&2
            tail -30 "$findings/replay.log" >&2
            return 1
        fi
        echo "fuzz $name: $count reproducers pass"
    fi
    scratch="$(mktemp -d)"
    limit=(-max_total_time="$seconds")
    [ -n "$runs" ] && limit=(-runs="$runs")
    # Inputs of up to 2 KB reach every limit the targets set (they use small ones) and keep
    # each target at thousands of executions a second under ASan; the HTTP framing target,
    # cheap per byte, gets 8 KB.
    max_len=2048
    [ "$name" = request_framing ] && max_len=8192
    [ "$name" = evaluate ] && max_len=1024  # every default rule runs on each input
    log="$findings/run.log"
    started=$(date +%s)
    parallel=()
    [ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
    rm -f "$findings"/fuzz-*.log
    set +e
    # From the findings directory: with --jobs, libFuzzer writes each job's log there.
    (cd "$findings" && "$binary" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len \
        -print_final_stats=1 -artifact_prefix="$findings/" "${parallel[@]}" "$scratch" "$corpus" \
        >"$log" 2>&1)
    code=$?
    set -e
    if [ "$jobs" -gt 1 ]; then cat "$findings"/fuzz-*.log >>"$log" 2>/dev/null || true; fi
    elapsed=$(( $(date +%s) - started ))
    executions=$(grep -ho 'stat::number_of_executed_units: *[0-9]*' "$log" |
                 awk '{s += $2} END {print s + 0}')
    if [ $code -eq 72 ]; then  # libFuzzer's exit code when interrupted (SIGINT)
        echo "fuzz $name: interrupted after $executions executions (${elapsed}s), no finding"
        code=0
    elif [ $code -ne 0 ]; then
        echo "fuzz $name: FINDING after $executions executions (${elapsed}s); input in $findings/" >&2
        grep -E 'ERROR|property failed|SUMMARY|runtime error' "$log" | head -10 >&2
        status=1
    else
        echo "fuzz $name: $executions executions in ${elapsed}s, no finding" \
             "(corpus $(ls "$corpus" | wc -l) seeds + $(ls "$scratch" | wc -l) new)"
    fi
    if [ $merge -eq 1 ] && [ $code -eq 0 ]; then
        "$binary" -merge=1 -max_len=$max_len "$corpus" "$scratch" >"$findings/merge.log" 2>&1
        echo "fuzz $name: corpus now $(ls "$corpus" | wc -l) inputs"
    fi
    rm -rf "$scratch"
    return $status
}

# The targets, `parallel` at a time (each fuzzer uses one core), their reports in order.
status=0
for ((first = 0; first < ${#names[@]}; first += parallel_targets)); do
    group=("${names[@]:first:parallel_targets}")
    if [ ${#group[@]} -eq 1 ]; then
        fuzz_target "${group[0]}" || status=1
        continue
    fi
    pids=()
    for name in "${group[@]}"; do
        fuzz_target "$name" >"$build/fuzz-$name.out" 2>&1 &
        pids+=($!)
    done
    for i in "${!group[@]}"; do
        wait "${pids[$i]}" || status=1
        cat "$build/fuzz-${group[$i]}.out"
        rm -f "$build/fuzz-${group[$i]}.out"
    done
done
exit $status
