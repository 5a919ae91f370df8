package dev.heinit.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone master and one worker on loopback, each a child JVM started from Spark's own classes in the
 * module's {@code target/spark-lib} (the jars a user's cluster would be started from), on free ports. The worker
 * builds its executors' command lines from {@code SPARK_HOME/jars}: SPARK_HOME is a temporary folder whose
 * {@code jars} links to spark-lib, and {@code SPARK_SCALA_VERSION=2.12} because that folder is not a Spark
 * distribution. {@link #close()} kills the executors, the worker and the master.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final long START_SECONDS = 120;

    private final Path dir;
    private final int port;
    private final List<Process> processes = new ArrayList<>();
    private Process worker;

    private StandaloneCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts a master and a worker with {@code cores} cores; returns once the worker has registered.
     *
     * @param sparkLib Spark's jars
     * @param opens    the JVM options Spark needs on Java 17 ({@code --add-opens ...})
     */
    static StandaloneCluster start(Path sparkLib, String opens, Path dir, int cores) throws Exception {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createSymbolicLink(home.resolve("jars"), sparkLib.toAbsolutePath());
        StandaloneCluster c = new StandaloneCluster(dir, freePort());
        try {
            c.launch(
                    "master",
                    opens,
                    sparkLib,
                    home,
                    List.of(
                            "org.apache.spark.deploy.master.Master",
                            "--host",
                            "127.0.0.1",
                            "--port",
                            String.valueOf(c.port),
                            "--webui-port",
                            String.valueOf(freePort())));
            c.awaitLog("master", "Starting Spark master at " + c.url());
            c.worker = c.launch(
                    "worker",
                    opens,
                    sparkLib,
                    home,
                    List.of(
                            "org.apache.spark.deploy.worker.Worker",
                            "--host",
                            "127.0.0.1",
                            "--cores",
                            String.valueOf(cores),
                            "--memory",
                            "3g",
                            "--webui-port",
                            String.valueOf(freePort()),
                            "--work-dir",
                            dir.resolve("work").toString(),
                            c.url()));
            c.awaitLog("worker", "Successfully registered with master");
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    /** {@code spark://127.0.0.1:PORT}. */
    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** What a process has logged so far ("master", "worker"). */
    String log(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    /** The worker's executor JVMs now running. */
    List<ProcessHandle> executors() {
        return worker.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .toList();
    }

    /** The executor JVM of an application ({@code app-...}), if it is running. */
    Optional<ProcessHandle> executorOf(String applicationId) {
        return executors().stream()
                .filter(p -> p.info().commandLine().orElse("").contains(" " + applicationId + " "))
                .findFirst();
    }

    private Process launch(String name, String opens, Path sparkLib, Path home, List<String> main) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(Arrays.asList(opens.trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(sparkLib.toAbsolutePath() + "/*");
        cmd.addAll(main);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().remove("SPARK_CONF_DIR");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private void awaitLog(String name, String line) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        Process p = processes.get(processes.size() - 1);
        while (System.nanoTime() < end) {
            if (log(name).contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + ":\n" + log(name));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + ": no '" + line + "' within " + START_SECONDS + " s:\n" + log(name));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the executors, the worker and the master (SIGKILL), and waits until they are gone. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).descendants().forEach(all::add);
            all.add(processes.get(i).toHandle());
        }
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // gone already, or the wait was interrupted: nothing more to stop
            }
        }
    }
}
