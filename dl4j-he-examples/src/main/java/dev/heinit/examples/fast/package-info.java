/**
 * The oneDNN fast path for DL4J 1.0.0-M2.1 CPU training: switching DL4J's layer helpers on and verifying that
 * they are really used (see {@link org.nd4j.nativeblas.Nd4jCpu} for the compatibility class that makes them work).
 */
package dev.heinit.examples.fast;
