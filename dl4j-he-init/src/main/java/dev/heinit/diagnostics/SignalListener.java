package dev.heinit.diagnostics;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TrainingListener} that runs {@link SignalPropagation#measure} every {@code N} iterations (after
 * the parameter update of iterations 0, N, 2N, …), writes one CSV row per sampled iteration and layer
 * (columns {@code iteration,epoch,} then {@link SignalReport#CSV_HEADER}), and logs one SLF4J warning, the
 * first time a report holds VANISHING, EXPLODING, NON_FINITE, DECORRELATING or COLLAPSING.
 *
 * <p>It measures a fixed probe batch if one is given (comparable across iterations: preferred), otherwise
 * the batch just trained on (a MultiLayerNetwork's input and labels; a graph's inputs with the synthetic loss).
 *
 * <p>Early warnings ({@link EarlyWarning}), judged after every iteration from the loss, the parameters' sum and
 * the first weight matrix (cheap next to a training step), at most once per failure mode: DIVERGING when the
 * parameters' norm is no longer finite or has grown tenfold since before the first update, or when the loss, having
 * come near chance ({@code ln C} for a softmax output of C classes), rises above 4 × chance; STALLED when a window of 100 iterations' mean loss is within 2 % of the
 * previous window's and the first weight matrix moved less than 1e-6 of its norm over it. Each is kept in
 * {@link #earlyWarnings()} and handed to {@link Builder#onWarning}, or, without such a consumer, logged as an SLF4J
 * warning (a consumer that shows it would otherwise see it twice).
 * {@link Builder#warningsOnly()} keeps the warnings and drops the signal samples.
 * Each sample costs about one extra training step without the update (see {@link SignalPropagation}); with
 * dropout it also draws from ND4J's RNG, so attaching the listener then changes the training run.
 *
 * <pre>{@code
 * SignalListener l = SignalListener.builder().every(50).probe(probeBatch).csv(Path.of("signal.csv")).build();
 * net.setListeners(l);  ...  l.close();
 * }</pre>
 */
public final class SignalListener extends BaseTrainingListener implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SignalListener.class);
    private static final Set<Verdict> ALARMS = EnumSet.of(
            Verdict.VANISHING, Verdict.EXPLODING, Verdict.NON_FINITE, Verdict.DECORRELATING, Verdict.COLLAPSING);

    private final int every;
    private final INDArray[] probeFeatures;
    private final INDArray[] probeLabels;
    private final SignalThresholds thresholds;
    private final Path csvPath;
    private Writer csv;
    private final boolean ownsWriter;
    private boolean headerWritten;
    private boolean opened;
    private SignalReport lastReport;
    private int samples;
    private int firstAlarmIteration = -1;
    private Set<Verdict> firstAlarmVerdicts = Collections.emptySet();
    private final boolean sampling;
    private final Consumer<EarlyWarning> onWarning;
    private final EarlyWarnings early = new EarlyWarnings();

    private SignalListener(Builder b) {
        this.every = b.every;
        this.probeFeatures = b.probeFeatures;
        this.probeLabels = b.probeLabels;
        this.thresholds = b.thresholds;
        this.csvPath = b.csvPath;
        this.csv = b.csvWriter;
        this.ownsWriter = b.csvWriter == null;
        this.sampling = b.sampling;
        this.onWarning = b.onWarning;
    }

    /** A builder: every 10 iterations, no probe (the training batch), no CSV, default thresholds. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void onGradientCalculation(Model model) {
        early.beforeUpdate(model);
    }

    @Override
    public synchronized void iterationDone(Model model, int iteration, int epoch) {
        EarlyWarning w = early.observe(model, iteration, epoch);
        if (w != null) {
            if (onWarning != null) {
                onWarning.accept(w);
            } else {
                LOG.warn("Early warning: {}", w);
            }
        }
        if (!sampling || iteration % every != 0) {
            return;
        }
        INDArray[] features = probeFeatures;
        INDArray[] labels = probeLabels;
        if (features == null) {
            if (model instanceof MultiLayerNetwork) {
                MultiLayerNetwork net = (MultiLayerNetwork) model;
                features = net.getInput() == null ? null : new INDArray[] {net.getInput()};
                labels = net.getLabels() == null ? null : new INDArray[] {net.getLabels()};
            } else if (model instanceof ComputationGraph) {
                features = ((ComputationGraph) model).getInputs();
                labels = null;
            }
            if (features == null) {
                LOG.debug("iteration {}: no probe batch and no network input; skipped", iteration);
                return;
            }
        }
        SignalReport report = SignalPropagation.measure(model, features, labels, thresholds);
        lastReport = report;
        samples++;
        writeCsv(report, iteration, epoch);
        if (firstAlarmIteration < 0) {
            Set<Verdict> hit = EnumSet.noneOf(Verdict.class);
            for (Verdict v : report.verdicts()) {
                if (ALARMS.contains(v)) {
                    hit.add(v);
                }
            }
            if (!hit.isEmpty()) {
                firstAlarmIteration = iteration;
                firstAlarmVerdicts = Collections.unmodifiableSet(hit);
                LOG.warn(
                        "Signal propagation at iteration {} (epoch {}): {}; forward ratio {}, backward ratio {}. "
                                + "Further alarms are not logged.",
                        iteration,
                        epoch,
                        hit,
                        report.forwardRatio(),
                        report.backwardRatio());
            }
        }
    }

    private void writeCsv(SignalReport report, int iteration, int epoch) {
        if (csvPath == null && csv == null) {
            return;
        }
        try {
            if (csv == null) {
                // The first open truncates; after close() the file is reopened for appending, so sampling
                // on does not wipe the rows already written (nor write a second header).
                if (opened) {
                    headerWritten = Files.exists(csvPath) && Files.size(csvPath) > 0;
                    csv = Files.newBufferedWriter(
                            csvPath,
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND,
                            StandardOpenOption.WRITE);
                } else {
                    csv = Files.newBufferedWriter(csvPath, StandardCharsets.UTF_8);
                    opened = true;
                }
            }
            StringBuilder sb = new StringBuilder();
            if (!headerWritten) {
                sb.append("iteration,epoch,").append(SignalReport.CSV_HEADER).append('\n');
                headerWritten = true;
            }
            report.appendCsvRows(sb, iteration + "," + epoch + ",");
            csv.write(sb.toString());
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write signal CSV " + (csvPath == null ? "" : csvPath), e);
        }
    }

    /** The most recent report, or null before the first sample. */
    public synchronized SignalReport lastReport() {
        return lastReport;
    }

    /** Number of sampled iterations so far. */
    public synchronized int samples() {
        return samples;
    }

    /** Iteration of the first VANISHING/EXPLODING/NON_FINITE report (the one logged), or -1. */
    public synchronized int firstAlarmIteration() {
        return firstAlarmIteration;
    }

    /** The early warnings so far, in the order they fired (at most one per {@link EarlyWarning.Mode}). */
    public synchronized List<EarlyWarning> earlyWarnings() {
        return early.warnings();
    }

    /** The alarm verdicts of that report (empty if none yet). */
    public synchronized Set<Verdict> firstAlarmVerdicts() {
        return firstAlarmVerdicts;
    }

    /**
     * Closes the CSV file if the listener opened it (a Writer passed in is only flushed). The listener stays
     * usable: a later sample reopens the file and appends to it.
     */
    @Override
    public synchronized void close() throws IOException {
        if (csv != null) {
            csv.flush();
            if (ownsWriter) {
                csv.close();
                csv = null;
            }
        }
    }

    /** Builder for {@link SignalListener}. */
    public static final class Builder {
        private int every = 10;
        private INDArray[] probeFeatures;
        private INDArray[] probeLabels;
        private SignalThresholds thresholds = SignalThresholds.defaults();
        private Path csvPath;
        private Writer csvWriter;
        private boolean sampling = true;
        private Consumer<EarlyWarning> onWarning;

        private Builder() {}

        /** Only the early warnings: no signal samples, no CSV rows (a few reductions per iteration). */
        public Builder warningsOnly() {
            this.sampling = false;
            return this;
        }

        /** Called with each early warning as it fires, on the training thread, instead of the SLF4J warning. */
        public Builder onWarning(Consumer<EarlyWarning> consumer) {
            this.onWarning = Objects.requireNonNull(consumer, "consumer");
            return this;
        }

        /** Sample iterations 0, n, 2n, … (n ≥ 1). */
        public Builder every(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("every must be >= 1, got " + n);
            }
            this.every = n;
            return this;
        }

        /** Measure this labelled batch each time. */
        public Builder probe(DataSet batch) {
            Objects.requireNonNull(batch, "batch");
            this.probeFeatures = new INDArray[] {batch.getFeatures()};
            this.probeLabels = batch.getLabels() == null ? null : new INDArray[] {batch.getLabels()};
            return this;
        }

        /** Measure this labelled multi-input batch each time (graphs). */
        public Builder probe(MultiDataSet batch) {
            Objects.requireNonNull(batch, "batch");
            this.probeFeatures = batch.getFeatures();
            this.probeLabels = batch.getLabels();
            return this;
        }

        /** Measure these features each time, with the synthetic loss of {@link SignalPropagation}. */
        public Builder probe(INDArray... features) {
            if (features == null || features.length == 0) {
                throw new IllegalArgumentException("probe features must not be empty");
            }
            this.probeFeatures = features.clone();
            this.probeLabels = null;
            return this;
        }

        /** Thresholds for the verdicts (and the alarm). */
        public Builder thresholds(SignalThresholds t) {
            this.thresholds = Objects.requireNonNull(t, "thresholds");
            return this;
        }

        /** Write CSV to this file (created or truncated at the first sample; appended to after a close()). */
        public Builder csv(Path path) {
            this.csvPath = Objects.requireNonNull(path, "path");
            this.csvWriter = null;
            return this;
        }

        /** Write CSV to this writer (flushed after each sample, not closed). */
        public Builder csv(Writer writer) {
            this.csvWriter = Objects.requireNonNull(writer, "writer");
            this.csvPath = null;
            return this;
        }

        /** The listener. */
        public SignalListener build() {
            return new SignalListener(this);
        }
    }
}
