package dev.heinit.internal.dl4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;

/**
 * The recurrent families: SimpleRnn {@code h_t = f(W·x_t + R·h_{t−1} + b)}, LSTM and GravesLSTM (four gates, f
 * inside them), GravesBidirectionalLSTM, and Bidirectional (two layers, merged). Their pre-activation at step t
 * contains their own output at t−1.
 */
final class RecurrentRules {

    private RecurrentRules() {}

    /** SimpleRnn, LSTM, GravesLSTM: W [nIn, G·H], RW [H, G·H] with G 1 or 4 gates. */
    static final class Recurrent extends LayerRule {
        Recurrent(Layer layer) {
            super(layer);
        }

        @Override
        public boolean appliesActivation() {
            return layer() instanceof SimpleRnn;
        }

        @Override
        public boolean isRecurrent() {
            return true;
        }

        @Override
        public Set<String> weightKeys() {
            return WeightedRules.keys("W", "RW");
        }

        @Override
        public WeightGeometry weight(String key) {
            BaseRecurrentLayer l = (BaseRecurrentLayer) layer();
            double gates = layer() instanceof SimpleRnn ? 1 : 4;
            String what = gates == 1 ? "" : " of 4 gates";
            switch (key) {
                case "W":
                    return new WeightGeometry(
                            WeightGeometry.Role.INPUT_WEIGHTS,
                            l.getNIn(),
                            l.getNOut(),
                            l.getNIn(),
                            gates * l.getNOut(),
                            "input weights" + what,
                            null);
                case "RW":
                    return new WeightGeometry(
                            WeightGeometry.Role.RECURRENT,
                            l.getNIn(),
                            l.getNOut(),
                            l.getNOut(),
                            gates * l.getNOut(),
                            "recurrent weights" + what,
                            null);
                default:
                    throw WeightedRules.badKey(this, key);
            }
        }

        @Override
        public OutputActivation output() {
            if (layer() instanceof AbstractLSTM) {
                return new OutputActivation(
                        ((BaseLayer) layer()).getActivationFn(),
                        layer().getClass().getSimpleName() + " output h = σ(o)⊙act(c), approximated by act(z)");
            }
            return super.output();
        }
    }

    /** GravesBidirectionalLSTM: WF, WB [nIn, 4H] and RWF, RWB [H, 4H + 3] (peephole columns). */
    @SuppressWarnings("deprecation") // GravesBidirectionalLSTM: deprecated, still in users' models
    static final class GravesBidirectional extends LayerRule {
        GravesBidirectional(Layer layer) {
            super(layer);
        }

        @Override
        public boolean isRecurrent() {
            return true;
        }

        @Override
        public Set<String> weightKeys() {
            return WeightedRules.keys("WF", "WB", "RWF", "RWB");
        }

        @Override
        public WeightGeometry weight(String key) {
            BaseRecurrentLayer l = (BaseRecurrentLayer) layer();
            switch (key) {
                case "WF":
                case "WB":
                    return new WeightGeometry(
                            WeightGeometry.Role.INPUT_WEIGHTS,
                            l.getNIn(),
                            l.getNOut(),
                            l.getNIn(),
                            4.0 * l.getNOut(),
                            "input weights of 4 gates",
                            null);
                case "RWF":
                case "RWB":
                    return new WeightGeometry(
                            WeightGeometry.Role.RECURRENT,
                            l.getNIn(),
                            l.getNOut(),
                            l.getNOut(),
                            4.0 * l.getNOut(),
                            "recurrent weights of 4 gates (peephole columns included)",
                            null);
                default:
                    throw WeightedRules.badKey(this, key);
            }
        }
    }

    /**
     * Bidirectional(wrapped): two copies of the wrapped layer (each possibly wrapped again, e.g. in LastTimeStep),
     * their parameters prefixed f and b; everything else is the forward copy's.
     */
    static final class BidirectionalRule extends LayerRule {
        private final LayerRule fwd;
        private final LayerRule bwd;

        BidirectionalRule(Layer layer) {
            super(layer);
            fwd = LayerRules.of(((Bidirectional) layer()).getFwd());
            bwd = LayerRules.of(((Bidirectional) layer()).getBwd());
        }

        @Override
        public boolean isRecurrent() {
            return true;
        }

        @Override
        public Set<String> weightKeys() {
            Set<String> out = new LinkedHashSet<>();
            for (String k : fwd.weightKeys()) {
                out.add("f" + k);
            }
            for (String k : bwd.weightKeys()) {
                out.add("b" + k);
            }
            return Collections.unmodifiableSet(out);
        }

        @Override
        public Optional<String> unsupportedReason() {
            return fwd.unsupportedReason();
        }

        @Override
        public WeightGeometry weight(String key) {
            return half(key).weight(key.substring(1));
        }

        @Override
        public List<InitSlot> initSlots() {
            List<InitSlot> out = new ArrayList<>(fwd.initSlots());
            out.addAll(bwd.initSlots());
            return out;
        }

        @Override
        public InitSlot initSlot(String key) {
            return half(key).initSlot(key.substring(1));
        }

        /** The copy a prefixed key belongs to: f the forward, b the backward. */
        private LayerRule half(String key) {
            if (key.startsWith("f")) {
                return fwd;
            }
            if (key.startsWith("b")) {
                return bwd;
            }
            throw WeightedRules.badKey(this, key);
        }

        @Override
        public OutputActivation output() {
            OutputActivation inner = fwd.output();
            String note =
                    "Bidirectional (" + ((Bidirectional) layer()).getMode() + "): output taken as the wrapped layer's";
            return new OutputActivation(
                    inner.activation(), inner.assumption().isEmpty() ? note : inner.assumption() + "; " + note);
        }
    }
}
