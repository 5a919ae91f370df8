package dev.heinit.examples.train;

import java.util.Arrays;
import java.util.Locale;

/** The values of {@code --runner}: what executes the runs of {@code compare} and {@code validate}. */
public enum RunnerKind {
    /** In this JVM, one after the other. */
    LOCAL,
    /** Child JVMs of this program, up to {@code --parallel} at once, one native thread each. */
    PROCESS,
    /** One Spark task per run (module dl4j-he-spark). */
    SPARK;

    /** The command-line spelling: "local", "process", "spark". */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Inverse of {@link #cliName()}. */
    public static RunnerKind byName(String name) {
        for (RunnerKind k : values()) {
            if (k.cliName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("--runner must be one of "
                + Arrays.stream(values()).map(RunnerKind::cliName).toList() + ", got '" + name + "'");
    }
}
