package dev.heinit.examples.train;

import java.util.ArrayList;
import java.util.List;

import dev.heinit.examples.model.Arch;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.InitScheme;
import dev.heinit.examples.report.ValidationCell;

/**
 * The fixed matrix {@code validate} trains: the plain net under five activations, each with the inits users have
 * today (he-relu, xavier) next to the library's (he with the activation's gain, he-fanout, he-critical, he-auto,
 * lsuv, lsuv-small); and the deep residual ReLU net, where plain He is expected to blow up (each block adds the variance of its
 * branch to the stream).
 */
public final class ValidationMatrix {

    /** The plain net's activations. */
    public static final List<HiddenActivation> PLAIN_ACTIVATIONS = List.of(
            HiddenActivation.RELU,
            HiddenActivation.parse("leaky:0.2"),
            HiddenActivation.parse("gelu"),
            HiddenActivation.parse("silu"),
            HiddenActivation.parse("tanh"));
    /** The plain net's inits. */
    public static final List<InitScheme> PLAIN_INITS = List.of(
            InitScheme.HE,
            InitScheme.HE_RELU,
            InitScheme.HE_FANOUT,
            InitScheme.HE_CRITICAL,
            InitScheme.HE_AUTO,
            InitScheme.LSUV,
            InitScheme.LSUV_SMALL,
            InitScheme.XAVIER);
    /** The plain net's inits under {@code --quick}. */
    public static final List<InitScheme> PLAIN_INITS_QUICK =
            List.of(InitScheme.HE, InitScheme.HE_RELU, InitScheme.HE_CRITICAL, InitScheme.LSUV);
    /** The residual net's inits (ReLU). */
    public static final List<InitScheme> RESIDUAL_INITS =
            List.of(InitScheme.HE, InitScheme.HE_AUTO, InitScheme.LSUV, InitScheme.XAVIER);
    /** The residual net's inits under {@code --quick}. */
    public static final List<InitScheme> RESIDUAL_INITS_QUICK = List.of(InitScheme.HE, InitScheme.LSUV);

    /**
     * Order in which the runs start: the plain inits one at a time across all activations (what users have today
     * first, then the library's), then the residual net, so that an invocation cut short still covers every
     * activation for the inits it reached.
     */
    static final List<InitScheme> RUN_ORDER = List.of(
            InitScheme.HE_RELU,
            InitScheme.HE,
            InitScheme.HE_CRITICAL,
            InitScheme.LSUV,
            InitScheme.LSUV_SMALL,
            InitScheme.XAVIER,
            InitScheme.HE_AUTO,
            InitScheme.HE_FANOUT);

    private ValidationMatrix() {}

    /** The cells in the order their runs start (see {@link #RUN_ORDER}); the report keeps {@link #cells}'s order. */
    public static List<ValidationCell> runOrder(List<ValidationCell> cells) {
        List<ValidationCell> r = new ArrayList<>(cells);
        r.sort(java.util.Comparator.comparing((ValidationCell c) -> c.arch() != Arch.PLAIN)
                .thenComparingInt(
                        c -> RUN_ORDER.indexOf(c.init()) < 0 ? RUN_ORDER.size() : RUN_ORDER.indexOf(c.init())));
        return r;
    }

    /** The cells in report order: the plain net by activation and init, then the residual net. */
    public static List<ValidationCell> cells(
            boolean quick, int plainDepth, int residualDepth, int plainEpochs, int residualEpochs) {
        List<ValidationCell> c = new ArrayList<>();
        for (HiddenActivation a : PLAIN_ACTIVATIONS) {
            for (InitScheme i : quick ? PLAIN_INITS_QUICK : PLAIN_INITS) {
                c.add(new ValidationCell(Arch.PLAIN, plainDepth, a, i, plainEpochs));
            }
        }
        for (InitScheme i : quick ? RESIDUAL_INITS_QUICK : RESIDUAL_INITS) {
            c.add(new ValidationCell(Arch.RESIDUAL, residualDepth, HiddenActivation.RELU, i, residualEpochs));
        }
        return c;
    }
}
