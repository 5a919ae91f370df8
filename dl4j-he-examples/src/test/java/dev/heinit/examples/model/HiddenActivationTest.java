package dev.heinit.examples.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.heinit.HeInit;
import dev.heinit.Nonlinearity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --activation values parse, round-trip, and give He the gain of the function that runs. */
class HiddenActivationTest {

    @ParameterizedTest
    @ValueSource(strings = {"relu", "leaky:0.2", "leaky:0", "gelu", "silu", "tanh", "elu", "selu"})
    void validValuesRoundTrip(String v) {
        HiddenActivation a = HiddenActivation.parse(v);
        assertEquals(a, HiddenActivation.parse(a.cliName()));
        assertEquals(a, HiddenActivation.parse(v.toUpperCase()));
        assertTrue(Double.isFinite(a.nonlinearity().forwardGain()), v);
        assertTrue(!a.cliName().contains(","), "a metrics.csv value: " + a.cliName());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "foo",
                "",
                "leaky",
                "leaky:",
                "leaky:abc",
                "leaky:1",
                "leaky:1.5",
                "leaky:-0.1",
                "leaky:NaN",
                "leaky:Infinity",
                "relu6"
            })
    void invalidValuesNameTheValueAndListTheValidOnes(String v) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HiddenActivation.parse(v));
        assertTrue(e.getMessage().contains("'" + (v.startsWith("leaky:") ? v.substring(6) : v) + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(HiddenActivation.VALID), e.getMessage());
    }

    @Test
    void leakyGainIsClosedForm() {
        assertEquals(
                Math.sqrt(2 / 1.04),
                HiddenActivation.parse("leaky:0.2").nonlinearity().forwardGain(),
                1e-12);
        assertEquals(Math.sqrt(2), HiddenActivation.RELU.nonlinearity().forwardGain(), 1e-12);
    }

    @Test
    void heUsesTheActivationsGainAndHeReluAlwaysSqrt2() {
        for (String v : new String[] {"relu", "leaky:0.2", "gelu", "silu", "tanh", "elu", "selu"}) {
            HiddenActivation a = HiddenActivation.parse(v);
            Nonlinearity n = a.nonlinearity();
            double he = ((HeInit) InitScheme.HE.layerInit(a)).std(144, 144);
            double heRelu = ((HeInit) InitScheme.HE_RELU.layerInit(a)).std(144, 144);
            double fanout = ((HeInit) InitScheme.HE_FANOUT.layerInit(a)).std(144, 72);
            assertEquals(n.forwardGain() / Math.sqrt(144), he, 1e-9, v);
            assertEquals(Math.sqrt(2.0 / 144), heRelu, 1e-9, v);
            assertEquals(n.backwardGain() / Math.sqrt(72), fanout, 1e-9, v);
        }
        // SiLU: the exact gain is 1.6765, 18.5 % above ReLU's (the library's table)
        HiddenActivation silu = HiddenActivation.parse("silu");
        assertEquals(1.6765, silu.nonlinearity().forwardGain(), 1e-4);
    }
}
