package dev.heinit.keras;

import java.util.List;
import java.util.stream.Collectors;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import dev.heinit.config.HeConfigurer;
import dev.heinit.config.InitPlan;
import dev.heinit.fan.Fan;
import dev.heinit.fan.FanConvention;
import dev.heinit.fan.Fans;
import dev.heinit.internal.dl4j.FanOverrideInit;
import dev.heinit.internal.dl4j.InitSlot;
import dev.heinit.internal.dl4j.NetworkView;
import dev.heinit.internal.dl4j.WeightSlot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One weight, one {@link WeightSlot}: the layer's rule hands out the slots DL4J initializes, and the configuration
 * plan's rows and the Keras plan's rows carry those very slots (layer, type, key, shape, DL4J's fans, the init slot
 * DL4J reads), differing only in the fans drawn with — the true fans in one, Keras's in the other. The init each pass
 * sets on the slot DL4J reads serves the weight with the row's fans. Over the layer families whose slots differ:
 * a lookup, a Bidirectional (both directions read the wrapped layer's slot 0), an LSTM (input and recurrent inits).
 */
class WeightSlotAgreementTest {

    private static MultiLayerConfiguration net() {
        return new NeuralNetConfiguration.Builder()
                .seed(3)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder()
                        .name("emb")
                        .nIn(20)
                        .nOut(8)
                        .build())
                .layer(bidirectional())
                .layer(new LSTM.Builder()
                        .name("lstm")
                        .nIn(12)
                        .nOut(5)
                        .activation(Activation.TANH)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nIn(5)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
    }

    private static Bidirectional bidirectional() {
        Bidirectional b = new Bidirectional(
                new LSTM.Builder().nIn(8).nOut(6).activation(Activation.TANH).build());
        b.setLayerName("bi");
        return b;
    }

    private static String glorot() {
        return "{\"class_name\":\"VarianceScaling\",\"config\":{\"scale\":1.0,\"mode\":\"fan_avg\","
                + "\"distribution\":\"uniform\",\"seed\":null}}";
    }

    private static String lstm(String name, int units) {
        return "{\"class_name\":\"LSTM\",\"config\":{\"name\":\"" + name + "\",\"units\":" + units
                + ",\"return_sequences\":true,\"activation\":\"tanh\",\"kernel_initializer\":" + glorot()
                + ",\"recurrent_initializer\":{\"class_name\":\"Orthogonal\",\"config\":{\"gain\":1.0,\"seed\":null}},"
                + "\"bias_initializer\":{\"class_name\":\"Zeros\",\"config\":{}},\"use_bias\":true}}";
    }

    private static String keras() {
        return "{\"class_name\":\"Sequential\",\"keras_version\":\"2.0.8\",\"config\":["
                + "{\"class_name\":\"Embedding\",\"config\":{\"name\":\"emb\",\"input_dim\":20,\"output_dim\":8,"
                + "\"embeddings_initializer\":{\"class_name\":\"RandomUniform\",\"config\":{\"minval\":-0.05,"
                + "\"maxval\":0.05,\"seed\":null}}}},"
                + "{\"class_name\":\"Bidirectional\",\"config\":{\"name\":\"bi\",\"merge_mode\":\"concat\",\"layer\":"
                + lstm("lstm_bi", 6) + "}}," + lstm("lstm", 5) + ","
                + "{\"class_name\":\"Dense\",\"config\":{\"name\":\"out\",\"units\":3,\"activation\":\"softmax\","
                + "\"kernel_initializer\":" + glorot()
                + ",\"bias_initializer\":{\"class_name\":\"Zeros\",\"config\":{}}}}]}";
    }

    @Test
    void plansCarryTheRulesSlotsAndTheInitsServeThem() {
        MultiLayerConfiguration conf = net();
        InitPlan plan = HeConfigurer.plan(conf);
        KerasReinit.Result<MultiLayerConfiguration> keras = KerasReinit.reinitialize(conf, keras());
        NetworkView configured = NetworkView.of(HeConfigurer.apply(conf));
        NetworkView reinitialized = NetworkView.of(keras.configuration());
        int slots = 0;
        for (NetworkView.Node n : NetworkView.of(conf).nodes()) {
            if (n.kind() != NetworkView.Kind.LAYER) {
                continue;
            }
            String name = n.displayName();
            List<WeightSlot> fromRule = n.rule().weightSlots(name);
            assertFalse(fromRule.isEmpty(), name);
            for (WeightSlot s : fromRule) {
                slots++;
                assertEquals(name, s.layer());
                assertEquals(n.rule().type(), s.type());
                assertTrue(Double.isNaN(s.fanIn()) && Double.isNaN(s.fanOut()), s + ": fans not chosen by the rule");

                List<InitPlan.Row> rows = plan.rows(name, s.key());
                assertEquals(1, rows.size(), name + "/" + s.key() + " in\n" + plan);
                WeightSlot planned = rows.get(0).weight();
                Fan trueFans = Fans.of(n.layer(), s.key(), FanConvention.STRIDE_IGNORED, null);
                assertEquals(s.withFans(trueFans.in(), trueFans.out()), planned, "plan row of " + s);

                List<KerasPlan.Row> kRows = keras.plan().rows().stream()
                        .filter(r -> r.layer().equals(name) && r.param().equals(s.key()))
                        .collect(Collectors.toList());
                assertEquals(1, kRows.size(), name + "/" + s.key() + " in\n" + keras.plan());
                assertEquals(KerasPlan.Change.REINITIALIZED, kRows.get(0).change(), s.toString());
                Fan kerasFans = Fans.of(n.layer(), s.key(), FanConvention.KERAS, null);
                assertEquals(
                        s.withFans(kerasFans.in(), kerasFans.out()),
                        kRows.get(0).weight(),
                        "Keras row of " + s);

                assertServes(configured, s, planned);
                assertServes(reinitialized, s, kRows.get(0).weight());
            }
        }
        assertEquals(1 + 4 + 2 + 1, slots, "emb W; bi fW fRW bW bRW; lstm W RW; out W");
        assertEquals(
                0,
                NetworkView.of(conf).node("1").rule().weightSlots("bi").get(2).initSlot(),
                "bW through slot 0");
    }

    /** The init on the slot DL4J reads for {@code s}, asked as DL4J asks it, draws with {@code drawn}'s fans. */
    private static void assertServes(NetworkView view, WeightSlot s, WeightSlot drawn) {
        InitSlot slot = view.node(view.nodes().stream()
                        .filter(x -> x.displayName().equals(s.layer()))
                        .findFirst()
                        .orElseThrow()
                        .name())
                .rule()
                .initSlots()
                .get(s.initSlot());
        IWeightInit init = s.recurrent() ? slot.recurrentWeightInit() : slot.weightInit();
        assertTrue(init instanceof FanOverrideInit, s + ": " + init);
        FanOverrideInit.Entry e = ((FanOverrideInit<?>) init).entryFor(s.dl4jFanIn(), s.dl4jFanOut(), s.shape());
        assertNotNull(e, s + " not served by " + init);
        assertEquals(drawn.drawnPart(), e.weight(), s.toString());
    }
}
