package dev.heinit.spark;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.Success$;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.TaskKilled;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.scheduler.TaskInfo;
import scala.collection.JavaConverters;

import dev.heinit.examples.report.FailedAttempt;

/**
 * Progress on the driver from Spark's listener bus: a bar of finished runs with the executor each ran on, and a
 * line for every failed attempt that Spark retries. A run's outcome line comes from the examples' console display
 * when its result is replayed.
 */
final class ProgressListener extends SparkListener {

    private static final int BAR = 20;

    private final int total;
    private final PrintStream out;
    private final Map<Integer, String> runOfStage = new ConcurrentHashMap<>();
    private final AtomicInteger finished = new AtomicInteger();
    private final List<FailedAttempt> failedAttempts = new CopyOnWriteArrayList<>();

    ProgressListener(int total, PrintStream out) {
        this.total = total;
        this.out = out;
    }

    /** Failed attempts so far, in the order Spark reported them. */
    List<FailedAttempt> failedAttempts() {
        return List.copyOf(failedAttempts);
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        String label = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
        if (label != null) {
            for (StageInfo s : JavaConverters.seqAsJavaList(job.stageInfos())) {
                runOfStage.put(s.stageId(), label);
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        String label = runOfStage.getOrDefault(end.stageId(), "stage " + end.stageId());
        TaskInfo info = end.taskInfo();
        String where = "executor " + info.executorId() + " (" + info.host() + ")";
        String line;
        if (end.reason() == Success$.MODULE$) {
            int k = finished.incrementAndGet();
            int filled = total == 0 ? BAR : k * BAR / total;
            line = String.format(
                    Locale.ROOT,
                    "[%s%s] %d/%d runs finished; %s on %s, attempt %d, %.1f s",
                    "#".repeat(filled),
                    ".".repeat(BAR - filled),
                    k,
                    total,
                    label,
                    where,
                    info.attemptNumber() + 1,
                    info.duration() / 1e3);
        } else if (end.reason() instanceof TaskKilled) {
            return; // cancelled (Ctrl-C): not a failure
        } else {
            String why = end.reason() instanceof TaskFailedReason r ? r.toErrorString() : String.valueOf(end.reason());
            int nl = why.indexOf('\n');
            why = nl < 0 ? why : why.substring(0, nl);
            failedAttempts.add(new FailedAttempt(label, info.attemptNumber() + 1, info.executorId(), info.host(), why));
            line = "[spark] " + label + ": attempt " + (info.attemptNumber() + 1) + " on " + where + " failed: " + why
                    + " (Spark retries it up to spark.task.maxFailures)";
        }
        synchronized (out) {
            out.println(line);
        }
    }
}
