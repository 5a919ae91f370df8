package dev.heinit.internal.text;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextTableTest {

    @Test
    void alignsLeftAndRightAndDropsTrailingBlanks() {
        String t = TextTable.aligned(
                List.of(new String[] {"name", "n", "note"}, new String[] {"a", "10", ""}, new String[] {
                    "long name", "7", "x"
                }),
                c -> c == 1);
        assertEquals("name        n  note\n" + "a          10\n" + "long name   7  x\n", t);
    }

    @Test
    void csvQuotesOnlyWhatMustBe() {
        assertEquals("plain", TextTable.csvField("plain"));
        assertEquals("\"a,b\"", TextTable.csvField("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", TextTable.csvField("say \"hi\""));
        assertEquals("\"two\nlines\"", TextTable.csvField("two\nlines"));
        assertEquals("x,\"y,z\",\n", TextTable.csvRow("x", "y,z", ""));
    }

    @Test
    void numbersWholeAsIntegersOthersToSignificantDigits() {
        assertEquals("", TextTable.number(Double.NaN, 6));
        assertEquals("-42", TextTable.number(-42.0, 6));
        assertEquals("0.0441942", TextTable.number(0.044194173824159216, 6));
        assertEquals("0.04419", TextTable.number(0.044194173824159216, 4));
        assertEquals("1.00000e+12", TextTable.number(1e12, 6));
        assertEquals("Infinity", TextTable.number(Double.POSITIVE_INFINITY, 6));
        assertThrows(IllegalArgumentException.class, () -> TextTable.number(1.5, 0));
        assertEquals("9/18", TextTable.fans(9, 18, v -> TextTable.number(v, 6)));
        assertEquals("NaN/2.5", TextTable.fans(Double.NaN, 2.5, v -> Double.toString(v)));
        assertEquals("", TextTable.fans(Double.NaN, Double.NaN, v -> "x"));
    }
}
