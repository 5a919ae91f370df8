package dev.heinit.examples.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine;

import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.runtime.Versions;

/** What {@code compare} and {@code validate} share before their runs start: fast path, output folder, header lines. */
final class RunSetup {

    private RunSetup() {}

    /** Switches the fast path on (unless {@code stock}), checks it, and says on the console what training will use. */
    static FastPath.Status fastPath(boolean stock, PrintStream console) {
        FastPath.useHelpers(!stock);
        FastPath.Status status = FastPath.check();
        if (!stock && !status.active()) {
            System.err.println("WARNING: oneDNN fast path unavailable, training on DL4J's stock CPU path (about 10x "
                    + "slower): " + status.describe());
        }
        console.println("backend " + FastPath.backend() + " on " + FastPath.device());
        console.println(status.describe());
        return status;
    }

    /** A fresh folder {@code runs/<kind>-<yyyyMMdd-HHmmss>[-k]} (not created). */
    static Path freshRunDir(String kind) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Path p = Path.of("runs", kind + "-" + stamp);
        int k = 1;
        while (Files.exists(p)) {
            p = Path.of("runs", kind + "-" + stamp + "-" + k++);
        }
        return p;
    }

    /** "bundled MNIST-10k: 8000 training, 2000 test examples, 1x28x28". */
    static String dataLine(ImageData d) {
        return d.name() + ": " + d.train().numExamples() + " training, "
                + d.test().numExamples() + " test examples, " + d.channels() + "x" + d.height() + "x" + d.width();
    }

    /** The report lines every invocation starts with: command, versions, backend and fast path, execution, data. */
    static List<String> header(CommandLine cl, String execution, FastPath.Status status, String dataLine) {
        List<String> header = new ArrayList<>();
        // originalArgs: the whole command line, the subcommand's name included
        header.add("Command: `java -jar dl4j-he-examples.jar "
                + String.join(" ", cl.getParseResult().originalArgs()) + "`");
        header.add("Versions: " + Versions.line());
        header.add("Backend: " + FastPath.backend() + " on " + FastPath.device() + "; " + status.describe());
        header.add("Execution: " + execution);
        header.add("Data: " + dataLine);
        return header;
    }
}
