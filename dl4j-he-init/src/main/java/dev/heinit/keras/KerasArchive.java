package dev.heinit.keras;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A Keras 3 {@code .keras} file (what {@code model.save("m.keras")} writes): a zip of {@code config.json} (the model
 * as {@code to_json()} writes it), {@code metadata.json} ({@code keras_version}, date) and {@code model.weights.h5}.
 * The config is read and, through {@link Keras3Json}, put into the form DL4J's Keras import reads; the weights are
 * listed but never read: re-initialization does not need them, reading HDF5 needs DL4J's native HDF5 (this library
 * depends on no native code), and DL4J 1.0.0-M2.1 does not know Keras 3's weight layout ({@code layers/<name>/vars/0}
 * instead of Keras 2's {@code model_weights/<name>/<name>/kernel:0}) anyway. Recognized by content (a zip holding
 * {@code config.json}), not by file name.
 */
public final class KerasArchive {

    /** Largest config.json read (the config of a large Keras application is about 1 MB). */
    private static final int MAX_CONFIG = 64 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String config;
    private final String kerasVersion;
    private final List<String> entries;

    private KerasArchive(String config, String kerasVersion, List<String> entries) {
        this.config = config;
        this.kerasVersion = kerasVersion;
        this.entries = Collections.unmodifiableList(entries);
    }

    /** Whether the file starts like a zip ({@code PK\3\4}); {@link #read} then tells whether it is a Keras one. */
    public static boolean looksLikeZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
        }
    }

    /**
     * Reads a {@code .keras} file.
     *
     * @throws IllegalArgumentException if the file is not a zip or holds no {@code config.json} (e.g. a DL4J model
     *                                  zip, which holds {@code configuration.json})
     * @throws IOException              if the file cannot be read
     */
    public static KerasArchive read(Path file) throws IOException {
        String config = null;
        String version = null;
        List<String> entries = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                entries.add(e.getName());
                if (e.getName().equals("config.json")) {
                    config = text(z, file);
                } else if (e.getName().equals("metadata.json")) {
                    JsonNode m = MAPPER.readTree(text(z, file));
                    version = m == null ? null : m.path("keras_version").asText(null);
                }
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(file + " is not a zip file (a .keras file is a zip)");
        }
        if (config == null) {
            throw new IllegalArgumentException(
                    file + " is a zip without config.json, so not a Keras .keras file;" + " its entries: " + entries);
        }
        return new KerasArchive(config, version, entries);
    }

    private static String text(ZipInputStream z, Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n = z.read(buf); n > 0; n = z.read(buf)) {
            out.write(buf, 0, n);
            if (out.size() > MAX_CONFIG) {
                throw new IllegalArgumentException(file + ": a JSON entry is larger than " + MAX_CONFIG + " bytes");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code config.json} as Keras wrote it. */
    public String config() {
        return config;
    }

    /** {@code config.json} in the form DL4J's Keras import reads ({@link Keras3Json#translate}). */
    public Keras3Json.Translation translated() {
        return Keras3Json.translate(config, kerasVersion);
    }

    /** {@code keras_version} of {@code metadata.json}, or null if absent. */
    public String kerasVersion() {
        return kerasVersion;
    }

    /** Whether the archive holds weights ({@code model.weights.h5}); they are not read. */
    public boolean hasWeights() {
        return entries.contains("model.weights.h5");
    }

    /** The zip's entry names, in order. */
    public List<String> entries() {
        return entries;
    }
}
