package dev.heinit.internal.dl4j;

import org.nd4j.linalg.activations.IActivation;

/**
 * What a parameter-free node does to the signal through it, stated once for both directions of the configuration
 * pass: the forward second-moment rule and the backward derivative-moment rule read the same {@code Transfer}, so
 * they cannot disagree about a node. With x the input, y the output and g the gradient at y:
 *
 * <ul>
 *   <li>{@link Kind#IDENTITY}: y = x and g passes unchanged (dropout, shape vertices, loss layers);
 *   <li>{@link Kind#LOOKED_THROUGH}: taken as the identity both ways, with a caveat (padding, cropping, …);
 *   <li>{@link Kind#SCALE}: y = c·x, second moments ×c² both ways (ScaleVertex; LRN at init, c = k^−β);
 *   <li>{@link Kind#ACTIVATION}: y = g(x): E[g(x)²] forward, E[g'(x)²] backward;
 *   <li>{@link Kind#NORMALIZE}: batch normalization: unit variance forward, gradient looked through;
 *   <li>{@link Kind#POOL}: a pooling window of n inputs, its forward and backward rule in {@link PoolTransfer};
 *   <li>{@link Kind#SUM}, {@link Kind#SUBTRACT}, {@link Kind#AVERAGE}: y = Σ±xᵢ (or the mean), each input gets
 *       g (or g/n);
 *   <li>{@link Kind#CONCAT}: y = [x₁, x₂, …], each input gets its slice of g;
 *   <li>{@link Kind#WEIGHTED}: a layer with weights, configured by the pass;
 *   <li>{@link Kind#UNKNOWN}, {@link Kind#UNSUPPORTED}: not modelled (unit second moment assumed both ways).
 * </ul>
 */
public final class Transfer {

    /** The families of transfer. */
    public enum Kind {
        IDENTITY,
        LOOKED_THROUGH,
        SCALE,
        ACTIVATION,
        NORMALIZE,
        POOL,
        SUM,
        SUBTRACT,
        AVERAGE,
        CONCAT,
        WEIGHTED,
        UNKNOWN,
        UNSUPPORTED
    }

    /** Pooling statistics. */
    public enum Pool {
        MAX,
        AVG,
        SUM,
        PNORM
    }

    private final Kind kind;
    private final double factor;
    private final IActivation activation;
    private final PoolTransfer pooling;
    private final String forwardNote;
    private final String backwardNote;

    private Transfer(
            Kind kind,
            double factor,
            IActivation activation,
            PoolTransfer pooling,
            String forwardNote,
            String backwardNote) {
        this.kind = kind;
        this.factor = factor;
        this.activation = activation;
        this.pooling = pooling;
        this.forwardNote = forwardNote;
        this.backwardNote = backwardNote;
    }

    static Transfer identity() {
        return new Transfer(Kind.IDENTITY, 1, null, null, null, null);
    }

    /** Identity with a caveat forward (what is not modelled) and a note backward (null: none). */
    static Transfer lookedThrough(String forwardNote, String backwardNote) {
        return new Transfer(Kind.LOOKED_THROUGH, 1, null, null, forwardNote, backwardNote);
    }

    static Transfer scale(double c, String note) {
        return new Transfer(Kind.SCALE, c, null, null, note, note);
    }

    static Transfer activation(IActivation g) {
        return new Transfer(Kind.ACTIVATION, 1, g, null, null, null);
    }

    static Transfer normalize(String backwardNote) {
        return new Transfer(Kind.NORMALIZE, 1, null, null, null, backwardNote);
    }

    /** A pool; the notes say what is assumed where {@code pooling} does not model it (sum, p-norm, …). */
    static Transfer pool(PoolTransfer pooling, String forwardNote, String backwardNote) {
        return new Transfer(Kind.POOL, 1, null, pooling, forwardNote, backwardNote);
    }

    static Transfer of(Kind kind) {
        return new Transfer(kind, 1, null, null, null, null);
    }

    static Transfer unsupported(String reason) {
        return new Transfer(Kind.UNSUPPORTED, 1, null, null, reason, reason);
    }

    /** The kind of transfer. */
    public Kind kind() {
        return kind;
    }

    /** The factor c of {@link Kind#SCALE} (1 otherwise). */
    public double factor() {
        return factor;
    }

    /** The activation g of {@link Kind#ACTIVATION}, else null. */
    public IActivation activation() {
        return activation;
    }

    /** The forward and backward rule of {@link Kind#POOL}, else null. */
    public PoolTransfer pooling() {
        return pooling;
    }

    /** What the forward rule does not model, for the plan (null: nothing); the reason of UNSUPPORTED. */
    public String forwardNote() {
        return forwardNote;
    }

    /** What the backward rule does not model (null: it notes nothing); the reason of UNSUPPORTED. */
    public String backwardNote() {
        return backwardNote;
    }

    @Override
    public String toString() {
        return kind
                + (kind == Kind.SCALE ? "(" + factor + ")" : "")
                + (activation == null ? "" : "(" + activation + ")")
                + (pooling == null ? "" : "(" + pooling + ")");
    }
}
