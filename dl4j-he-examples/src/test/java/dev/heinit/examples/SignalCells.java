package dev.heinit.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks on the report cells that carry the signal at init. {@code Double.parseDouble} alone accepts "NaN", so a
 * cell is asserted finite and in the range its meaning allows.
 */
final class SignalCells {

    private SignalCells() {}

    /** A cell holding a ratio or an RMS: finite and positive. */
    static double positiveFinite(String cell, String row) {
        double v = Double.parseDouble(cell.trim());
        assertTrue(Double.isFinite(v) && v > 0, "not a finite positive number: '" + cell + "' in " + row);
        return v;
    }

    /**
     * The verdicts agree with the forward and backward ratios under the library's default thresholds (0.1, 10):
     * VANISHING needs a ratio below 0.1, EXPLODING one above 10, and neither holds when both ratios are inside.
     */
    static void verdictsMatchRatios(String verdicts, double forward, double backward, String row) {
        assertTrue(verdicts.matches("[A-Z_+]+"), row);
        double lo = Math.min(forward, backward);
        double hi = Math.max(forward, backward);
        assertTrue(!verdicts.contains("VANISHING") || lo < 0.1, "VANISHING without a ratio < 0.1: " + row);
        assertTrue(!verdicts.contains("EXPLODING") || hi > 10, "EXPLODING without a ratio > 10: " + row);
        if (lo >= 0.1 && hi <= 10) {
            assertFalse(verdicts.contains("VANISHING") || verdicts.contains("EXPLODING"), row);
        }
    }
}
