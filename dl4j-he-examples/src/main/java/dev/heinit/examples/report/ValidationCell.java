package dev.heinit.examples.report;

import java.util.Objects;

import dev.heinit.examples.model.Arch;
import dev.heinit.examples.model.HiddenActivation;
import dev.heinit.examples.model.InitScheme;

/**
 * One cell of {@code validate}'s matrix: a network (architecture, depth, hidden activation) and an init.
 *
 * @param arch       plain or residual
 * @param depth      weight layers
 * @param activation hidden layers' nonlinearity
 * @param init       initialization scheme
 * @param epochs     epochs its runs train for
 */
public record ValidationCell(Arch arch, int depth, HiddenActivation activation, InitScheme init, int epochs) {

    /** Validates the fields. */
    public ValidationCell {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(init, "init");
        if (depth < 2 || epochs < 1) {
            throw new IllegalArgumentException("depth must be >= 2 and epochs >= 1, got " + depth + ", " + epochs);
        }
    }

    /** The network part, e.g. "plain silu d30" or "residual relu d110". */
    public String net() {
        return arch.cliName() + " " + activation.cliName() + " d" + depth;
    }

    /** Whether a metrics row belongs to this cell (rows carry no architecture: depths tell the nets apart). */
    public boolean matches(MetricsRow r) {
        return r.depth() == depth
                && r.activation().equals(activation.cliName())
                && r.init().equals(init.cliName());
    }
}
