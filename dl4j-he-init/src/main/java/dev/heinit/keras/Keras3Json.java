package dev.heinit.keras;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.JsonNodeFactory;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Keras 3 model JSON ({@code model.to_json()}, or {@code config.json} of a {@code .keras} file) → the Keras 2 form
 * that DL4J 1.0.0-M2.1's {@code KerasModelImport} reads; a pure function of the text. Keras 2 and tf.keras JSON
 * comes back with the same meaning (only Keras 3's wrapper keys, which tf.keras ≥ 2.13 also writes, are removed).
 *
 * <table>
 *   <caption>What is translated (Keras 3 → Keras 2)</caption>
 *   <tr><th>Keras 3</th><th>Keras 2 form</th></tr>
 *   <tr><td>no {@code keras_version}, no {@code backend}</td><td>{@code "keras_version": "2.15.0"} (Keras 2's
 *       meaning of every initializer is Keras 3's), {@code "backend": "tensorflow"} (channels-last defaults);
 *       the original in {@code "translated_from"}</td></tr>
 *   <tr><td>{@code {"module", "class_name", "config", "registered_name"}}, {@code build_config},
 *       {@code compile_config}</td><td>{@code {"class_name", "config"}}</td></tr>
 *   <tr><td>dtype policy {@code {"class_name": "DTypePolicy", "config": {"name": "float32"}}}</td>
 *       <td>{@code "float32"}</td></tr>
 *   <tr><td>{@code InputLayer} {@code batch_shape}</td><td>{@code batch_input_shape}</td></tr>
 *   <tr><td>inbound node {@code {"args": [keras tensors…], "kwargs": {…}}}, tensor
 *       {@code {"class_name": "__keras_tensor__", "config": {"keras_history": [layer, node, index]}}}</td>
 *       <td>{@code [[layer, node, index, kwargs], …]}</td></tr>
 *   <tr><td>{@code input_layers}/{@code output_layers} {@code [name, 0, 0]} (one tensor) or a dict</td>
 *       <td>{@code [[name, 0, 0]]}, the dict's values in order</td></tr>
 *   <tr><td>initializer without a key (e.g. {@code RandomNormal} with no {@code stddev}); integer numbers;
 *       {@code IdentityInitializer}, {@code OrthogonalInitializer}; {@code input_axes}/{@code output_axes} null</td>
 *       <td>Keras 3's default written out (stddev 0.05, VarianceScaling {@code scale=1, fan_in,
 *       truncated_normal}, …); doubles; {@code Identity}, {@code Orthogonal}; removed</td></tr>
 *   <tr><td>regularizers {@code L1(l1)}, {@code L2(l2)}</td><td>{@code L1L2(l1, l2)}</td></tr>
 *   <tr><td>{@code LeakyReLU(negative_slope)}</td><td>{@code LeakyReLU(alpha)}</td></tr>
 *   <tr><td>{@code Embedding} without {@code input_length}</td><td>{@code input_length} from its build input shape
 *       {@code [batch, length]} (null if unknown)</td></tr>
 *   <tr><td>Sequential without an InputLayer</td><td>{@code batch_input_shape} of the first layer from the
 *       model's {@code build_input_shape}</td></tr>
 * </table>
 * What has no Keras 2 form is a {@link KerasTranslationException} naming the layer and the construct: an initializer
 * DL4J cannot import (STFT, a custom class), fans over chosen axes, a non-tensor positional call argument, a tensor
 * passed as a keyword argument (e.g. {@code mask=}), LoRA or quantized layers, Python objects ({@code __numpy__},
 * {@code __bytes__}). Layers DL4J does not know (GRU, custom classes) are left for DL4J to refuse by name.
 *
 * <p>Reference: Keras 3 {@code keras/src/saving/serialization_lib.py}, {@code keras/src/models/functional.py}
 * ({@code serialize_node}), {@code keras/src/initializers} (3.15.1).
 */
public final class Keras3Json {

    /** The {@code keras_version} written into translated JSON: a Keras 2 version DL4J reads as major version 2. */
    public static final String KERAS2_VERSION = "2.15.0";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MODEL = "(model)";

    private Keras3Json() {}

    /** A translated model JSON and what was changed. */
    public static final class Translation {
        private final String json;
        private final boolean keras3;
        private final List<String> notes;

        Translation(String json, boolean keras3, List<String> notes) {
            this.json = json;
            this.keras3 = keras3;
            this.notes = Collections.unmodifiableList(new ArrayList<>(notes));
        }

        /** The JSON in Keras 2's form (the input text itself when nothing needed translating). */
        public String json() {
            return json;
        }

        /** Whether the input was written by Keras 3. */
        public boolean keras3() {
            return keras3;
        }

        /** Values that were not in the input but inferred (e.g. an Embedding's input_length). */
        public List<String> notes() {
            return notes;
        }
    }

