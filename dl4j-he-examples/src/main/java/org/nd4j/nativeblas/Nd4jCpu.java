package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim that brings DL4J 1.0.0-M2.1's oneDNN layer helpers back to life.
 *
 * <p><b>Why.</b> {@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} decides whether
 * DL4J's oneDNN (ex-MKL-DNN) convolution, subsampling, batch-norm and LRN helpers may run by reflectively
 * calling {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}. In M2.1 the JavaCPP
 * bindings moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the method was
 * renamed {@code isUseONEDNN()}; the lookup throws {@code ClassNotFoundException}, the helper records a
 * failed check and every layer silently falls back to DL4J's {@code im2col} + gemm path (69 % of the
 * training time of a deep 16-channel CNN, measured).
 *
 * <p><b>What it forwards.</b> Exactly the two members that lookup needs: {@link Environment#getInstance()} and
 * {@link Environment#isUseMKLDNN()}, which returns the real
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN()} (reflection,
 * so the examples also compile against the CUDA backend, which has no such class; there it answers false).
 * Nothing else in DL4J or ND4J refers to this package.
 *
 * <p><b>When it can go.</b> As soon as DL4J's {@code BaseMKLDNNHelper} looks up the new class and method
 * (the upstream fix described in docs/performance.md), i.e. in any release after 1.0.0-M2.1 that contains it.
 * {@code dev.heinit.examples.fast.FastPath#check} reports whether the helper really runs, so a release
 * that fixes or breaks this shows up in every run's summary.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {}

    /** The slice of ND4J's native {@code Environment} that DL4J's oneDNN helpers ask for. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {}

        /** The singleton, as the original JavaCPP binding's {@code getInstance()}. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Whether ND4J's native library was built with oneDNN and has it switched on.
         *
         * @return {@code isUseONEDNN()} of the real M2.1 binding, false when that binding is absent
         */
        public boolean isUseMKLDNN() {
            return isUseOneDnn();
        }

        /** Reflective call of the renamed method; false on any backend without it. */
        static boolean isUseOneDnn() {
            try {
                Class<?> real = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Method getInstance = real.getMethod("getInstance");
                Object env = getInstance.invoke(null);
                return (Boolean) real.getMethod("isUseONEDNN").invoke(env);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
