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

import dev.heinit.examples.Logging;

/**
 * Runs a {@link RunSpec} in a child JVM of the same program with {@code OMP_NUM_THREADS=1}, translating its
 * protocol lines back into {@link RunListener} events.
 *
 * <p>Why processes: OpenMP fixes its thread count when ND4J's native library loads, so one thread per run needs
 * one process per run; on small CPUs one single-threaded run per core beats runs sharing all cores (DESIGN §3).
 * Protocol (child's stdout; anything else is passed through to stderr): {@code @@START total|fastPath},
 * {@code @@IT iteration loss}, {@code @@ROW csv}, {@code @@LOG message}, {@code @@DONE encodedResult}.
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
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(Logging.childJvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.heinit.examples.Main");
        cmd.add("worker");
        cmd.addAll(spec.toArgs());
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
                if (!line.startsWith(P)) {
                    System.err.println(line);
                    continue;
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
                    case "IT" -> {
                        String[] f = arg.split(" ");
                        listener.iteration(spec, Integer.parseInt(f[0]), Double.parseDouble(f[1]));
                    }
                    case "ROW" -> listener.row(spec, MetricsRow.parse(arg));
                    case "LOG" -> listener.log(spec, arg);
                    case "DONE" -> result = RunResult.decode(arg);
                    default -> System.err.println(line);
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
            result = new RunResult(
                    spec.label(),
                    spec.init().cliName(),
                    spec.depth(),
                    spec.seed(),
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    0,
                    0,
                    0,
                    0,
                    "child process failed with exit code " + rc);
        }
        listener.finished(spec, result);
        return result;
    }

    /** The listener a child uses: protocol lines on stdout. */
    public static RunListener protocolWriter() {
        return new RunListener() {
            @Override
            public void started(RunSpec spec, int total, String fastPath) {
                emit("START " + total + "|" + fastPath.replace('\n', ' '));
            }

            @Override
            public void iteration(RunSpec spec, int iteration, double loss) {
                emit("IT " + iteration + " " + loss);
            }

            @Override
            public void row(RunSpec spec, MetricsRow row) {
                emit("ROW " + row.toCsv());
            }

            @Override
            public void log(RunSpec spec, String message) {
                emit("LOG " + message.replace('\n', ' '));
            }

            @Override
            public void finished(RunSpec spec, RunResult result) {
                emit("DONE " + result.encode());
            }
        };
    }

    private static synchronized void emit(String s) {
        System.out.println(P + s);
        System.out.flush();
    }
}
