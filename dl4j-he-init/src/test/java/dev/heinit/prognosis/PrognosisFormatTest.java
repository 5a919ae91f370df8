package dev.heinit.prognosis;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.heinit.diagnostics.Evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text and JSON forms of a prognosis, pinned. */
class PrognosisFormatTest {

    @Test
    void jsonIsPinned() {
        Prognosis p = new Prognosis(
                Prediction.STALLS,
                List.of(
                        new Evidence("loss_ratio", "-", 0.998, 0.95),
                        new Evidence("forward_ratio_end", "layer0->layer28", 1.5e-4, Double.NaN)),
                "stalls: the \"signal\" vanishes",
                1,
                35,
                4.25,
                Double.NaN);
        assertEquals(
                "{\"format\":\"dl4j-he-prognosis/1\",\"prediction\":\"STALLS\","
                        + "\"sentence\":\"stalls: the \\\"signal\\\" vanishes\",\"seed\":1,\"steps\":35,"
                        + "\"probe_cpu_s\":4.25000,\"step_cpu_s\":null,\"evidence\":["
                        + "{\"signal\":\"loss_ratio\",\"layer\":\"-\",\"value\":0.998000,\"threshold\":0.950000},"
                        + "{\"signal\":\"forward_ratio_end\",\"layer\":\"layer0->layer28\",\"value\":0.000150000,"
                        + "\"threshold\":null}]}",
                p.toJson());
        assertEquals("STALLS: stalls: the \"signal\" vanishes\n  loss_ratio = 0.998 (threshold 0.950)", p.toText());
        assertEquals(1, p.decisive().size());
    }
}
