package dev.heinit.examples.docs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every relative link and image of README.md, the other top-level pages and docs/**.md names a file or folder
 * that exists (anchors are not checked). Links inside code blocks and inline code are not links; absolute URLs
 * ({@code http:}, {@code https:}, {@code mailto:}) are not checked.
 */
class DocLinksTest {

    /** Inline links and images: {@code [text](target)}, {@code ![alt](target "title")}. */
    private static final Pattern INLINE =
            Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(\\s+\"[^\"]*\")?\\s*\\)");
    /** Reference definitions: {@code [label]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s+<?(\\S+?)>?(\\s.*)?$");
    /** HTML images and links. */
    private static final Pattern HTML = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    @Test
    void everyRelativeLinkResolves() {
        Path root = DocFiles.root();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : DocFiles.pages(root)) {
            for (Link l : links(DocFiles.lines(page))) {
                checked++;
                if (!Files.exists(page.getParent().resolve(l.path()).normalize())) {
                    broken.add(
                            root.relativize(page).toString().replace('\\', '/') + ":" + l.line() + ": " + l.target());
                }
            }
        }
        assertTrue(checked >= 20, "found only " + checked + " relative links under " + root);
        if (!broken.isEmpty()) {
            fail(broken.size() + " broken relative link(s) (page:line: target):\n" + String.join("\n", broken));
        }
    }

    /** An unclosed fence would swallow the rest of its page (and hide its links and snippets from these tests). */
    @Test
    void everyCodeBlockIsClosed() {
        Path root = DocFiles.root();
        List<String> open = new ArrayList<>();
        for (Path page : DocFiles.pages(root)) {
            List<String> lines = DocFiles.lines(page);
            for (DocFiles.Block b : DocFiles.blocks(lines)) {
                if (b.firstLine() - 1 + b.lines().size() >= lines.size()) {
                    open.add(root.relativize(page).toString().replace('\\', '/') + ":" + (b.firstLine() - 1));
                }
            }
        }
        assertTrue(open.isEmpty(), "code blocks opened and never closed (page:line of the fence): " + open);
    }

    /** The test's own check: links in code are ignored, a missing target is found, anchors are dropped. */
    @Test
    void findsLinksOutsideCode() {
        List<Link> links = links(List.of(
                "See [a](docs/a.md#part), ![chart](run/x.png \"t\") and [web](https://example.org).",
                "`[not](a-link.md)`",
                "```",
                "[not](in-a-block.md)",
                "```",
                "[ref]: docs/b%20c.md",
                "<img src=\"pic.png\">"));
        assertEquals(
                List.of("1:docs/a.md", "1:run/x.png", "6:docs/b c.md", "7:pic.png"),
                links.stream().map(l -> l.line() + ":" + l.path()).toList());
    }

    record Link(int line, String target, String path) {}

    static List<Link> links(List<String> lines) {
        boolean[] inFence = DocFiles.inFence(lines);
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (inFence[i]) {
                continue;
            }
            String line = INLINE_CODE.matcher(lines.get(i)).replaceAll("");
            for (Pattern p : List.of(INLINE, REFERENCE, HTML)) {
                Matcher m = p.matcher(line);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || target.startsWith("#")) {
                        continue;
                    }
                    String path = target.replaceAll("#.*$", "");
                    links.add(new Link(i + 1, target, URLDecoder.decode(path, StandardCharsets.UTF_8)));
                }
            }
        }
        return links;
    }
}
