package dev.heinit.examples.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * metrics.csv, written one complete, flushed line at a time under a lock, so an interrupted run leaves only
 * whole rows. Rows are also kept in memory for the charts and the summary.
 */
public final class MetricsCsv implements AutoCloseable {

    private final Path file;
    private final BufferedWriter out;
    private final List<MetricsRow> rows = new ArrayList<>();
    private boolean closed;

    /** Creates the file and writes {@link MetricsRow#HEADER}. */
    public MetricsCsv(Path file) {
        this.file = file;
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(MetricsRow.HEADER + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Appends a row (ignored after {@link #close()}). */
    public synchronized void add(MetricsRow row) {
        if (closed) {
            return;
        }
        rows.add(row);
        try {
            out.write(row.toCsv() + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A snapshot of the rows written so far. */
    public synchronized List<MetricsRow> rows() {
        return new ArrayList<>(rows);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * After {@link #close()}: rewrites the file with the rows in this order (a stable sort: a run's rows keep
     * their order), through a temporary file moved into place, so the file is whole at every moment.
     */
    public synchronized void reorder(Comparator<MetricsRow> order) {
        if (!closed) {
            throw new IllegalStateException("reorder needs a closed file: " + file);
        }
        rows.sort(order);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(MetricsRow.HEADER + "\n");
            for (MetricsRow r : rows) {
                w.write(r.toCsv() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file, e);
        }
    }

    /** Reads a metrics.csv back, checking the header. */
    public static List<MetricsRow> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(MetricsRow.HEADER)) {
            throw new IOException(file + ": header is not '" + MetricsRow.HEADER + "'");
        }
        List<MetricsRow> r = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (!l.isBlank()) {
                r.add(MetricsRow.parse(l));
            }
        }
        return r;
    }
}
