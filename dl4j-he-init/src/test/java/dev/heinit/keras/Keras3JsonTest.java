package dev.heinit.keras;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Keras3Json} field by field: on JSON written by Keras 3.15.1 itself ({@code keras/keras3/*.json} and the
 * {@code .keras} file, made by {@code make_keras3_fixtures.py} there), and on small configs written from Keras 3's
 * serialization format (keras/src/saving/serialization_lib.py, keras/src/models/functional.py) for what those models
 * do not contain (missing initializer keys, integer numbers, L2, dict inputs, tensors in kwargs, Python objects).
 */
class Keras3JsonTest {

    static final Path KERAS3 = Paths.get("src", "test", "resources", "keras", "keras3");
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path tmp;

    static String fixture(String name) throws IOException {
        return new String(Files.readAllBytes(KERAS3.resolve(name)), StandardCharsets.UTF_8);
    }

    static JsonNode layer(JsonNode model, String name) {
        for (JsonNode l : model.path("config").path("layers")) {
            if (name.equals(l.path("config").path("name").asText())) {
                return l;
            }
        }
        throw new AssertionError("no layer " + name);
    }

    @Test
    void sequentialLstmWrittenByKeras3() throws IOException {
        String json = fixture("keras3_sequential_lstm.json");
        assertTrue(Keras3Json.isKeras3(json));
        Keras3Json.Translation t = Keras3Json.translate(json);
        assertTrue(t.keras3());
        JsonNode m = M.readTree(t.json());
        assertEquals("2.15.0", m.path("keras_version").asText());
        assertEquals("tensorflow", m.path("backend").asText());
        assertEquals("Keras 3", m.path("translated_from").asText());
        assertEquals("Sequential", m.path("class_name").asText());
        for (String gone : new String[] {
            "\"module\"",
            "\"registered_name\"",
            "\"build_config\"",
            "\"compile_config\"",
            "\"batch_shape\"",
            "input_axes",
            "DTypePolicy"
        }) {
            assertFalse(t.json().contains(gone), gone + " left in " + t.json());
        }
        JsonNode input = m.path("config").path("layers").get(0);
        assertEquals("InputLayer", input.path("class_name").asText());
        assertEquals("[null,40]", input.path("config").path("batch_input_shape").toString());
        assertEquals("int32", input.path("config").path("dtype").asText());
        JsonNode emb = layer(m, "embedding").path("config");
        assertEquals(40, emb.path("input_length").asInt());
        assertEquals("float32", emb.path("dtype").asText());
        assertEquals(
                "RandomUniform",
                emb.path("embeddings_initializer").path("class_name").asText());
        assertEquals(
                -0.05,
                emb.path("embeddings_initializer").path("config").path("minval").asDouble());
        JsonNode lstm = layer(m, "lstm").path("config");
        assertEquals(
                "GlorotUniform",
                lstm.path("kernel_initializer").path("class_name").asText());
        assertEquals(
                "{\"seed\":null}",
                lstm.path("kernel_initializer").path("config").toString());
        JsonNode orth = lstm.path("recurrent_initializer");
        assertEquals("Orthogonal", orth.path("class_name").asText());
        assertTrue(orth.path("config").path("gain").isDouble());
        assertEquals(1, t.notes().size(), t.notes().toString());
        assertTrue(t.notes().get(0).contains("input_length 40"), t.notes().toString());
        // the library's own reading of the translated model: Keras 2 dialect, every layer by name
        KerasModel k = KerasModel.parse(json, null);
        assertEquals(KerasDialect.KERAS_2, k.dialect);
        assertEquals("[input_layer, embedding, lstm, dense]", k.layers.keySet().toString());
    }

    @Test
    void functionalUnetNodesAndEndpoints() throws IOException {
        JsonNode m = M.readTree(Keras3Json.toKeras2(fixture("keras3_functional_unet.json")));
        assertEquals("Functional", m.path("class_name").asText());
        assertEquals("[[\"image\",0,0]]", m.path("config").path("input_layers").toString());
        assertEquals("[[\"mask\",0,0]]", m.path("config").path("output_layers").toString());
        JsonNode image = m.path("config").path("layers").get(0);
        assertEquals("image", image.path("name").asText());
        assertEquals("[]", image.path("inbound_nodes").toString());
        assertEquals(
                "[null,32,32,1]", image.path("config").path("batch_input_shape").toString());
        assertEquals(
                "[[[\"image\",0,0,{}]]]",
                layer(m, "enc1a").path("inbound_nodes").toString());
        assertEquals(
                "[[[\"up2\",0,0,{}],[\"enc2b\",0,0,{}]]]",
                layer(m, "skip2").path("inbound_nodes").toString());
        assertEquals(
                "[[[\"up1\",0,0,{}],[\"enc1b\",0,0,{}]]]",
                layer(m, "skip1").path("inbound_nodes").toString());
        assertEquals("[2,2]", layer(m, "up2").path("config").path("strides").toString());
    }

    @Test
    void initializersGetKeras3DefaultsAndDoubles() throws IOException {
        String[][] cases = {
            {
                "{\"class_name\": \"RandomNormal\", \"config\": {\"seed\": null}}",
                "{\"seed\":null,\"mean\":0.0,\"stddev\":0.05}"
            },
            {"{\"class_name\": \"TruncatedNormal\", \"config\": {}}", "{\"mean\":0.0,\"stddev\":0.05}"},
            {"{\"class_name\": \"RandomUniform\", \"config\": {\"minval\": -1}}", "{\"minval\":-1.0,\"maxval\":0.05}"},
            {
                "{\"class_name\": \"VarianceScaling\", \"config\": {\"scale\": 2}}",
                "{\"scale\":2.0,\"mode\":\"fan_in\",\"distribution\":\"truncated_normal\"}"
            },
            {
                "{\"class_name\": \"VarianceScaling\", \"config\": {\"scale\": 1.0, \"mode\": \"fan_avg\", \"distribution\": \"normal\"}}",
                "{\"scale\":1.0,\"mode\":\"fan_avg\",\"distribution\":\"truncated_normal\"}"
            },
            {"{\"class_name\": \"Constant\", \"config\": {\"value\": 0}}", "{\"value\":0.0}"},
            {"{\"class_name\": \"Orthogonal\", \"config\": {\"gain\": 2, \"seed\": 3}}", "{\"gain\":2.0,\"seed\":3}"},
            {
                "{\"class_name\": \"HeNormal\", \"config\": {\"seed\": null, \"input_axes\": null, \"output_axes\": null}}",
                "{\"seed\":null}"
            },
        };
        for (String[] c : cases) {
            JsonNode init = M.readTree(Keras3Json.toKeras2(dense(c[0])))
                    .path("config")
                    .path("layers")
                    .get(1)
                    .path("config")
                    .path("kernel_initializer");
            assertEquals(c[1], init.path("config").toString(), c[0]);
            assertTrue(init.path("config").path("mean").isMissingNode()
                    || init.path("config").path("mean").isDouble());
        }
        JsonNode id = M.readTree(
                        Keras3Json.toKeras2(dense("{\"class_name\": \"IdentityInitializer\", \"config\": {}}")))
                .path("config")
                .path("layers")
                .get(1)
                .path("config")
                .path("kernel_initializer");
        assertEquals("Identity", id.path("class_name").asText());
        assertEquals(1.0, id.path("config").path("gain").asDouble());
    }

    @Test
    void regularizersLeakyReluDictInputsAndSequentialWithoutInputLayer() throws IOException {
        String json = "{\"module\": \"keras\", \"class_name\": \"Functional\", \"config\": {\"name\": \"f\","
                + " \"layers\": [" + input("a") + ", {\"module\": \"keras.layers\", \"class_name\": \"Dense\","
                + " \"config\": {\"name\": \"d\", \"units\": 2, \"kernel_regularizer\": {\"module\":"
                + " \"keras.regularizers\", \"class_name\": \"L2\", \"config\": {\"l2\": 0.01},"
                + " \"registered_name\": null}}, \"registered_name\": null, \"name\": \"d\", \"inbound_nodes\":"
                + " [{\"args\": [" + tensor("a") + "], \"kwargs\": {\"training\": false}}]},"
                + " {\"class_name\": \"LeakyReLU\", \"config\": {\"name\": \"r\", \"negative_slope\": 0.2},"
                + " \"name\": \"r\", \"inbound_nodes\": [{\"args\": [" + tensor("d") + "], \"kwargs\": {}}]}],"
                + " \"input_layers\": {\"x\": [\"a\", 0, 0]}, \"output_layers\": [\"r\", 0, 0]}}";
        JsonNode m = M.readTree(Keras3Json.toKeras2(json));
        JsonNode d = layer(m, "d");
        assertEquals(
                "{\"class_name\":\"L1L2\",\"config\":{\"l1\":0.0,\"l2\":0.01}}",
                d.path("config").path("kernel_regularizer").toString());
        assertEquals(
                "[[[\"a\",0,0,{\"training\":false}]]]", d.path("inbound_nodes").toString());
        assertEquals(0.2, layer(m, "r").path("config").path("alpha").asDouble());
        assertEquals("[[\"a\",0,0]]", m.path("config").path("input_layers").toString());
        assertEquals("[[\"r\",0,0]]", m.path("config").path("output_layers").toString());

        String seq = "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"s\","
                + " \"layers\": [{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\":"
                + " \"d\", \"units\": 2}, \"registered_name\": null}], \"build_input_shape\": [null, 7]}}";
        Keras3Json.Translation t = Keras3Json.translate(seq);
        assertEquals(
                "[null,7]",
                M.readTree(t.json())
                        .path("config")
                        .path("layers")
                        .get(0)
                        .path("config")
                        .path("batch_input_shape")
                        .toString());
        assertTrue(t.notes().get(0).contains("build_input_shape"), t.notes().toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kernel_initializer|{\"class_name\": \"STFT\", \"config\": {\"window\": \"hann\"}}|STFT",
                "kernel_initializer|{\"class_name\": \"VarianceScaling\", \"config\": {\"input_axes\": [0]}}|input_axes",
                "kernel_initializer|{\"class_name\": \"RandomNormal\", \"config\": {\"stddev\": \"big\"}}|stddev",
                "bias_initializer|{\"class_name\": \"Constant\", \"config\": {\"value\": {\"class_name\":"
                        + " \"__numpy__\", \"config\": {\"value\": [1, 2]}}}}|value",
                "kernel_constraint|{\"class_name\": \"__bytes__\", \"config\": {\"value\": \"00\"}}|__bytes__",
                "quantization_config|{\"mode\": \"int8\"}|quantization_config",
            })
    void constructsWithoutKeras2FormNameTheLayerAndTheConstruct(String spec) {
        String[] p = spec.split("\\|");
        String json = "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"s\","
                + " \"layers\": [" + input("in") + ", {\"module\": \"keras.layers\", \"class_name\": \"Dense\","
                + " \"config\": {\"name\": \"the_dense\", \"units\": 2, \"" + p[0] + "\": " + p[1] + "},"
                + " \"registered_name\": null}]}}";
        KerasTranslationException e = assertThrows(KerasTranslationException.class, () -> Keras3Json.translate(json));
        assertEquals("the_dense", e.layer());
        assertTrue(e.construct().contains(p[2]), e.construct());
        assertTrue(e.getMessage().contains("'the_dense'") && e.getMessage().contains(p[2]), e.getMessage());
    }

    @Test
    void tensorsOnlyAsPositionalInputs() {
        String mask = functional("{\"args\": [" + tensor("a") + "], \"kwargs\": {\"mask\": " + tensor("a") + "}}");
        KerasTranslationException e = assertThrows(KerasTranslationException.class, () -> Keras3Json.translate(mask));
        assertEquals("d", e.layer());
        assertTrue(e.construct().contains("mask"), e.construct());
        String scalar = functional("{\"args\": [" + tensor("a") + ", 3], \"kwargs\": {}}");
        e = assertThrows(KerasTranslationException.class, () -> Keras3Json.translate(scalar));
        assertTrue(e.construct().contains("positional call argument 3"), e.construct());
        assertThrows(IllegalArgumentException.class, () -> Keras3Json.translate("[1, 2]"));
        assertThrows(IllegalArgumentException.class, () -> Keras3Json.translate("{\"class_name\": "));
    }

    /** The Keras 1 and 2 fixtures (every JSON of keras/, which holds no Keras 3 one). */
    static Stream<String> keras12Fixtures() throws IOException {
        try (Stream<Path> s = Files.list(KERAS3.getParent())) {
            List<String> names = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .collect(Collectors.toList());
            assertTrue(names.size() >= 4, names.toString());
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("keras12Fixtures")
    void keras1And2ComeBackUnchanged(String name) throws IOException {
        String json = new String(Files.readAllBytes(KERAS3.getParent().resolve(name)), StandardCharsets.UTF_8);
        Keras3Json.Translation t = Keras3Json.translate(json);
        assertFalse(t.keras3());
        assertSame(json, t.json());
    }

    @Test
    void kerasArchiveReadsConfigAndVersionNotWeights() throws IOException {
        KerasArchive a = KerasArchive.read(KERAS3.resolve("keras3_functional_unet.keras"));
        assertTrue(KerasArchive.looksLikeZip(KERAS3.resolve("keras3_functional_unet.keras")));
        assertEquals("3.15.1", a.kerasVersion());
        assertTrue(a.hasWeights());
        assertTrue(
                a.entries().contains("config.json") && a.entries().contains("metadata.json"),
                a.entries().toString());
        // model.save writes the model as to_json does, plus shared_object_id on objects used twice
        assertTrue(a.config().contains("\"shared_object_id\""));
        Keras3Json.Translation t = a.translated();
        assertTrue(t.keras3());
        ObjectNode fromZip = (ObjectNode) M.readTree(t.json());
        assertEquals("Keras 3.15.1", fromZip.remove("translated_from").asText());
        ObjectNode fromJson = (ObjectNode) M.readTree(Keras3Json.toKeras2(fixture("keras3_functional_unet.json")));
        assertEquals("Keras 3", fromJson.remove("translated_from").asText());
        assertEquals(fromJson, fromZip);

        Path dl4jZip = tmp.resolve("model.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(dl4jZip))) {
            z.putNextEntry(new ZipEntry("configuration.json"));
            z.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasArchive.read(dl4jZip));
        assertTrue(
                e.getMessage().contains("config.json") && e.getMessage().contains("configuration.json"),
                e.getMessage());
        Path text = tmp.resolve("x.keras");
        Files.write(text, "{}".getBytes(StandardCharsets.UTF_8));
        assertFalse(KerasArchive.looksLikeZip(text));
        assertThrows(IllegalArgumentException.class, () -> KerasArchive.read(text));
    }

    private static String input(String name) {
        return "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 4],"
                + " \"dtype\": \"float32\", \"name\": \"" + name + "\"}, \"registered_name\": null, \"name\": \""
                + name + "\", \"inbound_nodes\": []}";
    }

    private static String tensor(String layer) {
        return "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 4], \"dtype\": \"float32\","
                + " \"keras_history\": [\"" + layer + "\", 0, 0]}}";
    }

    private static String dense(String kernelInit) {
        return "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
                + input("in") + ", {\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\":"
                + " \"d\", \"units\": 2, \"dtype\": {\"module\": \"keras\", \"class_name\": \"DTypePolicy\","
                + " \"config\": {\"name\": \"float32\"}, \"registered_name\": null}, \"kernel_initializer\": "
                + kernelInit + "}, \"registered_name\": null}]}}";
    }

    private static String functional(String node) {
        return "{\"module\": \"keras\", \"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": ["
                + input("a") + ", {\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"config\": {\"name\":"
                + " \"d\", \"units\": 2}, \"registered_name\": null, \"name\": \"d\", \"inbound_nodes\": [" + node
                + "]}], \"input_layers\": [[\"a\", 0, 0]], \"output_layers\": [[\"d\", 0, 0]]}}";
    }
}
