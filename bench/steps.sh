#!/usr/bin/env bash
# Training steps of whole networks, jconv beside PyTorch (Debian's python3-torch) in one run: LeNet (batch 256,
# 28x28), D2L's ResNet-18 and DenseNet (batch 32, 96x96). Prints each run's log and a table of the median
# ms per step in the steady state (steps 11 and later) and in the warm-up (steps 3-10, while the JVM still compiles
# what a step runs), peak RSS and, for jconv, peak heap and the breakdown of its step. Fails when
# a jconv kernel ran on the Vector API's Java fallback instead of vector instructions. Without JVM options, jconv
# runs with the heap ./jconv train gives the same network, batch and image size (its --heap-plan: -Xmx, -Xmn);
# options given replace that plan (-Xmx4g, say, for a heap left to grow). ROUNDS=N (default 1) runs each pair N
# times in turn, PyTorch then jconv, and the table gives the median of the rounds' medians and the range of the
# rounds' ratios: this machine's speed drifts by 10-20% over minutes, which one pair of runs cannot tell apart.
#   [ROUNDS=3] [NETS="resnet18 ..."] bench/steps.sh [steps, default 30] [JVM options, e.g. -Xmx1g]
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-30}"
shift || true
jvm_opts=("$@") # kept aside: the loop below reuses the positional parameters
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -B -q -P bench -pl bench -am -DskipTests process-classes
cp="bench/target/classes:$(cat bench/target/bench-classpath.txt)"
out=target/bench/steps
mkdir -p "$out"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rounds="${ROUNDS:-1}"
table="| network | PyTorch ms/step | jconv ms/step | jconv/PyTorch | ratio by round | warm-up: PyTorch, jconv (ratio) | PyTorch peak RSS | jconv peak RSS | jconv peak heap |"
table+=$'\n'"| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
status=0 # 3 when a jconv kernel ran on the Vector API's Java fallback (StepBench names it)
median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a) ? b : a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; } # jconv's time over PyTorch's
for spec in "lenet 256 28" "resnet18 32 96" "densenet 32 96"; do
    set -- $spec
    [[ -n "${NETS:-}" && " $NETS " != *" $1 "* ]] && continue # NETS="resnet18 lenet" runs only those
    heap=(${jvm_opts[@]+"${jvm_opts[@]}"})
    if [ "${#jvm_opts[@]}" -eq 0 ]; then
        size_opt=(--resize "$3")
        [ "$1" = lenet ] && size_opt=()
        plan="$("$java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "$cp" \
            dev.jconv.cli.Main train "$1" --batch-size "$2" "${size_opt[@]+"${size_opt[@]}"}" --heap-plan 2> /dev/null | tail -n 1)"
        read -r -a heap <<< "$plan" # -Xmx and -Xmn, as the launcher passes them
    fi
    pts=() jcs=() pws=() jws=() ratios=() prss=0 jrss=0 jheap=0
    for ((r = 1; r <= rounds; r++)); do
        /usr/bin/python3 scripts/pytorch_step.py "$1" "$2" "$3" "$steps" --threads 2 > "$out/$1-pytorch.log"
        echo "jconv JVM options: ${heap[*]}" > "$out/$1-jconv.log"
        "$java" --add-modules jdk.incubator.vector -XX:+UseParallelGC "${heap[@]}" ${JCONV_JVM_OPTS:-} -Djconv.threads=2 \
            -cp "$cp" dev.jconv.bench.StepBench "$1" "$2" "$3" "$steps" 2> /dev/null >> "$out/$1-jconv.log" || status=$?
        echo "== $1, round $r of $rounds"
        cat "$out/$1-pytorch.log" "$out/$1-jconv.log"
        summary='s/.*steady median \([0-9.]*\) ms.*warm-up median \([0-9.]*\) ms.*peak RSS \([0-9.]*\) GB'
        read -r pms pwu prs <<< "$(sed -n "$summary"'.*/\1 \2 \3/p' "$out/$1-pytorch.log")"
        read -r jms jwu jrs jhp <<< "$(sed -n "$summary"', peak heap \([0-9.]*\) GB.*/\1 \2 \3 \4/p' "$out/$1-jconv.log")"
        pts+=("$pms") jcs+=("$jms") pws+=("$pwu") jws+=("$jwu")
        ratios+=("$(ratio "$jms" "$pms")")
        prss="$(max "$prss" "$prs")" jrss="$(max "$jrss" "$jrs")" jheap="$(max "$jheap" "$jhp")"
    done
    pmed="$(echo "${pts[*]}" | median)"
    jmed="$(echo "${jcs[*]}" | median)"
    steady="$(ratio "$jmed" "$pmed")"
    pwmed="$(echo "${pws[*]}" | median)"
    jwmed="$(echo "${jws[*]}" | median)"
    warm="$pwmed, $jwmed ($(ratio "$jwmed" "$pwmed"))"
    table+=$'\n'"| $1 (batch $2, ${3}x$3) | $pmed | $jmed | $steady | ${ratios[*]} | $warm | $prss GB | $jrss GB | $jheap GB |"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$table" | tee "$out/table.md"
chart="${STEPS_CHART:-$out/steps.png}" # STEPS_CHART=docs/images/steps.png for the docs' chart
"$java" -cp "$cp" dev.jconv.bench.StepChart "$out/table.md" "$chart" && echo "chart: $chart"
if [ "$status" -ne 0 ]; then
    echo "a jconv run failed (status $status; 3: a kernel left its Vector API intrinsics, see VECTOR API FALLBACK above)"
    exit "$status"
fi
