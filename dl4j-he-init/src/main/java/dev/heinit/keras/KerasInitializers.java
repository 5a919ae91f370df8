package dev.heinit.keras;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitIdentity;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import dev.heinit.FanMode;
import dev.heinit.OrthogonalInit;
import dev.heinit.Sampler;
import dev.heinit.VarianceScalingInit;

/**
 * Keras initializer configs → the {@link IWeightInit} that draws exactly what Keras draws.
 *
 * <table>
 *   <caption>Mapping (s = scale, n = the mode's fan; σ₀ the pre-truncation std; F = 0.87962566)</caption>
 *   <tr><th>Keras</th><th>init</th><th>std</th></tr>
 *   <tr><td>VarianceScaling(s, mode, "uniform")</td><td>VarianceScalingInit(s, mode, UNIFORM)</td><td>√(s/n), bound √(3s/n)</td></tr>
 *   <tr><td>VarianceScaling(s, mode, "truncated_normal"), "normal" (KERAS_2)</td><td>VarianceScalingInit(s, mode, TRUNCATED_NORMAL)</td><td>√(s/n), cut at 2σ₀ = 2√(s/n)/F</td></tr>
 *   <tr><td>VarianceScaling(s, mode, "normal") (KERAS_2_0)</td><td>VarianceScalingInit(F²s, mode, TRUNCATED_NORMAL)</td><td>F·√(s/n), cut at 2√(s/n)</td></tr>
 *   <tr><td>VarianceScaling(s, mode, "untruncated_normal")</td><td>VarianceScalingInit(s, mode, NORMAL)</td><td>√(s/n)</td></tr>
 *   <tr><td>he_normal / HeNormal, he_uniform / HeUniform</td><td>VarianceScaling(2, fan_in, normal / uniform)</td><td></td></tr>
 *   <tr><td>glorot_normal / GlorotNormal, glorot_uniform / GlorotUniform</td><td>VarianceScaling(1, fan_avg, …)</td><td></td></tr>
 *   <tr><td>lecun_normal / LecunNormal, lecun_uniform / LecunUniform</td><td>VarianceScaling(1, fan_in, …)</td><td></td></tr>
 *   <tr><td>Keras 1 he_normal, glorot_normal</td><td>untruncated: VarianceScalingInit(…, NORMAL)</td><td></td></tr>
 *   <tr><td>RandomNormal(mean, stddev) / Keras 1 normal</td><td>FixedStdInit(NORMAL, mean, stddev)</td><td>stddev (0.05)</td></tr>
 *   <tr><td>RandomUniform(minval, maxval) / Keras 1 uniform</td><td>FixedStdInit(UNIFORM, (a+b)/2, (b−a)/√12)</td><td>(±0.05)</td></tr>
 *   <tr><td>TruncatedNormal(mean, stddev)</td><td>FixedStdInit(TRUNCATED_NORMAL, mean, F·stddev)</td><td>F·stddev, cut at 2·stddev</td></tr>
 *   <tr><td>Orthogonal(gain)</td><td>OrthogonalInit(gain)</td><td>gain/√max(rows, cols)</td></tr>
 *   <tr><td>Identity(gain)</td><td>DL4J WeightInitIdentity(gain) (square 2D weights)</td><td></td></tr>
 *   <tr><td>Constant(value), Zeros, Ones</td><td>FixedStdInit(NORMAL, value, 0)</td><td>0</td></tr>
 * </table>
 * Numbers are read as any JSON number (Keras writes {@code "scale": 2} as well as {@code 2.0}). {@code seed} and
 * {@code dtype} are ignored (DL4J seeds from its own RNG). Anything else — an unknown name, an unknown key, a
 * non-numeric value, an unknown mode or distribution — is an {@link IllegalArgumentException} naming it and listing
 * what is supported; there is no silent fallback. The fans are the caller's: pass Keras's
 * ({@link dev.heinit.fan.FanConvention#KERAS}) to draw what Keras draws, as {@link KerasReinit#reinitialize} does.
 */
public final class KerasInitializers {

    /** Constant of Keras's truncation correction: std of N(0, 1) cut at ±2. */
    static final double F = Sampler.TRUNCATED_STD_FACTOR;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NAMES = "VarianceScaling, HeNormal/he_normal, HeUniform/he_uniform, GlorotNormal/"
            + "glorot_normal, GlorotUniform/glorot_uniform, LecunNormal/lecun_normal, LecunUniform/lecun_uniform, "
            + "RandomNormal/random_normal/normal, RandomUniform/random_uniform/uniform, TruncatedNormal/truncated_normal, "
            + "Orthogonal/orthogonal, Identity/identity, Constant/constant, Zeros/zeros/zero, Ones/ones/one";
    private static final Set<String> IGNORED_KEYS =
            Collections.unmodifiableSet(new TreeSet<>(Arrays.asList("seed", "dtype")));

    private KerasInitializers() {}

    /** {@link #of(String, KerasDialect)} with {@link KerasDialect#KERAS_2}. */
    public static IWeightInit of(String json) {
        return of(json, KerasDialect.KERAS_2);
    }

