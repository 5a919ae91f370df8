package dev.heinit.examples;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.heinit.examples.train.RunnerKind;
import dev.heinit.examples.train.Runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --runner and --spark-master: contradictions and a missing Spark runner exit 2 before anything runs. */
class RunnerOptionsTest {

    @TempDir
    Path tmp;

    private Cli bad(String... args) {
        Cli r = Cli.run(args);
        assertEquals(2, r.code, r.out + r.err);
        return r;
    }

    @Test
    void sparkWithoutTheSparkJarSaysWhichJarAndCommandToUse() {
        // this module's tests do not have dl4j-he-spark on the class path
        assertTrue(Runners.provider(RunnerKind.SPARK).isEmpty());
        for (String cmd : new String[] {"compare", "validate"}) {
            Cli r = bad(cmd, "--runner", "spark", "--out", tmp.resolve(cmd).toString());
            assertTrue(r.err.contains("dl4j-he-spark") && r.err.contains("spark-submit"), r.err);
            assertTrue(Files.notExists(tmp.resolve(cmd)), "nothing written");
        }
    }

    @Test
    void contradictionsAreRejected() {
        assertTrue(bad("compare", "--runner", "gpu").err.contains("local, process, spark"));
        assertTrue(bad("compare", "--spark-master", "local[2]").err.contains("--spark-master needs --runner spark"));
        assertTrue(bad("compare", "--runner", "local", "--parallel", "2").err.contains("--runner process"));
        assertTrue(bad("compare", "--runner", "process", "--parallel", "0").err.contains("--parallel >= 1"));
        assertTrue(bad("validate", "--runner", "spark", "--parallel", "2").err.contains("--spark-master local[N]"));
    }
}
