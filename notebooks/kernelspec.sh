#!/usr/bin/env bash
# Writes the Jupyter kernel spec "jconv-java": the rapaio Java kernel (JShell) on JDK 25, with jconv's jar on
# the class path of every notebook. Used by `./jconv notebook install` and by the notebook tests, which point
# it at a temporary Jupyter data directory.
#
#   notebooks/kernelspec.sh DEST_DIR JAVA KERNEL_JAR JCONV_JAR [JAR ...]
#
#   DEST_DIR    the kernel's directory, e.g. ~/.local/share/jupyter/kernels/jconv-java (created if needed)
#   JAVA        the java binary of a JDK 25 or newer (absolute path)
#   KERNEL_JAR  io.github.padreati:rapaio-jupyter-kernel's jar (copied into DEST_DIR)
#   JCONV_JAR   jconv's jar, jconv-cli/target/jconv.jar (referenced where it is, so a rebuilt jar is picked up
#               when the kernel restarts)
#   JAR ...     the jars it needs, jconv-cli/target/lib/*.jar (jconv-core, jconv-viz, xchart, picocli)
set -euo pipefail

if [ "$#" -lt 4 ]; then
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
    exit 2
fi
dest="$1" java="$2" kernel_jar="$3"
shift 3
jars=("$@")

for f in "$java" "$kernel_jar" "${jars[@]}"; do
    case "$f" in
        /*) ;;
        *) echo "kernelspec.sh: '$f' is not an absolute path" >&2; exit 2 ;;
    esac
    [ -e "$f" ] || { echo "kernelspec.sh: '$f' does not exist" >&2; exit 1; }
done
# RJK_CLASSPATH separates entries with ';' and expands glob characters.
class_path=""
for jar in "${jars[@]}"; do
    case "$jar" in
        *[\;\*\?\[]*) echo "kernelspec.sh: the jar path '$jar' holds one of ; * ? [ which the kernel's class path reads as syntax" >&2; exit 1 ;;
    esac
    class_path="${class_path:+$class_path;}$jar"
done

json_string() {
    local s="$1"
    s="${s//\\/\\\\}"
    s="${s//\"/\\\"}"
    printf '"%s"' "$s"
}

mkdir -p "$dest"
cp "$kernel_jar" "$dest/rapaio-jupyter-kernel.jar.tmp"
mv "$dest/rapaio-jupyter-kernel.jar.tmp" "$dest/rapaio-jupyter-kernel.jar"

# --add-modules jdk.incubator.vector: jconv may use the Vector API, so the kernel's JVM (which also runs the
# notebook's code, in process) and the JShell compiler both resolve the incubator module.
cat > "$dest/kernel.json.tmp" <<JSON
{
  "argv": [
    $(json_string "$java"),
    "--add-modules", "jdk.incubator.vector",
    "-Djava.awt.headless=true",
    "-jar", $(json_string "$dest/rapaio-jupyter-kernel.jar"),
    "{connection_file}"
  ],
  "display_name": "Java (jconv)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "RJK_CLASSPATH": $(json_string "$class_path"),
    "RJK_COMPILER_OPTIONS": "--add-modules jdk.incubator.vector",
    "RJK_INIT_SCRIPT": "",
    "RJK_TIMEOUT_MILLIS": "-1",
    "RJK_MIMA_CACHE": $(json_string "$dest/mima_cache")
  }
}
JSON
mv "$dest/kernel.json.tmp" "$dest/kernel.json"
