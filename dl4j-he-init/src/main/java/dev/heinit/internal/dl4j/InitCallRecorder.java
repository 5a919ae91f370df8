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
 * the parameter table the initializer returns. The caller's layer is never touched. Behind
 * {@link LayerRule#weightSlots}.
 */
final class InitCallRecorder {

    private InitCallRecorder() {}

    /**
     * The init calls DL4J makes for {@code layer}, in call order, as weight slots of layer {@code name} (fans to draw
     * with not chosen).
     *
     * @throws IllegalArgumentException if layer is null
     * @throws IllegalStateException    if the layer cannot be copied through JSON or a call's parameter cannot be told
     * @throws RuntimeException         whatever DL4J's initializer throws for this layer
     */
    static List<WeightSlot> record(Layer layer, String name) {
        if (layer == null) {
            throw new IllegalArgumentException("layer must be a DL4J layer configuration, got null");
        }
        Layer copy = deepCopy(layer);
        LayerRule rule = LayerRules.of(copy);
        List<InitSlot> bases = rule.initSlots();
        List<Raw> raw = new ArrayList<>();
        for (int i = 0; i < bases.size(); i++) {
            bases.get(i).setWeightInit(new Recorder(raw, i, false));
            if (bases.get(i).isRecurrent()) {
                bases.get(i).setRecurrentWeightInit(new Recorder(raw, i, true));
            }
        }
        NeuralNetConfiguration nnc = new NeuralNetConfiguration();
        nnc.setLayer(copy);
        long n = copy.initializer().numParams(nnc);
        INDArray view = Nd4j.create(DataType.FLOAT, n); // rank 1, as DL4J passes it (OCNN indexes axis 0)
        Map<String, INDArray> params = copy.initializer().init(nnc, view, true);
        List<String> unused = new ArrayList<>(params.keySet());
        List<WeightSlot> out = new ArrayList<>();
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
            out.add(new WeightSlot(
                    name, rule.type(), key, c.base, c.recurrent, c.shape, c.fanIn, c.fanOut, Double.NaN, Double.NaN));
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
        final boolean recurrent;
        final double fanIn;
        final double fanOut;
        final long[] shape;

        Raw(int base, boolean recurrent, double fanIn, double fanOut, long[] shape) {
            this.base = base;
            this.recurrent = recurrent;
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
        private final boolean recurrent;

        Recorder(List<Raw> calls, int base, boolean recurrent) {
            this.calls = calls;
            this.base = base;
            this.recurrent = recurrent;
        }

        @Override
        public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
            calls.add(new Raw(base, recurrent, fanIn, fanOut, shape));
            return paramView.reshape(order, shape);
        }
    }
}
