/**
 * Compatibility shim at the package DL4J 1.0.0-M2.1's oneDNN helpers still look in; see {@link org.nd4j.nativeblas.Nd4jCpu}.
 */
package org.nd4j.nativeblas;
