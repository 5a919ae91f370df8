/**
 * Every command of the program and the options they share: {@code signal}, {@code plan}, {@code lsuv},
 * {@code compare}, {@code validate}, {@code keras}, {@code bench} (with {@code bench init}, {@code bench lsuv}) and the
 * hidden {@code worker} commands that child processes run. A command parses and checks its options (exit code 2
 * naming the bad value) and hands the work to the other packages.
 */
package dev.heinit.examples.cli;
