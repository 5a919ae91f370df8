package dev.heinit.examples.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Build-time versions (filtered into dl4j-he-examples.properties by Maven). */
public final class Versions {

    private static final Properties P = new Properties();

    static {
        try (InputStream in = Versions.class.getResourceAsStream("/dl4j-he-examples.properties")) {
            if (in != null) {
                P.load(in);
            }
        } catch (IOException e) {
            // versions are informative only
        }
    }

    private Versions() {}

    /** This program's version. */
    public static String program() {
        return P.getProperty("version", "unknown");
    }

    /** The DL4J/ND4J version built against. */
    public static String dl4j() {
        return P.getProperty("dl4j.version", "unknown");
    }

    /** The nd4j-native classifier built with (CPU builds). */
    public static String nd4jClassifier() {
        return P.getProperty("nd4j.classifier", "unknown");
    }

    /** One line: program, DL4J, Java, OS. */
    public static String line() {
        return "dl4j-he-examples " + program() + ", DL4J/ND4J " + dl4j() + " (nd4j-native " + nd4jClassifier()
                + "), Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