    /**
     * The init for a Keras initializer given as JSON: an object {@code {"class_name": …, "config": {…}}} (Keras 2,
     * tf.keras; Keras 3's extra {@code module} and {@code registered_name} keys are accepted), a JSON string
     * ({@code "he_normal"}) or a bare name ({@code he_normal}, as Keras 1 layer configs hold).
     *
     * @throws IllegalArgumentException if the text is not one of these or names an unsupported initializer
     */
    public static IWeightInit of(String json, KerasDialect dialect) {
        if (json == null || json.trim().isEmpty()) {
            throw new IllegalArgumentException("Keras initializer JSON must not be null or empty; supported: " + NAMES);
        }
        String t = json.trim();
        if (t.startsWith("{")) {
            return of(parse(t), dialect);
        }
        if (t.startsWith("\"")) {
            try {
                return ofName(MAPPER.readValue(t, String.class), Collections.emptyMap(), dialect);
            } catch (IOException e) {
                throw new IllegalArgumentException("not a JSON string: " + t, e);
            }
        }
        return ofName(t, Collections.emptyMap(), dialect);
    }

    /** {@link #of(Map, KerasDialect)} with {@link KerasDialect#KERAS_2}. */
    public static IWeightInit of(Map<String, Object> config) {
        return of(config, KerasDialect.KERAS_2);
    }

