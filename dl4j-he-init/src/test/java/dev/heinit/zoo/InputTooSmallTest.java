package dev.heinit.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;

import dev.heinit.config.HeConfigurer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's zoo ResNet50 needs about 200×200 pixels: at 64×64 its strides and pools shrink a map to 0×0, which DL4J
 * only logs (and leaves the classifier's nIn at 0). The pass names the first empty node, or the layer with the empty
 * weight, instead of failing on a NaN gain.
 */
class InputTooSmallTest {

    private static ComputationGraphConfiguration resNet50(int size) {
        return ResNet50.builder()
                .numClasses(10)
                .inputShape(new int[] {3, size, size})
                .build()
                .graphBuilder()
                .build();
    }

    @Test
    void resNet50AtSixtyFourPixelsNamesTheFirstEmptyNode() {
        ComputationGraphConfiguration conf = resNet50(64);
        // with the input type: the first node DL4J's shapes leave empty
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> HeConfigurer.builder()
                        .inputType(InputType.convolutional(64, 64, 3))
                        .plan(conf));
        assertTrue(
                e.getMessage().startsWith("avgpool (SubsamplingLayer) outputs InputTypeConvolutional(h=0,w=0"),
                e::getMessage);
        assertTrue(e.getMessage().contains("h=64,w=64") && e.getMessage().contains("too small"), e::getMessage);
        // without: the layer whose nIn DL4J left at 0
        IllegalArgumentException noTypes = assertThrows(IllegalArgumentException.class, () -> HeConfigurer.plan(conf));
        assertTrue(
                noTypes.getMessage().startsWith("layer 'output' (OutputLayer): weight 'W' has shape [0, 10]"),
                noTypes::getMessage);
        // the same network at its intended size plans
        assertTrue(HeConfigurer.builder()
                        .inputType(InputType.convolutional(224, 224, 3))
                        .plan(resNet50(224))
                        .rows()
                        .size()
                > 50);
    }
}
