/** XChart PNG charts of training runs. */
package dev.heinit.examples.chart;