    /**
     * Whether {@code json} was written by Keras 3: a {@code keras_version} 3.x, Keras 3's {@code batch_shape}, or
     * Keras 3's serialized tensors or wrapper keys at the top level without a {@code keras_version}.
     *
     * @throws IllegalArgumentException if the text is not a JSON object
     */
    public static boolean isKeras3(String json) {
        return isKeras3(parse(json));
    }

    /** {@link #translate(String)}'s JSON. */
    public static String toKeras2(String json) {
        return translate(json).json();
    }

    /**
     * The model in Keras 2's form.
     *
     * @throws IllegalArgumentException  if the text is not a JSON object with a {@code class_name}
     * @throws KerasTranslationException if a Keras 3 construct has no Keras 2 form (the message names the layer)
     */
    public static Translation translate(String json) {
        return translate(json, null);
    }

    /**
     * As {@link #translate(String)} for a config whose Keras version is known from elsewhere (a {@code .keras}
     * file's {@code metadata.json}); null if unknown.
     */
    public static Translation translate(String json, String kerasVersion) {
        ObjectNode root = parse(json);
        boolean keras3 = isKeras3(root) || (kerasVersion != null && kerasVersion.startsWith("3"));
        if (!keras3 && !json.contains("\"registered_name\"") && !json.contains("\"module\"")) {
            return new Translation(json, false, Collections.emptyList());
        }
        List<String> notes = new ArrayList<>();
        String version = root.path("keras_version").asText(kerasVersion == null ? "" : kerasVersion);
        model(root, keras3, notes);
        if (keras3) {
            root.put("translated_from", "Keras " + (version.isEmpty() ? "3" : version));
            root.put("keras_version", KERAS2_VERSION);
            if (!root.has("backend")) {
                root.put("backend", "tensorflow");
            }
        }
        try {
            return new Translation(MAPPER.writeValueAsString(root), keras3, notes);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the translated Keras JSON", e);
        }
    }

    static boolean isKeras3(ObjectNode root) {
        String version = root.path("keras_version").asText("");
        if (!version.isEmpty()) {
            return version.startsWith("3");
        }
        String text = root.toString();
        return root.has("module")
                || root.has("registered_name")
                || text.contains("\"batch_shape\"")
                || text.contains("\"__keras_tensor__\"");
    }

    private static ObjectNode parse(String json) {
        if (json == null || json.trim().isEmpty()) {
            throw new IllegalArgumentException("Keras model JSON must not be null or empty");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
        if (!(n instanceof ObjectNode) || !n.path("class_name").isTextual()) {
            throw new IllegalArgumentException("not a Keras model JSON: no top-level class_name");
        }
        return (ObjectNode) n;
    }

    private static void model(ObjectNode model, boolean keras3, List<String> notes) {
        Keras3Configs.strip(model);
        model.remove("compile_config");
        String cls = model.path("class_name").asText();
        JsonNode config = model.get("config");
        JsonNode layers = config != null && config.isArray() ? config : config == null ? null : config.get("layers");
        if (!(layers instanceof ArrayNode)) {
            throw new KerasTranslationException(
                    MODEL, cls, "the model has no layer list (a subclassed Keras model has no layer graph in JSON)");
        }
        for (JsonNode l : layers) {
            if (l instanceof ObjectNode) {
                layer((ObjectNode) l, keras3, notes);
            }
        }
        if (config instanceof ObjectNode) {
            ObjectNode c = (ObjectNode) config;
            if (c.has("dtype")) {
                c.set("dtype", Keras3Configs.value(MODEL, "dtype", c.get("dtype")));
            }
            for (String k : new String[] {"input_layers", "output_layers"}) {
                if (c.has(k)) {
                    c.set(k, endpoints(c.get(k)));
                }
            }
            if ("Sequential".equals(cls) && layers.size() > 0 && c.has("build_input_shape")) {
                ObjectNode first = (ObjectNode) layers.get(0).path("config");
                if (!"InputLayer".equals(layers.get(0).path("class_name").asText())
                        && !first.has("batch_input_shape")) {
                    first.set("batch_input_shape", c.get("build_input_shape"));
                    notes.add("layer '" + first.path("name").asText() + "': batch_input_shape "
                            + c.get("build_input_shape") + " from the Sequential model's build_input_shape");
                }
            }
        }
    }

    /** Keras 3 writes one endpoint as {@code [name, 0, 0]} and dict inputs as a dict: Keras 2 has a list of them. */
    private static JsonNode endpoints(JsonNode e) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (e.isObject()) {
            e.elements().forEachRemaining(v -> out.addAll((ArrayNode) endpoints(v)));
            return out;
        }
        if (e.isArray() && e.size() > 0 && e.get(0).isTextual()) {
            out.add(e);
            return out;
        }
        return e;
    }

