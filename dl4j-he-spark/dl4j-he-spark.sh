#!/bin/sh
# The examples program with the Spark runner on the class path: compare/validate --runner spark, Spark embedded
# (--spark-master local[N], default local[*]). Build first: ./mvnw -B package (or verify).
# Class path: Spark's libraries (target/spark-lib, but its slf4j-simple: the examples' jar has that binding, and
# two copies make SLF4J warn), the runner (target/dl4j-he-spark-*.jar), then the examples' jar (DL4J and the
# program). On a cluster (--spark-master spark://..., yarn, k8s://...) the runner ships its jar and the examples'
# jar to the executors itself (spark.jars), unless spark.jars is set (JAVA_OPTS=-Dspark.jars=...). Java 17 needs the module opens Spark's own launcher adds (JavaModuleOptions).
# In local mode the runs are threads of this JVM, and ND4J's native thread count is this process's
# OMP_NUM_THREADS, read once when the native library loads: one native thread per run unless you set it.
# Extra JVM options: JAVA_OPTS, e.g. JAVA_OPTS=-Xmx8g.
set -e
DIR=$(cd "$(dirname "$0")" && pwd)
EXAMPLES="$DIR/../dl4j-he-examples/target/dl4j-he-examples.jar"
RUNNER=$(ls "$DIR"/target/dl4j-he-spark-*.jar 2>/dev/null | head -n 1)
if [ ! -f "$EXAMPLES" ] || [ -z "$RUNNER" ] || [ ! -d "$DIR/target/spark-lib" ]; then
  echo "dl4j-he-spark.sh: build first: ./mvnw -B package (needs $EXAMPLES, $DIR/target/dl4j-he-spark-*.jar, $DIR/target/spark-lib)" >&2
  exit 2
fi
SPARK_CP=
for f in "$DIR"/target/spark-lib/*.jar; do
  case "$f" in
    */slf4j-simple-*) ;;
    *) SPARK_CP="$SPARK_CP$f:" ;;
  esac
done
: "${OMP_NUM_THREADS:=1}"
export OMP_NUM_THREADS
exec java -XX:+IgnoreUnrecognizedVMOptions \
  --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.security.action=ALL-UNNAMED \
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false \
  -Djava.awt.headless=true \
  $JAVA_OPTS \
  -cp "$SPARK_CP$RUNNER:$EXAMPLES" dev.heinit.examples.Main "$@"
