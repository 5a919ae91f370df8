/**
 * This JVM's set-up, shared by every package: the libraries' logging ({@link dev.heinit.examples.runtime.Logging},
 * quiet unless {@code --verbose}, inherited by child JVMs) and the version line
 * ({@link dev.heinit.examples.runtime.Versions}).
 */
package dev.heinit.examples.runtime;
