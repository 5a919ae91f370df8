package dev.heinit.examples.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The libraries' logging in this program: WARN and ERROR only unless {@code --verbose} or an explicit logging
 * configuration asks for INFO.
 *
 * <p>The program ships slf4j-simple, so every library line (ND4J's start-up chatter, the backend build banner,
 * DL4J's "Starting MultiLayerNetwork ...") goes through SLF4J: the banner is a single INFO message of
 * {@code CpuBackend.logBackendInit}, printed only when ND4J's system property {@value #ND4J_LOG_INIT} is true
 * (its default). slf4j-simple reads its system properties once, when the first logger is created, and gives
 * them precedence over a {@code simplelogger.properties} on the class path; each logger's level is fixed when it
 * is created. So {@link #configure} must run before any ND4J/DL4J class logs, which is why {@code dev.heinit.examples.Main} calls
 * it after parsing the command line and before running the command.
 *
 * <p>An explicit configuration is an {@value #LEVEL} system property or a {@code simplelogger.properties}
 * resource present when this class loads; it is left as it is. Per-logger settings
 * ({@code -Dorg.slf4j.simpleLogger.log.<name>=info}) override the default level in both modes. JavaCPP logs
 * through its own logger straight to stderr unless {@value #JAVACPP_LOGGER}{@code =slf4j}, which this class
 * sets when absent so that its messages obey the same level.
 */
public final class Logging {

    /** slf4j-simple's default level. */
    public static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    /** ND4J's switch for its start-up environment lines and backend build banner ({@code ND4JSystemProperties}). */
    public static final String ND4J_LOG_INIT = "org.nd4j.log.initialization";
    /** JavaCPP's logger choice. */
    public static final String JAVACPP_LOGGER = "org.bytedeco.javacpp.logger";

    private static final String SIMPLE_PREFIX = "org.slf4j.simpleLogger.";
    private static final String SIMPLE_PER_LOGGER = SIMPLE_PREFIX + "log.";

    // The user's choices, taken before this class sets anything (several commands may run in one JVM in tests).
    private static final boolean EXPLICIT_LEVEL = System.getProperty(LEVEL) != null
            || Logging.class.getClassLoader().getResource("simplelogger.properties") != null;
    private static final boolean EXPLICIT_LOGGERS =
            System.getProperties().stringPropertyNames().stream().anyMatch(n -> n.startsWith(SIMPLE_PER_LOGGER));
    private static final String USER_LOG_INIT = System.getProperty(ND4J_LOG_INIT);
    private static final String USER_JAVACPP_LOGGER = System.getProperty(JAVACPP_LOGGER);

    private Logging() {}

    /**
     * Sets the libraries' logging for this process and the child processes it starts.
     *
     * @param verbose true for the libraries' INFO lines and the backend build banner
     */
    public static void configure(boolean verbose) {
        if (!EXPLICIT_LEVEL) {
            System.setProperty(LEVEL, verbose ? "info" : "warn");
        }
        // the banner's own switch; left at ND4J's default when a level is configured, so that configuration decides
        if (USER_LOG_INIT == null) {
            if (verbose || EXPLICIT_LEVEL || EXPLICIT_LOGGERS) {
                System.clearProperty(ND4J_LOG_INIT);
            } else {
                System.setProperty(ND4J_LOG_INIT, "false");
            }
        }
        if (USER_JAVACPP_LOGGER == null) {
            System.setProperty(JAVACPP_LOGGER, "slf4j");
        }
    }

    /**
     * JVM options that give a child process of this program the same logging: every slf4j-simple property, the
     * ND4J banner switch and JavaCPP's logger choice set in this process.
     */
    public static List<String> childJvmOptions() {
        Properties p = System.getProperties();
        List<String> opts = new ArrayList<>();
        for (String name : p.stringPropertyNames().stream().sorted().toList()) {
            if (name.startsWith(SIMPLE_PREFIX) || name.equals(ND4J_LOG_INIT) || name.startsWith(JAVACPP_LOGGER)) {
                opts.add("-D" + name + "=" + p.getProperty(name));
            }
        }
        return opts;
    }
}
