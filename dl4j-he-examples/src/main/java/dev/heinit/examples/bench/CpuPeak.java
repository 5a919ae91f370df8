package dev.heinit.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Estimate of the CPU's fp32 peak: cores × clock × FLOPs per cycle per core, with FLOPs per cycle from the widest
 * vector FMA the CPU reports (/proc/cpuinfo flags) and two FMA units per core (Intel since Haswell, AMD since Zen 2):
 * AVX-512 2·16·2 = 64, AVX2+FMA 2·8·2 = 32, AVX 8+8 = 16 (separate add and multiply), SSE 4+4 = 8.
 * Virtual machines may report a base clock below turbo, or have one FMA unit (then the true peak is half).
 */
public record CpuPeak(int cores, double ghz, int flopsPerCycle, String model, String isa) {

    /** Reads /proc/cpuinfo (Linux); elsewhere assumes AVX2 at 2.5 GHz and says so. */
    public static CpuPeak estimate() {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = value(lines, "model name", "unknown CPU");
            double mhz = Double.parseDouble(value(lines, "cpu MHz", "2500"));
            String flags = " " + value(lines, "flags", "") + " ";
            if (flags.contains(" avx512f ")) {
                return new CpuPeak(cores, mhz / 1000, 64, model, "AVX-512 (2 FMA units x 16 lanes x 2)");
            }
            if (flags.contains(" avx2 ") && flags.contains(" fma ")) {
                return new CpuPeak(cores, mhz / 1000, 32, model, "AVX2+FMA (2 FMA units x 8 lanes x 2)");
            }
            if (flags.contains(" avx ")) {
                return new CpuPeak(cores, mhz / 1000, 16, model, "AVX (8-lane add + 8-lane multiply)");
            }
            return new CpuPeak(cores, mhz / 1000, 8, model, "SSE (4-lane add + 4-lane multiply)");
        } catch (IOException | RuntimeException e) {
            return new CpuPeak(
                    cores, 2.5, 32, System.getProperty("os.arch"), "assumed AVX2+FMA at 2.5 GHz (no /proc/cpuinfo)");
        }
    }

    private static String value(List<String> lines, String key, String dflt) {
        for (String l : lines) {
            if (l.startsWith(key)) {
                int c = l.indexOf(':');
                return c < 0 ? dflt : l.substring(c + 1).trim();
            }
        }
        return dflt;
    }

    /** Peak GFLOP/s of one core. */
    public double perCoreGflops() {
        return ghz * flopsPerCycle;
    }

    /** Peak GFLOP/s of all cores. */
    public double totalGflops() {
        return cores * perCoreGflops();
    }

    /** How the estimate was made. */
    public String derivation() {
        return String.format(
                Locale.ROOT,
                "%s: %d cores x %.2f GHz x %d fp32 FLOP/cycle [%s] = %.0f GFLOP/s " + "(%.1f per core)",
                model,
                cores,
                ghz,
                flopsPerCycle,
                isa,
                totalGflops(),
                perCoreGflops());
    }
}
