package dev.heinit.internal.dl4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * What DL4J passes to a layer's weight inits: runs the layer's own {@code ParamInitializer} on a JSON copy whose
 * init slots record each call, then names each call's parameter by matching its shape (then its length) against
 * the parameter table the initializer returns. The caller's layer is never touched.
 */
public final class InitCallRecorder {

    private InitCallRecorder() {}

    /**
     * The init calls DL4J makes for {@code layer}, in call order.
     *
     * @throws IllegalArgumentException if layer is null
     * @throws IllegalStateException    if the layer cannot be copied through JSON or a call's parameter cannot be told
     * @throws RuntimeException         whatever DL4J's initializer throws for this layer
     */
    public static List<InitCall> record(Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("layer must be a DL4J layer configuration, got null");
        }
        Layer copy = deepCopy(layer);
        List<InitSlot> bases = LayerRules.of(copy).initSlots();
        List<Raw> raw = new ArrayList<>();
        for (int i = 0; i < bases.size(); i++) {
            bases.get(i).setWeightInit(new Recorder(raw, i, InitCall.Slot.WEIGHT));
            if (bases.get(i).isRecurrent()) {
                bases.get(i).setRecurrentWeightInit(new Recorder(raw, i, InitCall.Slot.RECURRENT));
            }
        }
        NeuralNetConfiguration nnc = new NeuralNetConfiguration();
        nnc.setLayer(copy);
        long n = copy.initializer().numParams(nnc);
        INDArray view = Nd4j.create(DataType.FLOAT, n); // rank 1, as DL4J passes it (OCNN indexes axis 0)
        Map<String, INDArray> params = copy.initializer().init(nnc, view, true);
        List<String> unused = new ArrayList<>(params.keySet());
        List<InitCall> out = new ArrayList<>();
        for (Raw c : raw) {
            String key = null;
            for (String k : unused) {
                if (Arrays.equals(params.get(k).shape(), c.shape)) {
                    key = k;
                    break;
                }
            }
            if (key == null) {
                long len = 1;
                for (long s : c.shape) {
                    len *= s;
                }
                for (String k : unused) {
                    if (params.get(k).length() == len) {
                        key = k;
                        break;
                    }
                }
            }
            if (key == null) {
                throw new IllegalStateException("cannot tell which parameter of "
                        + layer.getClass().getSimpleName() + " DL4J initializes with shape " + Arrays.toString(c.shape)
                        + "; parameters: " + params.keySet());
            }
            unused.remove(key);
            out.add(new InitCall(c.base, c.slot, key, c.shape, c.fanIn, c.fanOut));
        }
        return Collections.unmodifiableList(out);
    }

    /** Through JSON: Layer.clone() shares a Bidirectional's inner layers, and the recorders must not leak. */
    private static Layer deepCopy(Layer layer) {
        try {
            ObjectMapper m = NeuralNetConfiguration.mapper();
            return m.readValue(m.writerFor(Layer.class).writeValueAsString(layer), Layer.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy layer " + layer.getLayerName() + " through JSON", e);
        }
    }

    private static final class Raw {
        final int base;
        final InitCall.Slot slot;
        final double fanIn;
        final double fanOut;
        final long[] shape;

        Raw(int base, InitCall.Slot slot, double fanIn, double fanOut, long[] shape) {
            this.base = base;
            this.slot = slot;
            this.fanIn = fanIn;
            this.fanOut = fanOut;
            this.shape = shape.clone();
        }
    }

    /** Records calls; deliberately not serializable, it lives only on a throw-away copy. */
    private static final class Recorder implements IWeightInit {
        private static final long serialVersionUID = 1L;
        private final transient List<Raw> calls;
        private final int base;
        private final InitCall.Slot slot;

        Recorder(List<Raw> calls, int base, InitCall.Slot slot) {
            this.calls = calls;
            this.base = base;
            this.slot = slot;
        }

        @Override
        public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
            calls.add(new Raw(base, slot, fanIn, fanOut, shape));
            return paramView.reshape(order, shape);
        }
    }
}
