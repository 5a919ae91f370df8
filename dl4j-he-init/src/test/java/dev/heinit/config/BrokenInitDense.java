package dev.heinit.config;

import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A dense layer whose parameter initializer fails, as a third-party layer's might: the plan must go on. */
public class BrokenInitDense extends DenseLayer {

    private static final long serialVersionUID = 1L;

    public BrokenInitDense() {}

    BrokenInitDense(long nIn, long nOut) {
        setNIn(nIn);
        setNOut(nOut);
    }

    @Override
    public ParamInitializer initializer() {
        return new DefaultParamInitializer() {
            @Override
            public Map<String, INDArray> init(
                    NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
                throw new IllegalStateException("broken initializer");
            }
        };
    }
}
