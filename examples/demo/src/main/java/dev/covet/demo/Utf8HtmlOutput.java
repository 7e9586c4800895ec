package dev.covet.demo;

import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A jte output that renders a page into one UTF-8 {@code byte[]}, for pages served as bytes.
 *
 * <p>Why not jte's {@code Utf8ByteOutput}: it encodes user content one char at a time, and jte's HTML
 * escaping hands it the text between two escaped characters one piece at a time. On the non-blocking
 * {@code /fortunes} that was 8 % of the server's CPU (async-profiler). Here a value is encoded by
 * {@link String#getBytes} (the JDK's intrinsic encoder: a plain copy for ASCII) and escaped on the bytes:
 * {@code & < >} are ASCII, and no byte of a multi-byte UTF-8 sequence is ASCII, so a byte scan finds
 * exactly the characters a char scan would.
 *
 * <p>Only text in an element body is escaped here, with exactly jte's rule for it ({@code & < >}).
 * Everything else (attributes, {@code <script>}, {@code <style>}, {@code Content}) goes through jte's own
 * {@link OwaspHtmlTemplateOutput}, which this extends, so the template's escaping is jte's everywhere.
 * Passing an {@code HtmlTemplateOutput} to {@code TemplateEngine.render} is jte's documented way to
 * supply one; jte wraps any other output in {@code OwaspHtmlTemplateOutput}.
 */
final class Utf8HtmlOutput extends OwaspHtmlTemplateOutput {
    private static final byte[] AMP = "&amp;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LT = "&lt;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GT = "&gt;".getBytes(StandardCharsets.US_ASCII);

    private final Bytes bytes;
    private boolean elementBody = true;

    Utf8HtmlOutput(int expectedSize) {
        this(new Bytes(expectedSize));
    }

    private Utf8HtmlOutput(Bytes bytes) {
        super(bytes);
        this.bytes = bytes;
    }

    /** The page so far. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes.array, bytes.size);
    }

    @Override
    public void setContext(String tagName, String attributeName) {
        super.setContext(tagName, attributeName);
        elementBody = attributeName == null && !"script".equals(tagName) && !"style".equals(tagName);
    }

    @Override
    public void writeUserContent(String value) {
        if (value == null || !elementBody) {
            super.writeUserContent(value);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        for (int i = 0; i < utf8.length; i++) {
            byte[] entity = switch (utf8[i]) {
                case '&' -> AMP;
                case '<' -> LT;
                case '>' -> GT;
                default -> null;
            };
            if (entity != null) {
                bytes.write(utf8, from, i - from);
                bytes.write(entity, 0, entity.length);
                from = i + 1;
            }
        }
        bytes.write(utf8, from, utf8.length - from);
    }

    /** The sink: a growing array. Markup jte pre-encoded ({@code binaryStaticContent}) is copied as it is. */
    private static final class Bytes implements TemplateOutput {
        byte[] array;
        int size;

        Bytes(int expectedSize) {
            array = new byte[Math.max(16, expectedSize)];
        }

        void write(byte[] source, int offset, int length) {
            if (size + length > array.length) {
                array = Arrays.copyOf(array, Math.max(array.length * 2, size + length));
            }
            System.arraycopy(source, offset, array, size, length);
            size += length;
        }

        @Override
        public void writeBinaryContent(byte[] content) {
            write(content, 0, content.length);
        }

        @Override
        public void writeContent(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            write(utf8, 0, utf8.length);
        }

        @Override
        public void writeContent(String value, int beginIndex, int endIndex) {
            writeContent(value.substring(beginIndex, endIndex));
        }
    }
}
