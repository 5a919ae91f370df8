package dev.heinit.examples.report;

import java.util.List;
import java.util.Map;

/**
 * What a run says about itself besides its numbers, by run label: the prognosis measured before its first step and
 * the early warnings the training listener raised during it (in the order they fired).
 *
 * @param prognoses prognosis by run label (runs that got that far)
 * @param warnings  early warnings by run label (runs that raised any)
 */
public record RunNotes(Map<String, RunPrognosis> prognoses, Map<String, List<String>> warnings) {

    /** No prognoses, no warnings. */
    public static RunNotes none() {
        return new RunNotes(Map.of(), Map.of());
    }

    /** The run's prognosis, or {@link RunPrognosis#failed} saying there was none. */
    public RunPrognosis prognosis(String label) {
        return prognoses.getOrDefault(label, RunPrognosis.failed("no prognosis recorded"));
    }

    /** The run's early warnings, empty if none. */
    public List<String> warnings(String label) {
        return warnings.getOrDefault(label, List.of());
    }
}
