package dev.covet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.covet.demo.DataExamples.Fortune;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import gg.jte.output.Utf8ByteOutput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast output writes exactly the bytes jte's own output does. */
class Utf8HtmlOutputTest {
    private static final TemplateEngine JTE = TemplateEngine.createPrecompiled(ContentType.Html);

    @Test
    void theFortunesPageIsByteForByteWhatJteWrites() {
        List<Fortune> fortunes = List.of(
                new Fortune(1, "<script>alert(\"This should not be displayed in a browser alert box.\");</script>"),
                new Fortune(2, "フレームワークのベンチマーク"),
                new Fortune(3, "A & B > C < D && <<>>"),
                new Fortune(4, "&amp; is already an entity, and stays escaped"),
                new Fortune(5, "emoji 😀 next to < and é"),
                new Fortune(6, ""),
                new Fortune(Integer.MIN_VALUE, "'single' and \"double\" quotes"));
        Utf8ByteOutput reference = new Utf8ByteOutput();
        JTE.render("fortunes.jte", fortunes, reference);
        Utf8HtmlOutput fast = new Utf8HtmlOutput(16); // small, so the array has to grow
        JTE.render("fortunes.jte", fortunes, fast);

        assertThat(fast.toByteArray()).isEqualTo(reference.toByteArray());
        assertThat(new String(fast.toByteArray(), StandardCharsets.UTF_8))
                .contains("<td>&lt;script&gt;alert(\"This should not")
                .contains("<td>A &amp; B &gt; C &lt; D &amp;&amp; &lt;&lt;&gt;&gt;</td>")
                .contains("<td>フレームワークのベンチマーク</td>");
    }

    @Test
    void outsideAnElementBodyJtesOwnEscapingApplies() {
        String value = "x\" onmouseover=\"alert(1)' <b>&";
        for (String[] context : new String[][] {{"a", "title"}, {"script", null}, {"style", null}}) {
            StringOutput reference = new StringOutput();
            OwaspHtmlTemplateOutput jte = new OwaspHtmlTemplateOutput(reference);
            jte.setContext(context[0], context[1]);
            jte.writeUserContent(value);
            Utf8HtmlOutput fast = new Utf8HtmlOutput(64);
            fast.setContext(context[0], context[1]);
            fast.writeUserContent(value);

            assertThat(new String(fast.toByteArray(), StandardCharsets.UTF_8))
                    .as("context %s/%s", context[0], context[1]).isEqualTo(reference.toString());
        }
    }

    @Test
    void nullWritesNothing() {
        Utf8HtmlOutput fast = new Utf8HtmlOutput(16);
        fast.setContext("td", null);
        fast.writeUserContent((String) null);
        assertThat(fast.toByteArray()).isEmpty();
    }
}
