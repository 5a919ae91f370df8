/**
 * The Spark runner of the examples' comparative runs ({@code compare}/{@code validate} {@code --runner spark}):
 * one Spark task per run, the runs' rows and results collected on the driver, which writes metrics.csv, the
 * charts and the report with the examples' own writers.
 */
package dev.heinit.spark;
