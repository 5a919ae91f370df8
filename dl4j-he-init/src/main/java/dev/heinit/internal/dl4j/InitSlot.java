package dev.heinit.internal.dl4j;

import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.IActivation;

/**
 * The init slots of one DL4J {@code BaseLayer} inside a (possibly wrapped, possibly bidirectional) layer: the
 * weight init DL4J calls for its weights ({@code setWeightInitFn}), for a recurrent layer's recurrent weights
 * ({@code setWeightInitFnRecurrent}), and its constant bias. Two slots are equal when they hold the same layer
 * object.
 */
public final class InitSlot {

    private final BaseLayer base;

    InitSlot(BaseLayer base) {
        this.base = base;
    }

    /** The init DL4J calls for the layer's (input) weights. */
    public IWeightInit weightInit() {
        return base.getWeightInitFn();
    }

    /** Sets {@link #weightInit()}. */
    public void setWeightInit(IWeightInit init) {
        base.setWeightInitFn(init);
    }

    /** True if the layer has a separate init for recurrent weights. */
    public boolean isRecurrent() {
        return base instanceof BaseRecurrentLayer;
    }

    /** True for an LSTM (four gates stacked in one matrix). */
    public boolean isLstm() {
        return base instanceof AbstractLSTM;
    }

    /**
     * The init DL4J calls for the recurrent weights.
     *
     * @throws IllegalStateException if the layer is not recurrent
     */
    public IWeightInit recurrentWeightInit() {
        return recurrent().getWeightInitFnRecurrent();
    }

    /** Sets {@link #recurrentWeightInit()}. */
    public void setRecurrentWeightInit(IWeightInit init) {
        recurrent().setWeightInitFnRecurrent(init);
    }

    /** The constant DL4J fills the bias with. */
    public double biasInit() {
        return base.getBiasInit();
    }

    /** Sets {@link #biasInit()}. */
    public void setBiasInit(double value) {
        base.setBiasInit(value);
    }

    /** The layer's configured activation (an LSTM's cell activation). */
    public IActivation activation() {
        return base.getActivationFn();
    }

    private BaseRecurrentLayer recurrent() {
        if (!(base instanceof BaseRecurrentLayer)) {
            throw new IllegalStateException(
                    base.getClass().getSimpleName() + " '" + base.getLayerName() + "' has no recurrent weights");
        }
        return (BaseRecurrentLayer) base;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitSlot && ((InitSlot) o).base == base;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(base);
    }

    @Override
    public String toString() {
        return base.getClass().getSimpleName() + " '" + base.getLayerName() + "'";
    }
}
