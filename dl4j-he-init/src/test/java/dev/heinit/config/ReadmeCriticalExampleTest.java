package dev.heinit.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's "Critical configuration and the input's scale" example, verbatim between the markers, and what it does. */
class ReadmeCriticalExampleTest {

    @Test
    void readmeExampleCompilesAndRuns() {
        MultiLayerConfiguration conf = CriticalConfigTest.mlp(new ActivationTanH(), 30, 64, 3);
        Nd4j.getRandom().setSeed(3);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 32, 30).muli(0.55), null);
        // --- README begin
        HeConfigurer he = HeConfigurer.builder()
                .critical(0.2) // σ_b = 0.2: edge of chaos, per layer
                .inputMoments(batch) // a DataSet or INDArray(s); or .inputSecondMoment(0.1)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(he.configure(conf));
        net.init();
        he.drawBiases(net); // biases N(0, σ_b²), after init (also a ComputationGraph)
        System.out.println(he.planFor(conf).toText()); // columns σ_w, σ_b, q*, χ per weight
        // --- README end
        InitPlan plan = he.planFor(conf);
        assertTrue(plan.isCritical());
        assertEquals(1.3041, plan.rows("layer1", "W").get(0).sigmaW(), 5e-5); // tanh at σ_b 0.2, README's table
        assertTrue(net.getParam("0_b").std().getDouble(0) > 0.1, "biases drawn, σ_b 0.2");
        assertEquals(List.of("layer0", "layer1", "layer2", "layer3"), he.drawBiases(net));
    }

    /** The lines between the markers above appear in README.md, in order, as the example's code block. */
    @Test
    void readmeShowsThisCode() throws Exception {
        Path here = Paths.get("src/test/java/dev/heinit/config/ReadmeCriticalExampleTest.java");
        List<String> src = Files.readAllLines(here, StandardCharsets.UTF_8);
        List<String> snippet =
                src.subList(src.indexOf("        // --- README begin") + 1, src.indexOf("        // --- README end"));
        String readme = new String(Files.readAllBytes(Paths.get("../README.md")), StandardCharsets.UTF_8);
        StringBuilder block = new StringBuilder();
        for (String line : snippet) {
            block.append(line.substring(8)).append('\n');
        }
        assertTrue(
                readme.contains("```java\n" + block + "```"), "README's example differs from this test's:\n" + block);
    }
}
