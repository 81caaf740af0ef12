#!/usr/bin/env bash
# Training steps of whole networks, jconv beside PyTorch (Debian's python3-torch) in one run: LeNet (batch 256,
# 28x28), D2L's ResNet-18 and DenseNet (batch 32, 96x96). Prints each run's log and a table of the median
# ms per step (steps 3 and later), peak RSS and, for jconv, peak heap and the breakdown of its step. Fails when
# a jconv kernel ran on the Vector API's Java fallback instead of vector instructions. Without JVM options, jconv
# runs with the heap ./jconv train gives the same network, batch and image size (its --heap-plan: -Xmx, -Xmn);
# options given replace that plan (-Xmx4g, say, for a heap left to grow).
#   bench/steps.sh [steps] [JVM options, e.g. -Xmx1g]
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-8}"
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
table="| network | PyTorch ms/step | jconv ms/step | jconv/PyTorch | PyTorch peak RSS | jconv peak RSS | jconv peak heap |"
table+=$'\n'"| --- | --- | --- | --- | --- | --- | --- |"
status=0 # 3 when a jconv kernel ran on the Vector API's Java fallback (StepBench names it)
for spec in "lenet 256 28" "resnet18 32 96" "densenet 32 96"; do
    set -- $spec
    /usr/bin/python3 scripts/pytorch_step.py "$1" "$2" "$3" "$steps" --threads 2 > "$out/$1-pytorch.log"
    heap=(${jvm_opts[@]+"${jvm_opts[@]}"})
    if [ "${#jvm_opts[@]}" -eq 0 ]; then
        size_opt=(--resize "$3")
        [ "$1" = lenet ] && size_opt=()
        plan="$("$java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "$cp" \
            dev.jconv.cli.Main train "$1" --batch-size "$2" "${size_opt[@]+"${size_opt[@]}"}" --heap-plan 2> /dev/null | tail -n 1)"
        read -r -a heap <<< "$plan" # -Xmx and -Xmn, as the launcher passes them
    fi
    echo "jconv JVM options: ${heap[*]}" > "$out/$1-jconv.log"
    "$java" --add-modules jdk.incubator.vector -XX:+UseParallelGC "${heap[@]}" ${JCONV_JVM_OPTS:-} -Djconv.threads=2 \
        -cp "$cp" dev.jconv.bench.StepBench "$1" "$2" "$3" "$steps" 2> /dev/null >> "$out/$1-jconv.log" || status=$?
    cat "$out/$1-pytorch.log" "$out/$1-jconv.log"
    pt="$(sed -n 's/.*median \([0-9.]*\) ms.*peak RSS \([0-9.]*\) GB.*/\1 \2/p' "$out/$1-pytorch.log")"
    jc="$(sed -n 's/.*median \([0-9.]*\) ms.*peak RSS \([0-9.]*\) GB, peak heap \([0-9.]*\) GB.*/\1 \2 \3/p' "$out/$1-jconv.log")"
    read -r pms prss <<< "$pt"
    read -r jms jrss jheap <<< "$jc"
    ratio="$(awk -v a="$jms" -v b="$pms" 'BEGIN { printf "%.2f", a / b }')"
    table+=$'\n'"| $1 (batch $2, ${3}x$3) | $pms | $jms | $ratio | $prss GB | $jrss GB | $jheap GB |"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$table" | tee "$out/table.md"
if [ "$status" -ne 0 ]; then
    echo "a jconv run failed (status $status; 3: a kernel left its Vector API intrinsics, see VECTOR API FALLBACK above)"
    exit "$status"
fi
