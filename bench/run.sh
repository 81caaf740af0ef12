#!/usr/bin/env bash
# Benchmarks jconv against libtorch (DJL) on the nine conv shapes, forward and forward+backward, then prints
# the table of docs/performance.md. Needs network access to Maven Central once (JMH, DJL and libtorch's
# native jar, which DJL unpacks to ~/.djl.ai on first use, about 430 MB).
#   bench/run.sh [threads] [extra JMH options, e.g. -p shape=e,f]
# Writes the chart to docs/images/benchmarks.png (or $BENCH_CHART).
# The measurements mean something only on an otherwise idle machine: the script prints the load average.
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}"
shift || true
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The bench module (-P bench) and the modules it uses, compiled to their target/classes.
mvn -B -q -P bench -pl bench -am -DskipTests process-classes
cp="bench/target/classes:$(cat bench/target/bench-classpath.txt)"
# A -jvmArgsAppend on the command line replaces the one in @Fork, so the fork's JVM options are all here: the
# parallel collector (jconv's results are large arrays, humongous objects that made G1 runs slow and erratic),
# a fixed, pre-touched heap (no page faults timed) and DJL kept offline.
jvm_args="--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xms4g -Xmx4g -XX:+AlwaysPreTouch -Dai.djl.offline=true"
echo "fork JVM options: $jvm_args"
mkdir -p target/bench
# Wait (up to 15 minutes) for the 1-minute load average to fall below BENCH_MAX_LOAD (default 0.6).
max_load="${BENCH_MAX_LOAD:-0.6}"
for _ in $(seq 90); do
    awk -v max="$max_load" '{ exit !($1 < max) }' /proc/loadavg && break
    sleep 10
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
peak_line="$("$java" --add-modules jdk.incubator.vector -cp "$cp" dev.jconv.bench.FmaPeak "$threads" 2>/dev/null)"
echo "$peak_line"
peak="$(echo "$peak_line" | awk '{print $2}')"
"$java" --add-modules jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main dev.jconv.bench.ConvBench \
    -jvmArgsAppend "$jvm_args -Dbench.threads=$threads -Djconv.threads=$threads" -prof gc \
    -rf json -rff target/bench/results.json "$@" > target/bench/jmh.log 2>&1 || { tail -40 target/bench/jmh.log; exit 1; }
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# The table (also kept in target/bench/table.md) and the chart of docs/benchmarks.md.
"$java" -cp "$cp" dev.jconv.bench.Report target/bench/results.json "$peak" "${BENCH_CHART:-docs/images/benchmarks.png}" \
    "jconv / libtorch 2.7.1, float32 conv2d, $threads threads, $(date -u +%Y-%m-%d)" | tee target/bench/table.md
