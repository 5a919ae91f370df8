package dev.heinit.examples.train;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.heinit.examples.report.FailedAttempt;

/**
 * Executes the runs of one {@code compare} or {@code validate} invocation and reports each run's events to a
 * listener; {@link Compare} turns those events into metrics.csv and the report, whatever executed the runs.
 * Implementations: {@link Runners#sequential in this JVM, one after the other}, {@link Runners#processes child
 * JVMs}, and Spark (module dl4j-he-spark, found through {@link Provider}).
 *
 * <p>Contract: every run that ends, normally, diverged or failed, produces exactly one
 * {@link RunListener#finished} call, after the run's rows; a run cut short by {@link #cancel()} may produce
 * none. Listener calls may come from several threads.
 */
public interface Runner {

    /**
     * Runs the specs and blocks until they have ended or {@code stop} is set.
     *
     * @param stop set by a shutdown hook (Ctrl-C): start no further run
     */
    void run(List<RunSpec> specs, RunListener listener, AtomicBoolean stop) throws IOException, InterruptedException;

    /** Ends the runs still going (called from a shutdown hook while {@link #run} may still block). */
    void cancel();

    /** One line for the report's "Execution:" entry. */
    String describe();

    /**
     * Attempts that failed and that this runner retried (so far), in the order they failed; for the report. The
     * runners in this program do not retry: a run has one attempt.
     */
    default List<FailedAttempt> failedAttempts() {
        return List.of();
    }

    /**
     * A runner that lives in another jar, found with {@link java.util.ServiceLoader} so that this program does
     * not depend on its libraries (the Spark runner: {@code META-INF/services/dev.heinit.examples.train.Runner$Provider}).
     */
    interface Provider {
        /** The {@code --runner} value this provider serves. */
        RunnerKind kind();

        /**
         * @param master the cluster to run on ({@code --spark-master}), or null for the runner's default
         */
        Runner create(String master);
    }
}
