/**
 * What runs leave behind, written from their values alone (no training code): metrics rows and
 * {@code metrics.csv}, run results, the signal at initialization, {@code summary.md}, {@code validation.md} and the
 * PNG charts.
 */
package dev.heinit.examples.report;
