package dev.heinit.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a Python that imports torch, bench --vs-pytorch says how to get PyTorch and exits 2. */
class BenchVsPytorchTest {

    @Test
    void withoutTorchItSaysHowToGetItAndExitsTwo() {
        Cli r = Cli.run("bench", "--vs-pytorch", "--python", "/nonexistent/python3");
        assertEquals(2, r.code, r.out + r.err);
        assertTrue(r.err.contains("/nonexistent/python3") && r.err.contains("apt-get install python3-torch"), r.err);
        assertTrue(r.err.contains("pip install torch"), r.err);
        assertTrue(r.out.isEmpty(), "nothing measured: " + r.out);
    }
}
