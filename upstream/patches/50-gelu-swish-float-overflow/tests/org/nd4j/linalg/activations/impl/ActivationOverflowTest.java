/*
 *  ******************************************************************************
 *  *
 *  *
 *  * This program and the accompanying materials are made available under the
 *  * terms of the Apache License, Version 2.0 which is available at
 *  * https://www.apache.org/licenses/LICENSE-2.0.
 *  *
 *  *  See the NOTICE file distributed with this work for additional
 *  *  information regarding copyright ownership.
 *  * Unless required by applicable law or agreed to in writing, software
 *  * distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
 *  * WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
 *  * License for the specific language governing permissions and limitations
 *  * under the License.
 *  *
 *  * SPDX-License-Identifier: Apache-2.0
 *  *****************************************************************************
 */

package org.nd4j.linalg.activations.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("Swish and GELU derivatives do not overflow")
public class ActivationOverflowTest {

    private static final double[] Z = {-1000, -100, -30, -3, -1.5, 0, 0.7, 3, 26.0, 26.5, 30, 44.3, 44.4, 50, 100, 1000};

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** d/dz [z * sigmoid(a*z)] in double, from the textbook formula. */
    private static double expected(double z, double a) {
        double s = sigmoid(a * z);
        return s + a * z * s * sigmoid(-a * z);
    }

    private static void check(IActivation act, double a, DataType type, double relTol, double absTol) {
        INDArray in = Nd4j.createFromArray(Z).castTo(type);
        double[] z = in.castTo(DataType.DOUBLE).toDoubleVector();
        INDArray eps = Nd4j.ones(type, Z.length);
        double[] d = act.backprop(in.dup(), eps).getFirst().castTo(DataType.DOUBLE).toDoubleVector();
        for (int i = 0; i < z.length; i++) {
            String at = act + " " + type + " f'(" + z[i] + ")";
            assertTrue(Double.isFinite(d[i]), at + " = " + d[i]);
            double want = expected(z[i], a);
            assertEquals(want, d[i], relTol * Math.abs(want) + absTol, at);
            if (z[i] >= 30) {
                assertEquals(1.0, d[i], 1e-6, at);
            }
        }
    }

    @Test
    @DisplayName("Swish derivative is finite and correct in DOUBLE, FLOAT, HALF and BFLOAT16")
    public void testSwishDerivative() {
        check(new ActivationSwish(), 1.0, DataType.DOUBLE, 1e-12, 1e-15);
        check(new ActivationSwish(), 1.0, DataType.FLOAT, 1e-6, 3e-7);
        check(new ActivationSwish(), 1.0, DataType.HALF, 1e-2, 2e-3);
        check(new ActivationSwish(), 1.0, DataType.BFLOAT16, 3e-2, 1.6e-2);
    }

    @Test
    @DisplayName("GELU (sigmoid approximation) derivative is finite and correct in DOUBLE, FLOAT, HALF and BFLOAT16")
    public void testGeluDerivative() {
        double a = 1.702f; // the constant of the GELU op
        check(new ActivationGELU(), a, DataType.DOUBLE, 1e-12, 1e-15);
        check(new ActivationGELU(), a, DataType.FLOAT, 1e-6, 3e-7);
        check(new ActivationGELU(), a, DataType.HALF, 1e-2, 2e-3);
        check(new ActivationGELU(), a, DataType.BFLOAT16, 3e-2, 1.6e-2);
    }

    @Test
    @DisplayName("backprop still multiplies by epsilon and returns no parameter gradient")
    public void testBackpropContract() {
        for (IActivation act : new IActivation[]{new ActivationSwish(), new ActivationGELU()}) {
            INDArray in = Nd4j.createFromArray(-2f, 0.5f, 50f);
            INDArray eps = Nd4j.createFromArray(2f, -1f, 3f);
            double a = act instanceof ActivationGELU ? 1.702f : 1.0;
            INDArray dLdz = act.backprop(in, eps).getFirst();
            assertEquals(2 * expected(-2, a), dLdz.getDouble(0), 1e-6);
            assertEquals(-expected(0.5, a), dLdz.getDouble(1), 1e-6);
            assertEquals(3.0, dLdz.getDouble(2), 1e-6);
            assertEquals(null, act.backprop(Nd4j.ones(3), Nd4j.ones(3)).getSecond());
        }
    }
}
