package dev.heinit.lsuv;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LsuvReportTextTest {

    /**
     * The text form ends every line with '\n' whatever the platform (as InitPlan and SignalReport do). On a
     * platform whose line separator is '\n' this cannot tell the old {@code %n} apart; it pins the contract.
     */
    @Test
    void textUsesLineFeedOnly() {
        LsuvReport r = new LsuvReport(
                List.of(
                        new LayerResult(
                                0,
                                "d0",
                                "DenseLayer",
                                LayerResult.Status.ADJUSTED,
                                Measure.PRE_ACTIVATION,
                                true,
                                3,
                                2.5,
                                1.01,
                                0.63,
                                true,
                                ""),
                        new LayerResult(
                                1,
                                "bn",
                                "BatchNormalization",
                                LayerResult.Status.PASS_THROUGH,
                                null,
                                false,
                                0,
                                1.0,
                                1.0,
                                1.0,
                                true,
                                "no weights")),
                1.0,
                0.1,
                10,
                64);
        String text = r.toText();
        assertFalse(text.contains("\r"), text);
        assertTrue(text.endsWith("\n"), text);
        assertEquals(5, text.split("\n", -1).length, text); // summary, header, 2 rows, then the empty tail
    }
}
