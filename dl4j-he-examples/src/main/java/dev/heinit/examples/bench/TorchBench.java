package dev.heinit.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The PyTorch side of {@code bench --vs-pytorch}: finds a Python interpreter that can import {@code torch} and
 * times the same plain CNN there with the bundled script {@value #SCRIPT}, one thread ({@code OMP_NUM_THREADS=1}
 * and {@code torch.set_num_threads(1)}), under the protocol of the DL4J worker (fixed random batches, warm-up,
 * then training steps for a given time). PyTorch is never a build dependency; without it the caller exits 2 with
 * {@link #HOW_TO_GET}.
 *
 * <p>CPU-seconds per epoch = process CPU time of the timed steps / examples × epoch size, as for DL4J.
 */
public final class TorchBench {

    /** Class-path resource of the timing script. */
    public static final String SCRIPT = "/bench/torch_bench.py";

    /** What to tell a user who has no Python with torch. */
    public static final String HOW_TO_GET = "bench --vs-pytorch needs a python3 that can 'import torch' (looked for "
            + "/usr/bin/python3 and python3 on PATH; name one with --python). Debian/Ubuntu: "
            + "sudo apt-get install python3-torch (then use /usr/bin/python3); elsewhere: "
            + "python3 -m pip install torch --index-url https://download.pytorch.org/whl/cpu";

    private TorchBench() {}

    /** One timed PyTorch run: examples trained, wall, process CPU and main-thread CPU seconds, torch version. */
    public record Result(
            long examples, double wallSeconds, double cpuSeconds, double threadCpuSeconds, String version) {
        /** Process CPU-seconds per {@code epoch} examples. */
        public double cpuSecondsPerEpoch(int epoch) {
            return cpuSeconds / examples * epoch;
        }

        /** Main-thread CPU-seconds per {@code epoch} examples. */
        public double threadCpuSecondsPerEpoch(int epoch) {
            return threadCpuSeconds / examples * epoch;
        }
    }

    /**
     * The interpreter to use: {@code explicit} if given (and it imports torch), else the first of
     * {@code /usr/bin/python3} and {@code python3} on PATH that imports torch.
     */
    public static Optional<String> findPython(String explicit) {
        Set<String> candidates = new LinkedHashSet<>();
        if (explicit != null) {
            candidates.add(explicit);
        } else {
            candidates.add("/usr/bin/python3");
            String path = System.getenv("PATH");
            if (path != null) {
                for (String dir : path.split(java.io.File.pathSeparator)) {
                    Path p = Path.of(dir, "python3");
                    if (Files.isExecutable(p)) {
                        candidates.add(p.toString());
                    }
                }
            }
        }
        return candidates.stream().filter(TorchBench::importsTorch).findFirst();
    }

    private static boolean importsTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Trains {@code net} in PyTorch for at least {@code seconds} after {@code warmup} seconds of untimed steps.
     *
     * @param lr the learning rate the DL4J worker uses, so both sides do the same arithmetic
     */
    public static Result run(String python, BenchNet net, int batch, double warmup, double seconds, double lr)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("dl4j-he-torch-bench", ".py");
        try {
            try (InputStream in = TorchBench.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException("resource " + SCRIPT + " missing from the examples jar");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> cmd = new ArrayList<>(List.of(
                    python,
                    script.toString(),
                    Integer.toString(net.depth),
                    Integer.toString(net.width),
                    net.down.stream().map(String::valueOf).collect(Collectors.joining(",")),
                    Integer.toString(batch),
                    Double.toString(warmup),
                    Double.toString(seconds),
                    Double.toString(lr)));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("OMP_NUM_THREADS", "1");
            pb.environment().put("MKL_NUM_THREADS", "1");
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            Result r = null;
            try (BufferedReader rd =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = rd.readLine()) != null) {
                    if (line.startsWith("@@BENCH ")) {
                        String[] f = line.substring(8).split(" ");
                        r = new Result(
                                Long.parseLong(f[0]),
                                Double.parseDouble(f[1]),
                                Double.parseDouble(f[2]),
                                Double.parseDouble(f[3]),
                                f[5]);
                    }
                }
            }
            int code = p.waitFor();
            if (code != 0 || r == null) {
                throw new IOException("PyTorch benchmark (" + python + ") failed with exit code " + code);
            }
            return r;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
