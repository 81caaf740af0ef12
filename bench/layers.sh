#!/usr/bin/env bash
# The convolutions of a network one shape at a time, jconv (ConvShapeTime, auto algorithm) beside PyTorch: which
# layers a whole-network gap comes from.   bench/layers.sh [shapes file, default bench/resnet18-convs.txt]
set -euo pipefail
cd "$(dirname "$0")/.."
shapes="${1:-bench/resnet18-convs.txt}"
if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ] && [ -z "${JAVA_HOME:-}" ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mvn -B -q -P bench -pl bench -am -DskipTests process-classes
cp="bench/target/classes:$(cat bench/target/bench-classpath.txt)"
echo "== PyTorch"
/usr/bin/python3 scripts/pytorch_conv_layers.py "$shapes" --threads 2
echo "== jconv"
total=0
while read -r n c h w o k s p count; do
    case "$n" in ''|'#'*) continue ;; esac
    line="$("$java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Djconv.threads=2 -cp "$cp" \
        dev.jconv.bench.ConvShapeTime "$n" "$c" "$h" "$w" "$o" "$k" "$s" "$p" 2> /dev/null)"
    echo "$n $c $h $w $o $k $s $p x$count: $line"
    ms="$(grep -o '[0-9.]* ms' <<< "$line" | cut -d' ' -f1 | paste -sd' ')" # forward and backward
    total="$(awk -v t="$total" -v m="$count" -v f="$ms" 'BEGIN { split(f, v, " "); print t + m * (v[1] + v[2]) }')"
done < "$shapes"
echo "total over layers: $total ms"
