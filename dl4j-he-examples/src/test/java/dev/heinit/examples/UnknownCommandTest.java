package dev.heinit.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An unknown command or stray argument exits 2 with the usage, whether or not --help is also given. */
class UnknownCommandTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"nosuch", "nosuch --help", "--help nosuch", "nosuch --verbose", "nosuch -h", "nosuch --version"})
    void unknownCommandExitsTwoListingTheCommands(String args) {
        Cli r = Cli.run(args.split(" "));
        assertEquals(2, r.code, () -> args + " -> " + r.out + r.err);
        assertTrue(r.err.contains("'nosuch'"), r.err);
        assertTrue(r.err.contains("Commands:"), r.err);
        for (String command : new String[] {"signal", "plan", "lsuv", "compare", "bench"}) {
            assertTrue(r.err.contains("\n  " + command + " "), () -> command + " not listed: " + r.err);
        }
        assertEquals("", r.out, "help must not also be printed as if it had been asked for");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plan nosuch --help", "compare --help nosuch", "bench init nosuch -h"})
    void strayArgumentOfACommandExitsTwoEvenWithHelp(String args) {
        Cli r = Cli.run(args.split(" "));
        assertEquals(2, r.code, () -> args + " -> " + r.out + r.err);
        assertTrue(r.err.contains("'nosuch'") && r.err.contains("Usage:"), r.err);
    }

    @Test
    void helpAndVerboseAreAcceptedEverywhere() {
        assertEquals(0, Cli.run("--help").code);
        assertEquals(0, Cli.run("plan", "--help", "--verbose").code);
        assertTrue(Cli.run("compare", "--help").out.contains("--verbose"));
    }

    @Test
    void versionPrintsVersionsBackendAndDevice() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("dl4j-he-examples ") && r.out.contains("DL4J/ND4J "), r.out);
        assertTrue(r.out.matches("(?s).*\nbackend CPU on .+, \\d+ cores.*"), r.out);
    }
}
