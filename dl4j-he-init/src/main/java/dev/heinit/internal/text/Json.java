package dev.heinit.internal.text;

import java.util.Locale;

/** The one JSON string-literal writer of the hand-written JSON reports (signal reports, prognoses). Internal. */
public final class Json {

    private Json() {}

    /** {@code s} as a JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7). */
    public static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
