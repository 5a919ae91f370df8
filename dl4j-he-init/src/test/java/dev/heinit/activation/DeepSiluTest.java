package dev.heinit.activation;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;
import dev.heinit.diagnostics.LayerSignal;
import dev.heinit.diagnostics.SignalPropagation;
import dev.heinit.diagnostics.SignalReport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failure that motivated the package: a 30-layer FLOAT SiLU MLP at the He gain (1.6765) amplifies the
 * signal (the variance map's fixed point q = 1 is unstable for SiLU; for large q SiLU acts like ReLU, a factor
 * 1.6765²/2 = 1.41 per layer), its pre-activations pass 44.4, and ND4J's swish derivative turns every δ below
 * that layer into NaN. The same weights with {@link SiLU} give finite δ everywhere. Checked on three
 * independently seeded networks, each in both versions.
 */
class DeepSiluTest {

    private static final int DEPTH = 30;
    private static final int WIDTH = 64;
    private static final int IN = 32;
    private static final int CLASSES = 10;

    private static MultiLayerNetwork mlp(IActivation act, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.01))
                .biasInit(0)
                .weightInit(HeInit.normal().nonlinearity(Nonlinearity.SILU))
                .list();
        for (int i = 0; i < DEPTH - 1; i++) {
            b.layer(new DenseLayer.Builder()
                    .nIn(i == 0 ? IN : WIDTH)
                    .nOut(WIDTH)
                    .activation(act)
                    .build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(WIDTH)
                .nOut(CLASSES)
                .activation(new ActivationSoftmax())
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, 32, IN);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, CLASSES);
        for (int i = 0; i < 32; i++) {
            y.putScalar(i, i % CLASSES, 1.0);
        }
        return new DataSet(x, y);
    }

    private static long nonFiniteDeltas(SignalReport r) {
        long n = 0;
        for (LayerSignal l : r.layers()) {
            n += l.delta().nonFiniteCount();
        }
        return n;
    }

    @Test
    void heInitializedSiluMlpHasFiniteDeltaOnlyWithTheStableActivation() {
        for (long seed = 1; seed <= 3; seed++) {
            MultiLayerNetwork dl4j = mlp(new ActivationSwish(), seed);
            MultiLayerNetwork ours = mlp(new SiLU(), seed);
            ours.setParams(dl4j.params());
            DataSet data = batch(100 + seed);

            SignalReport before = SignalPropagation.measure(dl4j, data);
            SignalReport after = SignalPropagation.measure(ours, data);

            LayerSignal last = before.layer(DEPTH - 2);
            assertTrue(
                    last.preActivation().std() > 44.4 / 5,
                    "seed " + seed + ": the signal was expected to explode, last hidden pre-activation std "
                            + last.preActivation().std());
            assertTrue(nonFiniteDeltas(before) > 0, "seed " + seed + ": ND4J's swish was expected to give NaN δ");
            assertEquals(0, nonFiniteDeltas(after), "seed " + seed + ": stable SiLU δ must be finite");
            for (int i = 0; i < DEPTH - 1; i++) {
                // The forward pass is the same function: statistics agree to float rounding.
                double want = before.layer(i).activation().std();
                assertEquals(want, after.layer(i).activation().std(), 1e-5 * want, "seed " + seed + " layer " + i);
                assertTrue(after.layer(i).delta().std() > 0, "seed " + seed + " layer " + i + ": δ vanished");
            }
        }
    }
}
