/**
 * The dl4j-he examples program: {@link dev.heinit.examples.Main} and nothing else. Its packages depend on each other
 * in one direction only: {@code cli} (every command and its options) uses {@code train} (runs, runners, child
 * processes), {@code report} (metrics.csv, summary.md, validation.md, charts), {@code bench} (what {@code bench}
 * measures), {@code model}, {@code data}, {@code fast} and {@code runtime}; {@code train} uses {@code report} and
 * never the reverse; {@code report} imports no training code.
 */
package dev.heinit.examples;
