package dev.heinit;

/**
 * How {@link HeInit} turns a {@link Nonlinearity} into a gain.
 *
 * <table>
 *   <caption>Gains per convention (z ~ N(0,1))</caption>
 *   <tr><th>convention</th><th>fan_in</th><th>fan_out</th><th>fan_avg</th></tr>
 *   <tr><td>SECOND_MOMENT</td><td>{@code 1/√E[f(z)²]}</td><td>{@code 1/√E[f'(z)²]}</td>
 *       <td>{@code Var = 2/(fan_in·E[f²] + fan_out·E[f'²])}</td></tr>
 *   <tr><td>PYTORCH</td><td colspan="3">{@code torch.nn.init.calculate_gain}: linear/sigmoid 1, tanh 5/3,
 *       relu √2, leaky √(2/(1+a²)), selu 3/4; same gain in every mode; GELU/SiLU rejected</td></tr>
 * </table>
 */
public enum GainConvention {
    /**
     * Mode-correct gains from the nonlinearity's second moments: exact for every activation at unit
     * pre-activation variance, and for ReLU-like activations at every scale.
     */
    SECOND_MOMENT,
    /**
     * PyTorch's {@code calculate_gain} table, for users porting PyTorch models who want identical
     * weight scales. It has no entry for GELU or SiLU, and neither does this convention. Inside
     * {@link dev.heinit.config.HeConfigurer} it follows PyTorch practice, {@code kaiming_normal_(w,
     * nonlinearity=<the layer's own activation>)}: each weight gets the gain of its own layer's activation (a
     * softmax output counts as linear logits), and a layer whose activation has no PyTorch gain keeps its
     * init, with a note in the plan.
     */
    PYTORCH
}
