/**
 * Keras models as users have them, for the {@code keras} command: {@link dev.heinit.examples.keras.KerasSource}
 * reads a model file by its content (Keras JSON, a Keras 2 {@code .h5}, a Keras 3 {@code .keras} zip) into the JSON
 * DL4J's import reads, {@link dev.heinit.examples.keras.KerasImport} imports it with DL4J and re-initializes it with
 * the library's {@code KerasReinit}, saying who refused what when that fails, {@link
 * dev.heinit.examples.keras.WeightCheck} checks every re-initialized weight against Keras's formula (std within 5
 * standard errors, orthogonal weights orthonormal), and {@link dev.heinit.examples.keras.KerasCorpus} does all of it
 * for every model file of a directory.
 */
package dev.heinit.examples.keras;
