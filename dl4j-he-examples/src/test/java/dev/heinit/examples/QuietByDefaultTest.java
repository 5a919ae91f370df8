package dev.heinit.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.heinit.examples.runtime.Logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Library INFO logging and ND4J's backend build banner only with {@code --verbose}; warnings always.
 *
 * <p>Each case runs the program in a fresh JVM: slf4j-simple fixes its levels when the first logger is created,
 * and ND4J prints its banner once per process, so in this test JVM an earlier test would already have decided
 * both.
 */
class QuietByDefaultTest {

    /** slf4j-simple's INFO format ("[main] INFO org.nd4j... - ...") and JavaCPP's own logger ("Info: ..."). */
    private static final Pattern LIBRARY_INFO = Pattern.compile("(?m)^\\[[^\\]]+\\] INFO |^Info: ");
    /** The banner's first line and the build flags it lists. */
    private static final Pattern BANNER = Pattern.compile("(?m)Backend build information|^ ?GCC: |^HAVE_[A-Z]+$");

    private static final String LOADED = "Loaded [CpuBackend] backend";

    @TempDir
    Path tmp;

    /** Runs {@link Probe} (the program, then one INFO and one WARN line from an ND4J-named logger). */
    @Test
    void planIsQuietWithoutVerboseAndShowsWarnings() throws Exception {
        Run r = java(Probe.class, "plan", "--depth", "4");
        assertEquals(0, r.code, r.all());
        assertTrue(r.out.contains("layer3"), "the plan itself is printed: " + r.all());
        assertFalse(LIBRARY_INFO.matcher(r.all()).find(), r.all());
        assertFalse(BANNER.matcher(r.all()).find(), r.all());
        assertTrue(r.err.contains("WARN org.nd4j.probe - probe warning"), r.all());
        assertFalse(r.err.contains("probe info"), r.all());
    }

    /** --verbose before the command name here; compare's test gives it after. */
    @Test
    void planWithVerboseShowsLibraryInfoAndBanner() throws Exception {
        Run r = java(Probe.class, "--verbose", "plan", "--depth", "4");
        assertEquals(0, r.code, r.all());
        assertTrue(r.out.contains("layer3"), r.all());
        assertTrue(r.err.contains("INFO org.nd4j.linalg.factory.Nd4jBackend - " + LOADED), r.all());
        assertTrue(
                r.err.contains("INFO org.nd4j.linalg.cpu.nativecpu.CpuBackend - Backend build information"), r.all());
        assertTrue(BANNER.matcher(r.err).find(), r.all());
        assertTrue(r.err.contains("INFO org.nd4j.probe - probe info"), r.all());
        assertTrue(r.err.contains("WARN org.nd4j.probe - probe warning"), r.all());
    }

    /** An explicit slf4j-simple level is honoured without --verbose. */
    @Test
    void explicitLoggingConfigurationIsHonoured() throws Exception {
        Run explicit = java(List.of("-D" + Logging.LEVEL + "=info"), Probe.class, "plan", "--depth", "2");
        assertEquals(0, explicit.code, explicit.all());
        assertTrue(explicit.err.contains(LOADED), explicit.all());
        assertTrue(explicit.err.contains("Backend build information"), explicit.all());
    }

    /**
     * A tiny compare with one child process ({@code --parallel 1}): quiet in parent and child without --verbose;
     * with it both load messages show, the child's proving that it inherited the choice.
     */
    @Test
    void compareAndItsChildProcessFollowVerbose() throws Exception {
        List<String> args = List.of(
                "compare",
                "--depth",
                "3",
                "--inits",
                "he",
                "--train-examples",
                "64",
                "--test-examples",
                "32",
                "--epochs",
                "1",
                "--width",
                "4",
                "--parallel",
                "1");
        List<String> quietArgs = new ArrayList<>(args);
        quietArgs.addAll(List.of("--out", tmp.resolve("quiet").toString()));
        Run quiet = java(Main.class, quietArgs.toArray(String[]::new));
        assertEquals(0, quiet.code, quiet.all());
        assertTrue(quiet.out.contains("backend CPU on"), "start-up summary stays: " + quiet.all());
        assertTrue(quiet.out.contains("[he relu d3 s1] done:"), "progress and results stay: " + quiet.all());
        assertTrue(quiet.out.contains("wrote "), "where the files went stays: " + quiet.all());
        assertFalse(LIBRARY_INFO.matcher(quiet.all()).find(), quiet.all());
        assertFalse(BANNER.matcher(quiet.all()).find(), quiet.all());
        assertFalse(quiet.all().contains("Starting MultiLayerNetwork"), quiet.all());

        List<String> verboseArgs = new ArrayList<>(args);
        verboseArgs.addAll(List.of("--out", tmp.resolve("verbose").toString(), "--verbose"));
        Run verbose = java(Main.class, verboseArgs.toArray(String[]::new));
        assertEquals(0, verbose.code, verbose.all());
        assertTrue(verbose.out.contains("[he relu d3 s1] done:"), verbose.all());
        assertEquals(2, count(verbose.err, LOADED), "parent and child each load the backend: " + verbose.all());
        assertEquals(2, count(verbose.err, "Backend build information"), verbose.all());
        assertTrue(verbose.err.contains("Starting MultiLayerNetwork"), "the child's training log: " + verbose.all());
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private Run java(Class<?> main, String... args) throws IOException, InterruptedException {
        return java(List.of(), main, args);
    }

    private Run java(List<String> jvmOptions, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Djava.awt.headless=true"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The program, then one INFO and one WARN line from a logger named like ND4J's, as its own process. */
    public static final class Probe {
        public static void main(String[] args) {
            int code = Main.run(args);
            LoggerFactory.getLogger("org.nd4j.probe").info("probe info");
            LoggerFactory.getLogger("org.nd4j.probe").warn("probe warning");
            System.exit(code);
        }
    }
}
