package dev.heinit.examples.train;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.heinit.examples.report.InitSignal;
import dev.heinit.examples.report.MetricsRow;
import dev.heinit.examples.report.RunPrognosis;
import dev.heinit.examples.report.RunResult;
import dev.heinit.examples.runtime.Logging;

/**
 * Runs a {@link RunSpec} in a child JVM of the same program with {@code OMP_NUM_THREADS=1}, translating its
 * protocol lines back into {@link RunListener} events.
 *
 * <p>Why processes: OpenMP fixes its thread count when ND4J's native library loads, so one thread per run needs
 * one process per run; on small CPUs one single-threaded run per core beats runs sharing all cores (measured: two OpenMP threads on these tiny ops cost ~3× the CPU of one).
 * Protocol (child's stdout; anything else is passed through to stderr): {@code @@START total|fastPath},
 * {@code @@SIG encodedInitSignal}, {@code @@PROG encodedPrognosis}, {@code @@IT iteration loss}, {@code @@ROW csv}, {@code @@LOG message}, {@code @@DONE encodedResult}.
 * The child gets this process's logging choice ({@link Logging#childJvmOptions()}): quiet unless {@code --verbose}.
 */
public final class ChildRuns {

    /** Prefix of protocol lines. */
    public static final String P = "@@";

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean destroying;

    private ChildRuns() {}

    /** The command that starts this program's {@code worker} command in a fresh JVM. */
    public static List<String> command(RunSpec spec) {
        List<String> cmd = programCommand();
        cmd.add("worker");
        cmd.addAll(spec.toArgs());
        return cmd;
    }

    /**
     * The command that starts this program in a fresh JVM for one training run, before its arguments. The JIT stops
     * at C1: a run's hot path is native (oneDNN, ND4J), and C2's compiler threads only add CPU time. Side by side
     * (the 30-layer ReLU net, 10 epochs, one native thread each, AMD EPYC, 2026-12-07): 53.2 vs 55.6 CPU-s of
     * training, 61 s of wall time both, bitwise the same losses; the prognosis probe, first to train in the JVM,
     * 2.44 vs 3.20 CPU-s.
     */
    public static List<String> programCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(Logging.childJvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.heinit.examples.Main");
        return cmd;
    }

    /** Kills children still running (for shutdown hooks). */
    public static void destroyAll() {
        destroying = true;
        for (Process p : LIVE) {
            p.destroy();
        }
    }

    /**
     * Runs the spec in a child process and blocks until it ends.
     *
     * @return its result, or a result marked as failed if the child died without reporting one
     */
    public static RunResult run(RunSpec spec, RunListener listener) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(spec));
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.directory(new File(System.getProperty("user.dir")));
        Process p = pb.start();
        LIVE.add(p);
        RunResult result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                RunResult done = replay(spec, line, listener);
                if (done != null) {
                    result = done;
                }
            }
        } catch (IOException e) {
            if (!destroying) {
                throw e;
            }
        }
        int rc = p.waitFor();
        LIVE.remove(p);
        if (result == null && destroying) {
            return null; // interrupted by us: not a result
        }
        if (result == null) {
            result = Runners.failed(spec, "child process exited with code " + rc + " without a result");
        }
        listener.finished(spec, result);
        return result;
    }

    /**
     * Passes one protocol line to the listener as the event it encodes (lines without the prefix go to stderr).
     *
     * @return the run's result if the line is {@code @@DONE}, null otherwise (the listener's {@code finished} is
     *         left to the caller, which decides whether the result counts)
     */
    public static RunResult replay(RunSpec spec, String line, RunListener listener) {
        if (!line.startsWith(P)) {
            System.err.println(line);
            return null;
        }
        String body = line.substring(P.length());
        int sp = body.indexOf(' ');
        String kind = sp < 0 ? body : body.substring(0, sp);
        String arg = sp < 0 ? "" : body.substring(sp + 1);
        switch (kind) {
            case "START" -> {
                int bar = arg.indexOf('|');
                listener.started(spec, Integer.parseInt(arg.substring(0, bar)), arg.substring(bar + 1));
            }
            case "SIG" -> listener.initSignal(spec, InitSignal.decode(arg));
            case "PROG" -> listener.prognosis(spec, RunPrognosis.decode(arg));
            case "IT" -> {
                String[] f = arg.split(" ");
                listener.iteration(spec, Integer.parseInt(f[0]), Double.parseDouble(f[1]));
            }
            case "ROW" -> listener.row(spec, MetricsRow.parse(arg));
            case "LOG" -> listener.log(spec, arg);
            case "DONE" -> {
                return RunResult.decode(arg);
            }
            default -> System.err.println(line);
        }
        return null;
    }

    /** The listener a child uses: protocol lines on stdout. */
    public static RunListener protocolWriter() {
        return protocolWriter(ChildRuns::emit);
    }

    /**
     * A listener that encodes every event as a protocol line (without the {@value #P} prefix) for {@code sink};
     * {@link #replay} decodes it.
     */
    public static RunListener protocolWriter(Consumer<String> sink) {
        return new RunListener() {
            @Override
            public void started(RunSpec spec, int total, String fastPath) {
                sink.accept("START " + total + "|" + fastPath.replace('\n', ' '));
            }

            @Override
            public void initSignal(RunSpec spec, InitSignal signal) {
                sink.accept("SIG " + signal.encode());
            }

            @Override
            public void prognosis(RunSpec spec, RunPrognosis prognosis) {
                sink.accept("PROG " + prognosis.encode());
            }

            @Override
            public void iteration(RunSpec spec, int iteration, double loss) {
                sink.accept("IT " + iteration + " " + loss);
            }

            @Override
            public void row(RunSpec spec, MetricsRow row) {
                sink.accept("ROW " + row.toCsv());
            }

            @Override
            public void log(RunSpec spec, String message) {
                sink.accept("LOG " + message.replace('\n', ' '));
            }

            @Override
            public void finished(RunSpec spec, RunResult result) {
                sink.accept("DONE " + result.encode());
            }
        };
    }

    private static synchronized void emit(String s) {
        System.out.println(P + s);
        System.out.flush();
    }
}
