package dev.heinit.text;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
