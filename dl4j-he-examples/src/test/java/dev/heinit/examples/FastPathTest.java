package dev.heinit.examples;

import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;

import dev.heinit.HeInit;
import dev.heinit.examples.data.Datasets;
import dev.heinit.examples.data.ImageData;
import dev.heinit.examples.fast.FastPath;
import dev.heinit.examples.model.ImageShape;
import dev.heinit.examples.model.Models;
import dev.heinit.examples.model.TrainSetup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The oneDNN fast path is really used on Linux x86-64 (where the build puts nd4j-native's oneDNN binary on the
 * classpath), and it trains to the same losses as DL4J's stock path. Layer helpers are chosen when a layer is
 * constructed, so both paths can be built in one JVM.
 */
class FastPathTest {

    private static boolean linuxX64() {
        return System.getProperty("os.name").toLowerCase().contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
    }

    @AfterEach
    void restore() {
        FastPath.useHelpers(false);
    }

    @Test
    void statusReflectsTheSetting() {
        FastPath.useHelpers(false);
        FastPath.Status stock = FastPath.check();
        assertTrue(!stock.active() && stock.detail().contains("disabled"), stock.describe());
        FastPath.useHelpers(true);
        FastPath.Status fast = FastPath.check();
        assertEquals(linuxX64(), fast.active(), fast.describe());
        assertEquals(linuxX64(), FastPath.nativeOneDnn());
    }

    private static MultiLayerNetwork net(boolean fast) {
        FastPath.useHelpers(fast);
        MultiLayerNetwork n = new MultiLayerNetwork(Models.plainCnn(
                6,
                8,
                ImageShape.MNIST,
                HeInit.normal(),
                new TrainSetup(new Nesterovs(0.01, 0.9), 42, FastPath.cacheMode(fast))));
        n.init();
        return n;
    }

    @Test
    void fastAndStockLossesAgree() {
        // Off Linux x86-64 both networks would take the stock path: comparing stock with stock proves nothing.
        assumeTrue(linuxX64(), "the oneDNN fast path exists only on Linux x86-64");
        MultiLayerNetwork stock = net(false);
        MultiLayerNetwork fast = net(true);
        Object helper = ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) fast.getLayer(0)).getHelper();
        assertEquals(linuxX64(), helper instanceof MKLDNNConvHelper, "helper: " + helper);
        assertEquals(null, ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) stock.getLayer(0)).getHelper());
        assertArrayEquals(stock.params().toFloatVector(), fast.params().toFloatVector(), "same seed, same weights");

        ImageData d = Datasets.bundledMnist();
        for (int it = 0; it < 6; it++) {
            DataSet b = new DataSet(
                    d.train().getFeatures().get(NDArrayIndex.interval(it * 32, it * 32 + 32)),
                    d.train().getLabels().get(NDArrayIndex.interval(it * 32, it * 32 + 32)));
            stock.fit(b);
            fast.fit(b);
            double s = stock.score();
            double f = fast.score();
            // float32 sums in a different order: agreement to ~1e-5 relative; 1e-4 is the "4 decimals"
            assertEquals(s, f, 1e-4 * Math.max(1, Math.abs(s)), "iteration " + (it + 1));
        }
    }
}
