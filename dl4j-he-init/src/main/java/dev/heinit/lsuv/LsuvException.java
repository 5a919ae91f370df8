package dev.heinit.lsuv;

/**
 * LSUV failed; the network's parameters were restored bitwise before this was thrown. {@link #reason()} says
 * why, {@link #layer()} where (a layer or vertex name, {@code "batch"} for problems found before any layer ran).
 */
public final class LsuvException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why LSUV failed. */
    public enum Reason {
        /** The batch has no examples. */
        EMPTY_BATCH,
        /** The batch contains NaN or ±∞. */
        NON_FINITE_BATCH,
        /** The batch does not fit the network (a layer's forward pass rejected it). */
        INCOMPATIBLE_BATCH,
        /** A layer's output (or pre-activation) contains NaN or ±∞. */
        NON_FINITE_OUTPUT,
        /** A layer's measured output has zero variance (a dead layer): no rescaling can fix it. */
        ZERO_VARIANCE,
        /** {@code strict(true)} and a layer did not reach the tolerance within {@code maxIterations}. */
        NOT_CONVERGED
    }

    private final Reason reason;
    private final String layer;

    LsuvException(Reason reason, String layer, String detail, Throwable cause) {
        super(
                "LSUV failed at " + layer + " (" + reason + "): " + detail + "; the network's parameters were restored",
                cause);
        this.reason = reason;
        this.layer = layer;
    }

    /** Why LSUV failed. */
    public Reason reason() {
        return reason;
    }

    /** The layer (name, or {@code "layer i"} when unnamed) or {@code "batch"}. */
    public String layer() {
        return layer;
    }
}
