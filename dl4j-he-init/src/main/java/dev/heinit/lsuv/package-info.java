/**
 * Layer-sequential unit-variance (LSUV) initialization, Mishkin &amp; Matas 2016, "All you need is a good init"
 * (ICLR): orthonormal pre-init, then, layer by layer from the input, {@code W ← W / √Var(z)} on a real batch
 * until {@code |Var(z)/target − 1| < tol}.
 *
 * <p>Entry point: {@link dev.heinit.lsuv.Lsuv}; result: {@link dev.heinit.lsuv.LsuvReport}; failures:
 * {@link dev.heinit.lsuv.LsuvException} (the network's parameters are restored bitwise first). The work is linear
 * in depth: each layer is forwarded alone on the cached output of the layers before it.
 */
package dev.heinit.lsuv;
