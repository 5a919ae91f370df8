package dev.heinit.lsuv;

/**
 * Which output of a layer LSUV drives to the target variance.
 *
 * <ul>
 *   <li>{@link #PRE_ACTIVATION}: {@code z = W·x + b} (or the layer's convolution), before the activation function;
 *       the default, as Mishkin &amp; Matas 2016. With zero biases z is linear in W, so one rescaling
 *       {@code W ← W·√(target/Var z)} converges.</li>
 *   <li>{@link #POST_ACTIVATION}: {@code f(z)}, the layer's output. Needs more iterations for non-homogeneous
 *       f (tanh, ELU …), and a target f can reach (a sigmoid's variance is below 1/4). Output layers are always
 *       measured on z: a softmax's probabilities cannot have unit variance.</li>
 * </ul>
 */
public enum Measure {
    /** The pre-activation {@code z}, before the activation function. */
    PRE_ACTIVATION,
    /** The layer's output {@code f(z)}. */
    POST_ACTIVATION
}
