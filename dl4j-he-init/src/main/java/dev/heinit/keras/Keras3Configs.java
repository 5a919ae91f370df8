package dev.heinit.keras;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The value-level half of {@link Keras3Json}: Keras 3's serialized objects inside a layer config put into the form
 * Keras 2 wrote. Initializers get Keras 3's defaults written out and their numbers as floating point (DL4J's import
 * casts them to {@code double}); regularizers {@code L1} and {@code L2} become Keras 2's {@code L1L2}; dtype policies
 * become their name; {@code __tuple__} becomes a list.
 */
final class Keras3Configs {

    /**
     * Keras 3 initializers and the config Keras 3 fills in when a key is absent (keras/src/initializers,
     * Keras 3.15.1): {@code VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal")},
     * {@code RandomNormal/TruncatedNormal(mean=0.0, stddev=0.05)}, {@code RandomUniform(minval=-0.05,
     * maxval=0.05)}, {@code Constant(value=0.0)}, {@code Orthogonal(gain=1.0)}, {@code Identity(gain=1.0)}; the
     * named VarianceScaling variants (HeNormal, GlorotUniform, …) take no parameter but the seed.
     */
    static final Map<String, Map<String, Object>> INITIALIZER_DEFAULTS;

    /** Keras 3's compatibility names for two initializers (keras/src/initializers/__init__.py). */
    private static final Map<String, String> ALIASES = Map.of(
            "IdentityInitializer", "Identity",
            "OrthogonalInitializer", "Orthogonal");

    /** Initializer names of Keras 2 and tf.keras (left as they are; DL4J reads them). */
    private static final List<String> KERAS2_NAMES = Arrays.asList(
            "glorot_uniform",
            "glorot_normal",
            "he_normal",
            "he_uniform",
            "lecun_normal",
            "lecun_uniform",
            "zeros",
            "zero",
            "ones",
            "one",
            "constant",
            "random_normal",
            "random_uniform",
            "truncated_normal",
            "normal",
            "uniform",
            "orthogonal",
            "identity");

    static {
        Map<String, Map<String, Object>> d = new LinkedHashMap<>();
        Map<String, Object> vs = new LinkedHashMap<>();
        vs.put("scale", 1.0);
        vs.put("mode", "fan_in");
        vs.put("distribution", "truncated_normal");
        d.put("VarianceScaling", vs);
        for (String n : Arrays.asList(
                "HeNormal",
                "HeUniform",
                "GlorotNormal",
                "GlorotUniform",
                "LecunNormal",
                "LecunUniform",
                "Zeros",
                "Ones")) {
            d.put(n, Collections.emptyMap());
        }
        d.put("RandomNormal", ordered("mean", 0.0, "stddev", 0.05));
        d.put("TruncatedNormal", ordered("mean", 0.0, "stddev", 0.05));
        d.put("RandomUniform", ordered("minval", -0.05, "maxval", 0.05));
        d.put("Constant", ordered("value", 0.0));
        d.put("Orthogonal", ordered("gain", 1.0));
        d.put("Identity", ordered("gain", 1.0));
        INITIALIZER_DEFAULTS = Collections.unmodifiableMap(d);
    }

