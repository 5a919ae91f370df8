package dev.heinit.examples.train;

import java.util.ArrayList;
import java.util.List;

import dev.heinit.examples.model.Arch;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.InitScheme;

/**
 * The fixed matrix {@code validate} trains: the plain net under five activations, each with the inits users have
 * today (he-relu, xavier) next to the library's (he with the activation's gain, he-fanout, he-critical, he-auto,
 * lsuv); and the deep residual ReLU net, where plain He is expected to blow up (each block adds the variance of its
 * branch to the stream).
 */
public final class ValidationMatrix {

    /** The plain net's activations. */
    public static final List<HiddenActivation> PLAIN_ACTIVATIONS = List.of(HiddenActivation.RELU,
            HiddenActivation.parse("leaky:0.2"), HiddenActivation.parse("gelu"), HiddenActivation.parse("silu"),
            HiddenActivation.parse("tanh"));
    /** The plain net's inits. */
    public static final List<InitScheme> PLAIN_INITS = List.of(InitScheme.HE, InitScheme.HE_RELU, InitScheme.HE_FANOUT,
            InitScheme.HE_CRITICAL, InitScheme.HE_AUTO, InitScheme.LSUV, InitScheme.XAVIER);
    /** The plain net's inits under {@code --quick}. */
    public static final List<InitScheme> PLAIN_INITS_QUICK = List.of(InitScheme.HE, InitScheme.HE_RELU,
            InitScheme.HE_CRITICAL, InitScheme.LSUV);
    /** The residual net's inits (ReLU). */
    public static final List<InitScheme> RESIDUAL_INITS = List.of(InitScheme.HE, InitScheme.HE_AUTO, InitScheme.LSUV,
            InitScheme.XAVIER);
    /** The residual net's inits under {@code --quick}. */
    public static final List<InitScheme> RESIDUAL_INITS_QUICK = List.of(InitScheme.HE, InitScheme.LSUV);

    private ValidationMatrix() {
    }

    /**
     * The cells: the plain net by activation and init, then the residual net (its runs are the longest; listed last
     * they start once the plain runs are under way, so a run interrupted early still has every activation).
     */
    public static List<ValidationCell> cells(boolean quick, int plainDepth, int residualDepth, int plainEpochs,
                                             int residualEpochs) {
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
