package dev.heinit.keras;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers of a Keras model JSON ({@code model.to_json()}, or an .h5 file's {@code model_config}), by name:
 * Sequential (Keras 1 list form and Keras 2 {@code {"layers": […]}} form), functional Model/Functional, nested
 * models, and the wrappers Bidirectional and TimeDistributed (whose inner layer's config is kept under the
 * wrapper's name, as DL4J's import names it). Without a {@code keras_version} (old .h5 files), a model whose
 * layers use Keras 1's {@code init}/{@code inner_init} keys is read as {@link KerasDialect#KERAS_1}.
 */
final class KerasModel {

    /** Config keys that hold a weight initializer. */
    static final List<String> WEIGHT_KEYS = Collections.unmodifiableList(Arrays.asList(
            "kernel_initializer",
            "recurrent_initializer",
            "depthwise_initializer",
            "pointwise_initializer",
            "embeddings_initializer",
            "init",
            "inner_init"));

    private static final List<String> MODELS = Arrays.asList("Sequential", "Model", "Functional");
    private static final List<String> WRAPPERS = Arrays.asList("Bidirectional", "TimeDistributed");

    /** One named layer: its Keras class (wrapper(inner) for wrappers) and config (the inner one for wrappers). */
    static final class KerasLayer {
        final String className;
        final Map<String, Object> config;

        KerasLayer(String className, Map<String, Object> config) {
            this.className = className;
            this.config = config;
        }

        boolean hasWeightInitializer() {
            for (String k : WEIGHT_KEYS) {
                if (config.get(k) != null) {
                    return true;
                }
            }
            return false;
        }
    }

    final Map<String, KerasLayer> layers = new LinkedHashMap<>();
    KerasDialect dialect;

    private KerasModel() {}

    /**
     * @param dialect null to read it from {@code keras_version} (absent: KERAS_1 if the layers use Keras 1 keys,
     *                else {@link KerasDialect#KERAS_2})
     * @throws IllegalArgumentException if the JSON is not a Keras model
     */
    static KerasModel parse(String json, KerasDialect dialect) {
        if (json == null || json.trim().isEmpty()) {
            throw new IllegalArgumentException("Keras model JSON must not be null or empty");
        }
        Map<String, Object> root = KerasInitializers.parse(Keras3Json.toKeras2(json));
        Object cls = root.get("class_name");
        if (!(cls instanceof String) || !MODELS.contains(cls)) {
            throw new IllegalArgumentException(
                    "not a Keras model JSON: top-level class_name is " + cls + ", expected one of " + MODELS);
        }
        KerasModel m = new KerasModel();
        m.model(root);
        Object v = root.get("keras_version");
        if (dialect != null) {
            m.dialect = dialect;
        } else if (v != null) {
            m.dialect = KerasDialect.forVersion(String.valueOf(v));
        } else {
            // old .h5 files carry no keras_version: Keras 1 layers name their initializers init / inner_init
            boolean keras1 = m.layers.values().stream()
                    .anyMatch(l -> l.config.containsKey("init") || l.config.containsKey("inner_init"));
            m.dialect = keras1 ? KerasDialect.KERAS_1 : KerasDialect.KERAS_2;
        }
        return m;
    }

    private void model(Map<String, Object> model) {
        Object config = model.get("config");
        Object list = config instanceof Map ? ((Map<?, ?>) config).get("layers") : config;
        if (!(list instanceof List)) {
            throw new IllegalArgumentException(
                    "Keras model '" + model.get("class_name") + "' has no layer list in its" + " config");
        }
        for (Object o : (List<?>) list) {
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException("Keras layer entry is not an object: " + o);
            }
            layer(map(o));
        }
    }

    private void layer(Map<String, Object> layer) {
        Object cls = layer.get("class_name");
        Map<String, Object> config = map(layer.get("config"));
        if (MODELS.contains(cls)) {
            model(layer);
            return;
        }
        Object name = config.get("name") != null ? config.get("name") : layer.get("name");
        if (name == null) {
            return;
        }
        String className = String.valueOf(cls);
        if (WRAPPERS.contains(cls) && config.get("layer") instanceof Map) {
            Map<String, Object> inner = map(config.get("layer"));
            className = cls + "(" + inner.get("class_name") + ")";
            config = map(inner.get("config"));
        }
        layers.put(String.valueOf(name), new KerasLayer(className, config));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Collections.emptyMap();
    }
}
