/**
 * Commands that work on a user's own model files: {@link dev.heinit.examples.cli.KerasCommand} ({@code keras}) reads a
 * Keras model (JSON or .h5), prints what DL4J's import initializes against what Keras would, and writes the
 * re-initialized DL4J model.
 */
package dev.heinit.examples.cli;
