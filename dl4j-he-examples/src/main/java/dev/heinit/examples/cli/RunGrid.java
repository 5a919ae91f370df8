package dev.heinit.examples.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import dev.heinit.examples.model.InitScheme;

/**
 * The grid of runs that {@code compare} and {@code probe} share: depths × seeds × inits, each parsed and checked once
 * here (a bad value is a {@link CommandLine.ParameterException} naming it).
 */
final class RunGrid {

    @Option(
            names = "--depth",
            defaultValue = "30",
            description = "weight layers, conv + output (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--depths", split = ",", description = "several depths, e.g. 10,22,30 (overrides --depth)")
    List<Integer> depths;

    @Option(
            names = "--inits",
            split = ",",
            defaultValue = "he,xavier",
            description = "initializations (default: ${DEFAULT-VALUE}); valid: ${COMPLETION-CANDIDATES}",
            completionCandidates = InitNames.class)
    List<String> inits;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--seeds", split = ",", description = "several seeds, e.g. 1,2,3 (overrides --seed)")
    List<Long> seeds;

    /** --depths, else --depth; each at least 2. */
    List<Integer> depths(CommandLine cl) {
        List<Integer> ds = depths != null ? depths : List.of(depth);
        for (int d : ds) {
            TrainOptions.check(cl, d >= 2, "depth counts weight layers (conv + output) and must be >= 2, got " + d);
        }
        return ds;
    }

    /** --seeds, else --seed. */
    List<Long> seeds() {
        return seeds != null ? seeds : List.of(seed);
    }

    /** The inits by CLI name. */
    List<InitScheme> schemes(CommandLine cl) {
        List<InitScheme> schemes = new ArrayList<>();
        for (String n : inits) {
            try {
                schemes.add(InitScheme.byName(n));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
        }
        return schemes;
    }

    /** Candidate values for --inits help. */
    static final class InitNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        InitNames() {
            for (InitScheme s : InitScheme.values()) {
                add(s.cliName());
            }
        }
    }
}
