package dev.heinit.examples.keras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.heinit.keras.KerasPlan;

/**
 * Every re-initialized weight of a freshly initialized network against Keras's formula: the drawn std within 5
 * standard errors of Keras's std at Keras's fans, SE = σ·√((κ−1)/(4n)) with the normal kurtosis κ = 3 (the largest
 * of Keras's samplers: uniform 1.8, normal truncated at 2σ 2.6), i.e. σ/√(2n); a deterministic init (constant,
 * identity) to 10⁻⁶. Orthogonal weights, read as {@code M = [shape[0], shape[1]·…]}, must have
 * {@code M·Mᵀ = gain²·I} (rows ≤ columns) or {@code Mᵀ·M = gain²·I}, every entry of {@code G/gain² − I} within
 * 10⁻³ (float weights), with gain = Keras std · √max(rows, cols).
 */
public final class WeightCheck {

    /** Entry tolerance of the orthonormality check (float32 weights). */
    static final double ORTHO_TOL = 1e-3;

    /** The result over one network. */
    public static final class Summary {
        /** Weights re-initialized (biases not counted). */
        public final int weights;
        /** Weights whose std was checked. */
        public final int stdChecked;
        /** Orthogonal weights checked for orthonormality. */
        public final int orthonormal;
        /** Weights with no Keras std to check (e.g. fewer than two values). */
        public final int unchecked;
        /** One line per failed check. */
        public final List<String> failures;

        Summary(int weights, int stdChecked, int orthonormal, int unchecked, List<String> failures) {
            this.weights = weights;
            this.stdChecked = stdChecked;
            this.orthonormal = orthonormal;
            this.unchecked = unchecked;
            this.failures = Collections.unmodifiableList(failures);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d weights: %d std within 5 SE, %d orthonormal, %d unchecked%s",
                    weights,
                    stdChecked,
                    orthonormal,
                    unchecked,
                    failures.isEmpty() ? "" : "; " + failures.size() + " FAILED");
        }
    }

    private WeightCheck() {}

    /** Initializes the re-initialized configuration with ND4J seed {@code seed} and checks it. */
    public static Summary check(KerasImport.Result r, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> params;
        List<String> names = new ArrayList<>();
        if (r.sequential) {
            MultiLayerConfiguration conf = (MultiLayerConfiguration) r.configuration;
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            params = net.paramTable();
            conf.getConfs().forEach(c -> names.add(c.getLayer().getLayerName()));
        } else {
            ComputationGraph net = new ComputationGraph((ComputationGraphConfiguration) r.configuration);
            net.init();
            params = net.paramTable();
        }
        int weights = 0;
        int std = 0;
        int ortho = 0;
        int unchecked = 0;
        List<String> failures = new ArrayList<>();
        for (KerasPlan.Row row : r.plan.rows(KerasPlan.Change.REINITIALIZED)) {
            if (row.param().equals("b")) {
                continue;
            }
            weights++;
            String key = (r.sequential ? String.valueOf(names.indexOf(row.layer())) : row.layer()) + "_" + row.param();
            INDArray w = params.get(key);
            if (w == null) {
                failures.add(row.layer() + "/" + row.param() + ": no parameter " + key);
                continue;
            }
            w = w.castTo(DataType.DOUBLE);
            String failure;
            if (row.keras().toLowerCase(Locale.ROOT).contains("orthogonal")) {
                failure = orthonormal(w, row.kerasStd());
                ortho++;
            } else if (Double.isNaN(row.kerasStd()) || w.length() < 2) {
                unchecked++;
                continue;
            } else {
                failure = std(w, row.kerasStd());
                std++;
            }
            if (failure != null) {
                failures.add(row.layer() + "/" + row.param() + " " + row.keras() + ": " + failure);
            }
        }
        return new Summary(weights, std, ortho, unchecked, failures);
    }

    /** Null if the std of w is within 5 SE of sigma, else what is wrong. */
    static String std(INDArray w, double sigma) {
        double n = w.length();
        double s = w.stdNumber().doubleValue();
        double tol = 5 * sigma / Math.sqrt(2 * n) + 1e-6;
        return Math.abs(s - sigma) <= tol
                ? null
                : String.format(Locale.ROOT, "std %.6g, Keras %.6g, 5 SE %.3g (n %d)", s, sigma, tol, (long) n);
    }

    /** Null if w is gain·(orthonormal rows or columns), gain = kerasStd·√max(rows, cols); else what is wrong. */
    static String orthonormal(INDArray w, double kerasStd) {
        long rows = w.size(0);
        long cols = w.length() / rows;
        INDArray m = w.reshape('c', rows, cols);
        double gain2 = kerasStd * kerasStd * Math.max(rows, cols);
        INDArray g = rows <= cols ? m.mmul(m.transpose()) : m.transpose().mmul(m);
        INDArray dev = g.div(gain2).subi(Nd4j.eye(Math.min(rows, cols)).castTo(DataType.DOUBLE));
        double max = dev.amaxNumber().doubleValue();
        return max <= ORTHO_TOL
                ? null
                : String.format(
                        Locale.ROOT,
                        "not orthonormal: max |G/gain² − I| = %.3g (gain² %.4g, %d×%d)",
                        max,
                        gain2,
                        rows,
                        cols);
    }
}
