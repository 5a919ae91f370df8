/**
 * Plain-text output shared by the reports of the other packages ({@code InitPlan}, {@code LsuvReport},
 * {@code SignalReport}): aligned tables and RFC 4180 CSV fields, locale-independent and '\n'-terminated.
 */
package dev.heinit.text;
