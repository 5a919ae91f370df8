/**
 * Internal, not a stable API: {@link dev.heinit.internal.text.TextTable}, aligned text tables and RFC 4180 CSV rows,
 * locale-independent and '\n'-terminated, for {@code InitPlan}, {@code KerasPlan}, {@code LsuvReport} and
 * {@code SignalReport}.
 */
package dev.heinit.internal.text;
