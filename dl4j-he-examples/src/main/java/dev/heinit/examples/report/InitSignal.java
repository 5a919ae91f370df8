package dev.heinit.examples.report;

import java.util.Locale;

/**
 * The signal of a run's network at initialization, before the first step: the library's diagnostics on one
 * labelled batch of training digits ({@code dev.heinit.diagnostics.SignalPropagation}) and the order/chaos
 * statistic of the first and last hidden layer ({@code dev.heinit.diagnostics.ExampleCorrelation}).
 *
 * <p>Forward ratio {@code RMS(z_last)/RMS(z_first)} over the weighted layers (z the pre-activations), backward
 * ratio {@code √P·RMS(δ_first)/(√P·RMS(δ_ref))}, δ = ∂L/∂z, P the positions a weight is applied at (He et al. 2015, eqs. 10 and 14). The correlation is the mean
 * cosine similarity between two different examples' representations, raw and after subtracting the batch mean
 * per unit (centred): in an ordered net it grows with depth towards 1 (every input looks alike), in a chaotic one
 * the centred value falls towards 0 (nearby inputs are pulled apart) — Poole et al. 2016, Schoenholz et al. 2017.
 *
 * @param forwardRatio  RMS(z_last)/RMS(z_first), NaN if not measured
 * @param backwardRatio √P·RMS(δ_first)/(√P·RMS(δ_ref)) (P: positions per weight), NaN if not measured
 * @param verdicts      the report's verdicts joined by '+', e.g. "HEALTHY" or "VANISHING+DEAD_UNITS"
 * @param firstRms      activation RMS of the first hidden layer
 * @param lastRms       activation RMS of the last hidden layer (the one feeding the output layer)
 * @param cosFirst      mean cosine similarity between examples at the first hidden layer
 * @param cosLast       the same at the last hidden layer
 * @param centredFirst  mean cosine after centring, first hidden layer
 * @param centredLast   mean cosine after centring, last hidden layer
 * @param examples      examples in the measured batch
 * @param note          empty, or why something could not be measured
 */
public record InitSignal(
        double forwardRatio,
        double backwardRatio,
        String verdicts,
        double firstRms,
        double lastRms,
        double cosFirst,
        double cosLast,
        double centredFirst,
        double centredLast,
        int examples,
        String note) {

    /** Training examples the signal at initialization is measured on (fewer if the training set is smaller). */
    public static final int PROBE_EXAMPLES = 128;

    /** Nothing measured, with the reason. */
    public static InitSignal failed(String why) {
        return new InitSignal(
                Double.NaN,
                Double.NaN,
                "NOT_MEASURED",
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                0,
                why);
    }

    /** Single-line encoding for the parent/child protocol (note last: it may contain spaces). */
    public String encode() {
        return String.format(
                Locale.ROOT,
                "%s %s %s %s %s %s %s %s %s %d %s",
                forwardRatio,
                backwardRatio,
                verdicts,
                firstRms,
                lastRms,
                cosFirst,
                cosLast,
                centredFirst,
                centredLast,
                examples,
                note.replace('\n', ' '));
    }

    /** Inverse of {@link #encode()}. */
    public static InitSignal decode(String s) {
        String[] f = s.split(" ", 11);
        return new InitSignal(
                Double.parseDouble(f[0]),
                Double.parseDouble(f[1]),
                f[2],
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6]),
                Double.parseDouble(f[7]),
                Double.parseDouble(f[8]),
                Integer.parseInt(f[9]),
                f.length > 10 ? f[10] : "");
    }

    /** One line for logs, e.g. "forward 0.91, backward 1.3, HEALTHY; cos first 0.52 last 0.97 (centred 0.10, 0.85)". */
    public String describe() {
        if (!note.isEmpty() && Double.isNaN(forwardRatio)) {
            return "not measured: " + note;
        }
        return String.format(
                Locale.ROOT,
                "forward ratio %s, backward ratio %s, %s; activation RMS first %s last %s; "
                        + "cosine between examples first %s last %s (centred %s, %s)",
                g(forwardRatio),
                g(backwardRatio),
                verdicts,
                g(firstRms),
                g(lastRms),
                f2(cosFirst),
                f2(cosLast),
                f2(centredFirst),
                f2(centredLast));
    }

    /** Three significant digits, or "–" for NaN. */
    static String g(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Two decimals, or "–" for NaN. */
    static String f2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }
}
