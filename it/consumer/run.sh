#!/usr/bin/env bash
# The consumer check: installs jconv (mvn install -DskipTests at the root, unless --no-install), then builds
# this project against the installed dev.jconv:jconv-core and runs it on the plain class path with no JVM flags
# (no --add-modules jdk.incubator.vector: jconv runs its scalar kernels and logs one warning). Checks the
# output and that one warning. Maven options (e.g. -o) are passed on.
#   it/consumer/run.sh [--no-install] [MAVEN OPTIONS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
install=1
if [ "${1:-}" = "--no-install" ]; then
    install=0
    shift
fi
if [ "$install" = 1 ]; then
    (cd "$root" && mvn -B -q install -DskipTests "$@")
fi
cd "$here"
mvn -B -q "$@" compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
"$java" -cp "target/classes:$(cat target/classpath.txt)" example.Main > target/out.txt 2> target/err.txt || {
    cat target/out.txt target/err.txt
    echo "consumer check: the program failed" >&2
    exit 1
}
cat target/out.txt
expected='tensor([[[[19., 25.],
          [37., 43.]]]])'
if [ "$(head -n 2 target/out.txt)" != "$expected" ]; then
    echo "consumer check: expected the first lines to be"$'\n'"$expected" >&2
    exit 1
fi
warnings="$(grep -c 'jdk.incubator.vector is not resolved' target/err.txt || true)"
if [ "$warnings" != 1 ]; then
    cat target/err.txt >&2
    echo "consumer check: expected one warning about jdk.incubator.vector on stderr, got $warnings" >&2
    exit 1
fi
echo "consumer check: OK (class path, no flags; stderr: $(grep -v '^[A-Z][a-z][a-z] [0-9]' target/err.txt | head -n 1))"
# The same program with jconv-core on the module path (the program itself in the unnamed module), no flags.
core="$(tr ':' '\n' < target/classpath.txt | grep 'jconv-core' | head -n 1)"
"$java" -p "$core" --add-modules dev.jconv -cp target/classes example.Main > target/out-mp.txt 2> target/err-mp.txt || {
    cat target/out-mp.txt target/err-mp.txt
    echo "consumer check: the program failed on the module path" >&2
    exit 1
}
if [ "$(head -n 2 target/out-mp.txt)" != "$expected" ]; then
    echo "consumer check: on the module path, expected the first lines to be"$'\n'"$expected" >&2
    exit 1
fi
echo "consumer check: OK (module path, no flags)"
