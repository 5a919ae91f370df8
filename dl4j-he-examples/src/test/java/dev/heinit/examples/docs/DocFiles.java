package dev.heinit.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The documentation the doc tests read: every {@code .md} file at the repository's top level (README.md,
 * CONTRIBUTING.md, CHANGELOG.md) and under {@code docs/}, and their fenced code blocks.
 */
final class DocFiles {

    private DocFiles() {}

    /** The repository root: the first directory upwards from the working directory that holds {@code mvnw}. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** README.md and the other top-level pages, then every page under docs/, sorted. */
    static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>();
        try (Stream<Path> top = Files.list(root);
                Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            top.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    static List<String> lines(Path page) {
        try {
            return Files.readAllLines(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fenced block: its info string (language), the 1-based line of its first content line, its lines. */
    record Block(String info, int firstLine, List<String> lines) {}

    /** The fenced code blocks of a page (``` or ~~~ fences, as CommonMark: closed by the same fence or longer). */
    static List<Block> blocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String fence = fence(lines.get(i));
            if (fence == null) {
                i++;
                continue;
            }
            String info = lines.get(i).trim().substring(fence.length()).trim();
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !closes(lines.get(end), fence)) {
                end++;
            }
            blocks.add(new Block(info, start + 1, lines.subList(start, end)));
            i = end + 1;
        }
        return blocks;
    }

    /** For each line (0-based), whether it is a fence or inside a fenced block. */
    static boolean[] inFence(List<String> lines) {
        boolean[] in = new boolean[lines.size()];
        for (Block b : blocks(lines)) {
            int fence = b.firstLine() - 2; // the opening fence, 0-based
            int close = b.firstLine() - 1 + b.lines().size(); // the closing fence, or lines.size() if none
            for (int k = fence; k <= close && k < lines.size(); k++) {
                in[k] = true;
            }
        }
        return in;
    }

    private static String fence(String line) {
        String t = line.stripLeading();
        if (line.length() - t.length() > 3) {
            return null;
        }
        for (char c : new char[] {'`', '~'}) {
            int n = 0;
            while (n < t.length() && t.charAt(n) == c) {
                n++;
            }
            if (n >= 3) {
                return t.substring(0, n);
            }
        }
        return null;
    }

    private static boolean closes(String line, String fence) {
        String t = line.strip();
        return t.startsWith(fence) && t.chars().allMatch(ch -> ch == fence.charAt(0));
    }
}