    private static void layer(ObjectNode layer, boolean keras3, List<String> notes) {
        String cls = layer.path("class_name").asText();
        String name =
                layer.path("config").path("name").asText(layer.path("name").asText("?"));
        JsonNode buildShape = layer.path("build_config").path("input_shape");
        if (cls.equals("Sequential") || cls.equals("Functional") || cls.equals("Model")) {
            model(layer, keras3, notes);
        } else {
            Keras3Configs.strip(layer);
            JsonNode c = layer.get("config");
            if (c instanceof ObjectNode) {
                config(name, cls, (ObjectNode) c, buildShape, keras3, notes);
            }
        }
        if (layer.has("inbound_nodes")) {
            layer.set("inbound_nodes", nodes(name, layer.get("inbound_nodes")));
        }
    }

    private static void config(
            String name, String cls, ObjectNode c, JsonNode buildShape, boolean keras3, List<String> notes) {
        List<String> keys = new ArrayList<>();
        c.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            JsonNode v = c.get(k);
            if (k.endsWith("_initializer")) {
                c.set(k, Keras3Configs.initializer(name, k, v, keras3));
            } else if (k.endsWith("_regularizer")) {
                c.set(k, Keras3Configs.regularizer(Keras3Configs.value(name, k, v)));
            } else if ((k.equals("layer") || k.equals("backward_layer")) && v instanceof ObjectNode) {
                layer((ObjectNode) v, keras3, notes); // Bidirectional, TimeDistributed
            } else if (k.equals("function") && cls.equals("Lambda")) {
                continue; // Python code: DL4J needs a registered SameDiff lambda of the layer's name
            } else if ((k.equals("lora_rank") || k.equals("quantization_config")) && !v.isNull()) {
                throw new KerasTranslationException(
                        name, cls + " " + k + "=" + v, "LoRA and quantized layers have no DL4J counterpart");
            } else if (k.equals("activation") && v.isObject()) {
                throw new KerasTranslationException(
                        name, "activation " + v, "DL4J's import reads activations given by name only");
            } else {
                c.set(k, Keras3Configs.value(name, k, v));
            }
        }
        if (c.has("batch_shape")) {
            c.set("batch_input_shape", c.remove("batch_shape"));
        }
        if (cls.equals("LeakyReLU") && c.has("negative_slope") && !c.has("alpha")) {
            c.set("alpha", c.remove("negative_slope"));
        }
        if (keras3 && cls.equals("Embedding") && !c.has("input_length")) {
            if (buildShape.isArray()
                    && buildShape.size() == 2
                    && buildShape.get(1).isInt()) {
                c.set("input_length", buildShape.get(1));
                notes.add("Embedding '" + name + "': input_length " + buildShape.get(1) + " from its input shape "
                        + buildShape);
            } else {
                c.putNull("input_length");
            }
        }
    }

    /** Keras 3's {@code [{"args": […], "kwargs": {…}}, …]} → Keras 2's {@code [[[layer, node, tensor, kwargs], …], …]}. */
    private static JsonNode nodes(String name, JsonNode nodes) {
        if (!nodes.isArray()) {
            return nodes;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode node : nodes) {
            if (!node.isObject()) {
                out.add(node); // Keras 2 form
                continue;
            }
            ObjectNode kwargs = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("kwargs").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().toString().contains("\"__keras_tensor__\"")) {
                    throw new KerasTranslationException(
                            name,
                            "call argument " + e.getKey() + "=<tensor>",
                            "Keras 2's graph format (and DL4J) takes tensors as positional inputs only");
                }
                kwargs.set(e.getKey(), Keras3Configs.value(name, e.getKey(), e.getValue()));
            }
            ArrayNode entries = JsonNodeFactory.instance.arrayNode();
            tensors(name, node.path("args"), kwargs, entries);
            out.add(entries);
        }
        return out;
    }

    private static void tensors(String name, JsonNode args, ObjectNode kwargs, ArrayNode entries) {
        if (args.isArray()) {
            for (JsonNode a : args) {
                tensors(name, a, kwargs, entries);
            }
        } else if (args.isObject()
                && "__keras_tensor__".equals(args.path("class_name").asText())) {
            JsonNode h = args.path("config").path("keras_history");
            if (!h.isArray() || h.size() != 3) {
                throw new KerasTranslationException(
                        name, "inbound tensor " + args, "keras_history must be [layer, node_index, tensor_index]");
            }
            ArrayNode entry = entries.addArray();
            h.forEach(entry::add);
            entry.add(kwargs.deepCopy());
        } else if (!args.isNull() && !args.isMissingNode()) {
            throw new KerasTranslationException(
                    name, "positional call argument " + args, "Keras 2's graph format takes tensors only");
        }
    }
}
