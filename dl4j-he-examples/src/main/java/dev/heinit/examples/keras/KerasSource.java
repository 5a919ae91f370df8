package dev.heinit.examples.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import dev.heinit.keras.Keras3Json;
import dev.heinit.keras.KerasArchive;

/**
 * A Keras model file read by its content, not its name: JSON ({@code model.to_json()}, Keras 1, 2 or 3), HDF5
 * ({@code model.save("m.h5")}: the {@code model_config} attribute; DL4J's native HDF5) or a Keras 3 {@code .keras}
 * zip ({@code config.json}; its weights are not read). The model JSON is then put into the Keras 2 form DL4J's import
 * reads ({@link Keras3Json}; Keras 1 and 2 JSON is unchanged in meaning).
 */
public final class KerasSource {

    /** How the file was recognized. */
    public enum Format {
        /** Model JSON. */
        JSON,
        /** Keras 2 / tf.keras HDF5 with a {@code model_config}. */
        HDF5,
        /** Keras 3 {@code .keras} zip. */
        KERAS_ZIP
    }

    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final Format format;
    private final String json;
    private final String kerasVersion;

    private KerasSource(Path file, Format format, String json, String kerasVersion) {
        this.file = file;
        this.format = format;
        this.json = json;
        this.kerasVersion = kerasVersion;
    }

    /**
     * Reads a model file.
     *
     * @throws IllegalArgumentException if the file is none of the three, an HDF5 file holds only weights, or a zip
     *                                  holds no {@code config.json}
     * @throws IOException              if the file cannot be read
     */
    public static KerasSource read(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        }
        if (Arrays.equals(head, HDF5_MAGIC)) {
            return new KerasSource(file, Format.HDF5, h5Config(file), null);
        }
        if (KerasArchive.looksLikeZip(file)) {
            KerasArchive a = KerasArchive.read(file);
            return new KerasSource(file, Format.KERAS_ZIP, a.config(), a.kerasVersion());
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (!text.trim().startsWith("{")) {
            throw new IllegalArgumentException(file + " is not a Keras model: neither JSON (model.to_json()), HDF5"
                    + " (model.save(\"m.h5\")) nor a .keras zip; it starts with "
                    + Arrays.toString(head).toLowerCase(Locale.ROOT));
        }
        return new KerasSource(file, Format.JSON, text, null);
    }

    private static String h5Config(Path file) {
        try (Hdf5Archive a = new Hdf5Archive(file.toString())) {
            if (!a.hasAttribute("model_config")) {
                throw new IllegalArgumentException(file + " has no model_config attribute: a weights-only .h5"
                        + " (model.save_weights) holds no architecture; save the model with model.save or to_json");
            }
            String json = a.readAttributeAsJson("model_config");
            // as DL4J's own .h5 import: the version and backend are attributes of the file, not of model_config
            ObjectNode m = (ObjectNode) MAPPER.readTree(json);
            if (!m.has("keras_version") && a.hasAttribute("keras_version")) {
                m.put("keras_version", a.readAttributeAsFixedLengthString("keras_version", 5));
            }
            if (!m.has("backend") && a.hasAttribute("backend")) {
                m.put("backend", a.readAttributeAsString("backend"));
            }
            return MAPPER.writeValueAsString(m);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception | UnsatisfiedLinkError e) {
            throw new IllegalArgumentException("cannot read " + file + " as a Keras .h5 file: " + e.getMessage(), e);
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** How it was recognized. */
    public Format format() {
        return format;
    }

    /** The model JSON as Keras wrote it. */
    public String json() {
        return json;
    }

    /** The Keras version known from outside the JSON (a .keras file's metadata.json), or null. */
    public String kerasVersion() {
        return kerasVersion;
    }

    /**
     * The JSON in the form DL4J reads.
     *
     * @throws dev.heinit.keras.KerasTranslationException if a Keras 3 construct has no such form
     */
    public Keras3Json.Translation translate() {
        return Keras3Json.translate(json, kerasVersion);
    }
}