    /**
     * The init for a parsed Keras initializer object with keys {@code class_name} and {@code config}.
     *
     * @throws IllegalArgumentException if the map has no class name, a config that is not an object, or names an
     *                                  unsupported initializer
     */
    public static IWeightInit of(Map<String, Object> config, KerasDialect dialect) {
        if (config == null) {
            throw new IllegalArgumentException("Keras initializer config must not be null; supported: " + NAMES);
        }
        Object name = config.get("class_name");
        if (!(name instanceof String)) {
            throw new IllegalArgumentException(
                    "Keras initializer config has no string 'class_name': " + config + "; supported: " + NAMES);
        }
        Object inner = config.get("config");
        if (inner != null && !(inner instanceof Map)) {
            throw new IllegalArgumentException(
                    "'config' of Keras initializer " + name + " must be an object, got " + inner);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> c = inner == null ? Collections.emptyMap() : (Map<String, Object>) inner;
        return ofName((String) name, c, dialect);
    }

    /** A short form of a Keras initializer config, for reports: {@code VarianceScaling(scale=2, mode=fan_in, …)}. */
    public static String describe(Object initializer) {
        if (initializer instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) initializer;
            StringBuilder b = new StringBuilder(String.valueOf(m.get("class_name")));
            Object c = m.get("config");
            if (c instanceof Map) {
                StringBuilder args = new StringBuilder();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) c).entrySet()) {
                    if (!IGNORED_KEYS.contains(String.valueOf(e.getKey()))) {
                        args.append(args.length() == 0 ? "" : ", ")
                                .append(e.getKey())
                                .append('=')
                                .append(e.getValue());
                    }
                }
                b.append('(').append(args).append(')');
            }
            return b.toString();
        }
        return String.valueOf(initializer);
    }

    static Map<String, Object> parse(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not valid JSON (" + e.getMessage() + "): "
                            + (json.length() > 200 ? json.substring(0, 200) + "…" : json),
                    e);
        }
    }

    private static IWeightInit ofName(String name, Map<String, Object> c, KerasDialect dialect) {
        if (dialect == null) {
            throw new IllegalArgumentException(
                    "dialect must be one of " + Arrays.toString(KerasDialect.values()) + ", got null");
        }
        String key = name.replace("_", "").toLowerCase(Locale.ROOT);
        boolean k1 = dialect == KerasDialect.KERAS_1;
        switch (key) {
            case "variancescaling":
                allow(name, c, "scale", "mode", "distribution");
                return varianceScaling(
                        name,
                        number(name, c, "scale", 1.0),
                        mode(name, c),
                        string(name, c, "distribution", "normal"),
                        dialect);
            case "henormal":
                allow(name, c);
                return varianceScaling(name, 2, FanMode.FAN_IN, k1 ? "untruncated_normal" : "normal", dialect);
            case "heuniform":
                allow(name, c);
                return varianceScaling(name, 2, FanMode.FAN_IN, "uniform", dialect);
            case "glorotnormal":
            case "xaviernormal":
                allow(name, c);
                return varianceScaling(name, 1, FanMode.FAN_AVG, k1 ? "untruncated_normal" : "normal", dialect);
            case "glorotuniform":
            case "xavieruniform":
                allow(name, c);
                return varianceScaling(name, 1, FanMode.FAN_AVG, "uniform", dialect);
            case "lecunnormal":
                allow(name, c);
                return varianceScaling(name, 1, FanMode.FAN_IN, k1 ? "untruncated_normal" : "normal", dialect);
            case "lecununiform":
                allow(name, c);
                return varianceScaling(name, 1, FanMode.FAN_IN, "uniform", dialect);
            case "randomnormal":
            case "normal":
                allow(name, c, "mean", "stddev");
                return new FixedStdInit(Sampler.NORMAL, number(name, c, "mean", 0.0), stddev(name, c));
            case "randomuniform":
            case "uniform": {
                allow(name, c, "minval", "maxval");
                double lo = number(name, c, "minval", -0.05);
                double hi = number(name, c, "maxval", 0.05);
                if (!(hi >= lo)) {
                    throw new IllegalArgumentException(
                            name + ": maxval must be >= minval, got minval " + lo + ", maxval " + hi);
                }
                return new FixedStdInit(Sampler.UNIFORM, (lo + hi) / 2, (hi - lo) / Math.sqrt(12.0));
            }
            case "truncatednormal":
                allow(name, c, "mean", "stddev");
                return new FixedStdInit(Sampler.TRUNCATED_NORMAL, number(name, c, "mean", 0.0), F * stddev(name, c));
            case "orthogonal": {
                allow(name, c, "gain", "scale");
                double gain = number(name, c, c.containsKey("scale") ? "scale" : "gain", k1 ? 1.1 : 1.0);
                return new OrthogonalInit(gain);
            }
            case "identity": {
                allow(name, c, "gain", "scale");
                double gain = number(name, c, c.containsKey("scale") ? "scale" : "gain", 1.0);
                return new WeightInitIdentity(gain);
            }
            case "constant":
                allow(name, c, "value");
                return new FixedStdInit(Sampler.NORMAL, number(name, c, "value", 0.0), 0);
            case "zeros":
            case "zero":
                allow(name, c);
                return new FixedStdInit(Sampler.NORMAL, 0.0, 0);
            case "ones":
            case "one":
                allow(name, c);
                return new FixedStdInit(Sampler.NORMAL, 1.0, 0);
            default:
                throw new IllegalArgumentException("unsupported Keras initializer '" + name + "'; supported: " + NAMES);
        }
    }

    private static IWeightInit varianceScaling(
            String name, double scale, FanMode mode, String distribution, KerasDialect dialect) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException(name + ": scale must be > 0 and finite, got " + scale);
        }
        switch (distribution.toLowerCase(Locale.ROOT)) {
            case "uniform":
                return new VarianceScalingInit(scale, mode, Sampler.UNIFORM);
            case "untruncated_normal":
                return new VarianceScalingInit(scale, mode, Sampler.NORMAL);
            case "truncated_normal":
                return new VarianceScalingInit(scale, mode, Sampler.TRUNCATED_NORMAL);
            case "normal":
                // Keras 2.0/2.1 cut N(0, scale/n) at 2σ without correcting the variance: std F·√(scale/n)
                return new VarianceScalingInit(
                        dialect == KerasDialect.KERAS_2_0 ? F * F * scale : scale,
                        mode,
                        dialect == KerasDialect.KERAS_1 ? Sampler.NORMAL : Sampler.TRUNCATED_NORMAL);
            default:
                throw new IllegalArgumentException(name + ": unsupported distribution '" + distribution
                        + "'; supported: normal, truncated_normal, untruncated_normal, uniform");
        }
    }

    private static FanMode mode(String name, Map<String, Object> c) {
        String m = string(name, c, "mode", "fan_in");
        switch (m.toLowerCase(Locale.ROOT)) {
            case "fan_in":
                return FanMode.FAN_IN;
            case "fan_out":
                return FanMode.FAN_OUT;
            case "fan_avg":
                return FanMode.FAN_AVG;
            default:
                throw new IllegalArgumentException(
                        name + ": unsupported mode '" + m + "'; supported: fan_in, fan_out, fan_avg");
        }
    }

    private static double stddev(String name, Map<String, Object> c) {
        double s = number(name, c, "stddev", 0.05);
        if (!(s >= 0)) {
            throw new IllegalArgumentException(name + ": stddev must be >= 0, got " + s);
        }
        return s;
    }

    private static void allow(String name, Map<String, Object> c, String... keys) {
        List<String> allowed = Arrays.asList(keys);
        for (String k : c.keySet()) {
            if (!allowed.contains(k) && !IGNORED_KEYS.contains(k)) {
                throw new IllegalArgumentException("Keras initializer " + name + ": unknown config key '" + k
                        + "'; its keys: " + (allowed.isEmpty() ? "none" : String.join(", ", allowed))
                        + " (seed and dtype are ignored)");
            }
        }
    }

    static double number(String name, Map<String, ?> c, String key, double def) {
        Object v = c.get(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("Keras initializer " + name + ": '" + key + "' must be a number, got "
                    + v + " (" + v.getClass().getSimpleName() + ")");
        }
        double d = ((Number) v).doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(
                    "Keras initializer " + name + ": '" + key + "' must be finite, got " + d);
        }
        return d;
    }

    private static String string(String name, Map<String, Object> c, String key, String def) {
        Object v = c.get(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof String)) {
            throw new IllegalArgumentException(
                    "Keras initializer " + name + ": '" + key + "' must be a string, got " + v);
        }
        return (String) v;
    }
}