    private Keras3Configs() {}

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * A Keras 3 (or Keras 2) initializer value of {@code layer}'s config key {@code key}, in Keras 2's form.
     *
     * @throws KerasTranslationException for an initializer with no Keras 2 form (STFT, custom classes, fans over
     *                                   chosen axes, a non-scalar Constant)
     */
    static JsonNode initializer(String layer, String key, JsonNode init, boolean keras3) {
        if (!init.isObject()) {
            return init; // Keras 1 and 2 name strings, null
        }
        ObjectNode o = strip((ObjectNode) init);
        String cls = o.path("class_name").asText(null);
        if (cls == null) {
            throw new KerasTranslationException(layer, key + " " + o, "an initializer object needs a class_name");
        }
        cls = ALIASES.getOrDefault(cls, cls);
        o.put("class_name", cls);
        JsonNode c = o.get("config");
        ObjectNode config = c instanceof ObjectNode ? (ObjectNode) c : o.putObject("config");
        for (String axes : Arrays.asList("input_axes", "output_axes")) {
            if (config.has(axes) && !config.get(axes).isNull()) {
                throw new KerasTranslationException(
                        layer,
                        key + " " + cls + "(" + axes + "=" + config.get(axes) + ")",
                        "fans over chosen axes (EinsumDense) have no DL4J layer; only the default fans are supported");
            }
            config.remove(axes);
        }
        Map<String, Object> defaults = INITIALIZER_DEFAULTS.get(cls);
        if (defaults == null) {
            if (keras3 && !KERAS2_NAMES.contains(cls)) {
                throw new KerasTranslationException(
                        layer,
                        key + " " + cls,
                        "not a Keras initializer DL4J can import; supported: "
                                + String.join(", ", INITIALIZER_DEFAULTS.keySet()));
            }
            return o;
        }
        if (keras3) {
            for (Map.Entry<String, Object> e : defaults.entrySet()) {
                if (!config.has(e.getKey()) || config.get(e.getKey()).isNull()) {
                    if (e.getValue() instanceof Double) {
                        config.put(e.getKey(), (Double) e.getValue());
                    } else {
                        config.put(e.getKey(), String.valueOf(e.getValue()));
                    }
                }
            }
            if ("VarianceScaling".equals(cls)
                    && "normal".equalsIgnoreCase(config.path("distribution").asText())) {
                // Keras 3 reads "normal" as "truncated_normal" (with the variance correction)
                config.put("distribution", "truncated_normal");
            }
        }
        for (String k : defaults.keySet()) {
            JsonNode v = config.get(k);
            if (v != null && v.isNumber()) {
                config.put(k, v.doubleValue());
            } else if (v != null && defaults.get(k) instanceof Double) {
                throw new KerasTranslationException(
                        layer, key + " " + cls + "(" + k + "=" + v + ")", "'" + k + "' must be a number");
            }
        }
        return o;
    }

    /** Keras 3's {@code L1} and {@code L2} regularizers as Keras 2's {@code L1L2} (which DL4J reads); numbers as double. */
    static JsonNode regularizer(JsonNode reg) {
        if (!reg.isObject()) {
            return reg;
        }
        ObjectNode o = strip((ObjectNode) reg);
        String cls = o.path("class_name").asText("");
        JsonNode c = o.get("config");
        if (!(c instanceof ObjectNode) || !Arrays.asList("L1", "L2", "L1L2").contains(cls)) {
            return o;
        }
        ObjectNode config = (ObjectNode) c;
        double l1 = config.path("l1").asDouble(0.0);
        double l2 = config.path("l2").asDouble(0.0);
        o.put("class_name", "L1L2");
        config.removeAll();
        config.put("l1", l1);
        config.put("l2", l2);
        return o;
    }

    /**
     * Every value under {@code node}, recursively: Keras 3's {@code module}/{@code registered_name} wrapper keys
     * removed, dtype policies as their name, {@code __tuple__} as a list.
     *
     * @throws KerasTranslationException for another Keras 3 special object ({@code __numpy__}, {@code __bytes__},
     *                                   {@code __keras_tensor__} outside the graph's nodes, …)
     */
    static JsonNode value(String layer, String key, JsonNode node) {
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, value(layer, key, a.get(i)));
            }
            return a;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode o = strip((ObjectNode) node);
        String cls = o.path("class_name").asText("");
        if (cls.endsWith("DTypePolicy") && o.path("config").has("name")) {
            return o.path("config").get("name");
        }
        if ("__tuple__".equals(cls)) {
            return value(layer, key, o.path("config").path("value"));
        }
        if (cls.startsWith("__") && cls.endsWith("__")) {
            throw new KerasTranslationException(
                    layer,
                    key + " (" + cls + ")",
                    "Keras 3 serialized a Python object here that Keras 2 configs"
                            + " never hold; supported: numbers, strings, lists, tuples, dtype policies");
        }
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            o.set(k, value(layer, key, o.get(k)));
        }
        return o;
    }

    /**
     * Removes Keras 3's serialization keys {@code module}, {@code registered_name}, {@code build_config} and
     * {@code shared_object_id} (which {@code model.save} adds to objects used more than once; each use still holds
     * the whole config).
     */
    static ObjectNode strip(ObjectNode o) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equals("module")
                    || k.equals("registered_name")
                    || k.equals("build_config")
                    || k.equals("shared_object_id")) {
                it.remove();
            }
        }
        return o;
    }
}
