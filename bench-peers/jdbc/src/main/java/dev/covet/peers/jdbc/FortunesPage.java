package dev.covet.peers.jdbc;

import java.util.List;

/**
 * The fortunes page, written the way a precompiled template (jte, Rocker) compiles to: constant markup
 * appended as is, every message HTML-escaped ({@code < > & " '}).
 */
public final class FortunesPage {
    private static final String HEAD = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
            + "<tr><th>id</th><th>message</th></tr>";
    private static final String TAIL = "</table></body></html>";

    private FortunesPage() {
    }

    /** The page listing {@code fortunes} in the given order. */
    public static String render(List<Fortune> fortunes) {
        StringBuilder html = new StringBuilder(1200);
        html.append(HEAD);
        for (Fortune f : fortunes) {
            html.append("<tr><td>").append(f.id()).append("</td><td>");
            escape(f.message(), html);
            html.append("</td></tr>");
        }
        return html.append(TAIL).toString();
    }

    /** Appends {@code text} with {@code < > & " '} replaced by entities. */
    public static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }
}
