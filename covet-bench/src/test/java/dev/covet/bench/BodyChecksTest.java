package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The body rules of the database and API scenarios: a right body passes, and each kind of wrong body is caught. */
class BodyChecksTest {
    private static final ScenarioCatalog.Fixtures NO_FIXTURES = new ScenarioCatalog.Fixtures(null, null);

    /** Feeds {@code body} to a fresh matcher of the scenario in two chunks, as the wire may split it. */
    private static String judge(Scenario s, String body) {
        return judge(s.check().newMatcher(), body);
    }

    /** One response through {@code m}, as a connection's matcher sees its responses one after another. */
    private static String judge(BodyMatcher m, String body) {
        m.reset();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        int half = b.length / 2;
        m.accept(Unpooled.wrappedBuffer(b, 0, half));
        m.accept(Unpooled.wrappedBuffer(b, half, b.length - half));
        return m.matches() ? null : m.mismatch();
    }

    private static Scenario scenario(String name) {
        return ScenarioCatalog.build(name, NO_FIXTURES);
    }

    private static String worlds(int n, String one) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append(one);
        }
        return sb.append(']').toString();
    }

    @Test
    void dbAcceptsOneWorldObjectWithinRange() {
        assertThat(judge(scenario("db"), "{\"id\":1,\"randomNumber\":10000}")).isNull();
        assertThat(judge(scenario("db"), " {\"randomNumber\": 5, \"id\": 10000} ")).isNull();
    }

    @Test
    void dbRejectsWrongShapesAndValuesOutOfRange() {
        Scenario db = scenario("db");
        assertThat(judge(db, "[{\"id\":1,\"randomNumber\":2}]")).contains("expected one JSON object");
        assertThat(judge(db, "{\"id\":0,\"randomNumber\":2}")).contains("id 0 outside 1..10000");
        assertThat(judge(db, "{\"id\":10001,\"randomNumber\":2}")).contains("outside 1..10000");
        assertThat(judge(db, "{\"id\":1,\"randomNumber\":0}")).contains("randomNumber 0 outside");
        assertThat(judge(db, "{\"id\":1,\"randomnumber\":2}")).contains("integer fields id and randomNumber");
        assertThat(judge(db, "{\"id\":1,\"randomNumber\":2,\"extra\":3}")).contains("exactly the fields");
        assertThat(judge(db, "{\"id\":\"1\",\"randomNumber\":2}")).contains("integer fields");
        assertThat(judge(db, "{\"id\":1,")).startsWith("unparsable body");
        assertThat(judge(db, "")).isNotNull();
    }

    @Test
    void theWorldIdRangeFollowsTheDataset() {
        BenchDatabase.Prepared large = new BenchDatabase.Prepared(BenchDatabase.Dataset.LARGE, "postgresql://x@h:1/d", 1_000_000,
                List.of(), 0, "15", null);
        Scenario db = ScenarioCatalog.build("db", new ScenarioCatalog.Fixtures(large, null));
        assertThat(judge(db, "{\"id\":999999,\"randomNumber\":1}")).isNull();
        assertThat(judge(scenario("db"), "{\"id\":999999,\"randomNumber\":1}")).isNotNull();
    }

    @Test
    void queriesUpdatesAndCachedQueriesWantExactlyTwentyWorlds() {
        String one = "{\"id\":7,\"randomNumber\":42}";
        for (String name : new String[] {"queries", "updates", "cached-queries"}) {
            Scenario s = scenario(name);
            assertThat(judge(s, worlds(20, one))).as(name).isNull();
            assertThat(judge(s, worlds(19, one))).as(name).contains("expected 20 World objects, got 19");
            assertThat(judge(s, worlds(20, one).replace("[{\"id\":7", "[{\"id\":-7"))).as(name).contains("outside");
            assertThat(judge(s, one)).as(name).contains("expected a JSON array");
        }
        assertThat(scenario("queries").path()).isEqualTo("/queries?queries=20");
        assertThat(scenario("cached-queries").path()).isEqualTo("/cached-queries?count=20");
    }

    @Test
    void queriesParameterFollowsTheSpec() {
        assertThat(TechEmpowerData.clampQueries("0")).isEqualTo(1);
        assertThat(TechEmpowerData.clampQueries("foo")).isEqualTo(1);
        assertThat(TechEmpowerData.clampQueries("501")).isEqualTo(500);
        assertThat(TechEmpowerData.clampQueries(" 20 ")).isEqualTo(20);
    }

    @Test
    void fortunesAcceptsTheSpecPageWithAnyQuoteEscapingAndWhitespaceBetweenTags() {
        String page = TechEmpowerBodies.expectedFortunesHtml();
        Scenario f = scenario("fortunes");
        assertThat(judge(f, page)).isNull();
        // JTE escapes quotes numerically; others leave them raw in text: both are valid HTML
        assertThat(judge(f, page.replace("&quot;", "&#34;").replace("&#39;", "&#39;"))).isNull();
        assertThat(judge(f, page.replace("&quot;", "\"").replace("&#39;", "'"))).isNull();
        assertThat(judge(f, page.replace("<tr>", "\n  <tr>") + "\n")).isNull();
        assertThat(page).contains("<tr><td>0</td><td>Additional fortune added at request time.</td></tr>")
                .contains("フレームワークのベンチマーク").contains("&lt;script&gt;");
    }

    @Test
    void fortunesRejectsUnescapedScriptMissingFortuneWrongOrderAndBrokenUnicode() {
        String page = TechEmpowerBodies.expectedFortunesHtml();
        Scenario f = scenario("fortunes");
        assertThat(judge(f, page.replace("&lt;script&gt;", "<script>"))).contains("differs at character");
        assertThat(judge(f, page.replace("<tr><td>0</td><td>Additional fortune added at request time.</td></tr>", ""))).isNotNull();
        String first = "<tr><td>11</td>";
        String second = "<tr><td>4</td>";
        assertThat(page.indexOf(first)).isLessThan(page.indexOf(second));
        String rowA = page.substring(page.indexOf(first), page.indexOf("</tr>", page.indexOf(first)) + 5);
        String rowB = page.substring(page.indexOf(second), page.indexOf("</tr>", page.indexOf(second)) + 5);
        assertThat(judge(f, page.replace(rowA, "\u0000").replace(rowB, rowA).replace("\u0000", rowB))).isNotNull();
        assertThat(judge(f, page.replace("フレームワーク", "??????"))).isNotNull();
    }

    @Test
    void aConnectionAcceptsTheBodyItAcceptedLastWithoutParsingAgainAndJudgesAnyOtherAfresh() {
        List<String> asked = new ArrayList<>();
        ParsedBodyCheck.BodyRule startsWithOk = (body, length) -> {
            String text = new String(body, 0, length, StandardCharsets.UTF_8);
            asked.add(text);
            return text.startsWith("ok") ? null : "not ok";
        };
        BodyMatcher m = new ParsedBodyCheck(200, startsWithOk, "ok").newMatcher();
        assertThat(judge(m, "ok 1")).isNull();
        assertThat(judge(m, "ok 1")).isNull();
        assertThat(judge(m, "bad")).isEqualTo("not ok");
        assertThat(judge(m, "bad")).isEqualTo("not ok");
        assertThat(judge(m, "ok 1")).isNull();
        assertThat(judge(m, "ok 1 and more")).isNull();
        assertThat(judge(m, "ok 1")).as("only the last accepted body is remembered").isNull();
        assertThat(judge(m, "ok")).as("a prefix of the remembered body").isNull();
        assertThat(asked).containsExactly("ok 1", "bad", "bad", "ok 1 and more", "ok 1", "ok");

        String page = TechEmpowerBodies.expectedFortunesHtml();
        BodyMatcher fortunes = scenario("fortunes").check().newMatcher();
        assertThat(judge(fortunes, page)).isNull();
        assertThat(judge(fortunes, page.replace("&lt;script&gt;", "<script>"))).as("after a good page, a bad one")
                .contains("differs at character");
        assertThat(judge(fortunes, page)).isNull();
    }

    @Test
    void jsonListIsAbout50KbAndChecksEveryItem() {
        byte[] list = ApiBodies.largeList();
        assertThat(list.length).isBetween(45_000, 55_000);
        Scenario s = scenario("json-list");
        String text = new String(list, StandardCharsets.US_ASCII);
        assertThat(judge(s, text)).isNull();
        assertThat(judge(s, text.replace(",\"", ", \""))).as("other spacing, same JSON").isNull();
        assertThat(judge(s, text.replace("\"SKU-00042\"", "\"SKU-00043\""))).contains("JSON differs");
        assertThat(judge(s, text.substring(0, text.lastIndexOf(",{")) + "]")).as("an item missing").contains("JSON differs");
    }

    @Test
    void validatedWantsTheUserBackAndTheInvalidVariantA422NamingEveryField() {
        Scenario ok = scenario("validated");
        assertThat(ok.check().expectedStatus()).isEqualTo(200);
        assertThat(judge(ok, "{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"age\":36}")).isNull();
        assertThat(judge(ok, "{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"age\":37}")).isNotNull();

        Scenario bad = scenario("validated-invalid");
        assertThat(bad.check().expectedStatus()).isEqualTo(422);
        String problem = "{\"type\":\"x\",\"title\":\"Validation failed\",\"status\":422,\"errors\":[{\"field\":\"age\"},"
                + "{\"field\":\"email\"},{\"field\":\"name\"}]}";
        assertThat(judge(bad, problem)).isNull();
        assertThat(judge(bad, problem.replace("{\"field\":\"email\"},", ""))).contains("expected at least [name, email, age]");
        assertThat(judge(bad, problem.replace("422", "400"))).contains("expected 422");
    }

    @Test
    void jwtWantsTheTokensSubject() {
        BenchJwt jwt = BenchJwt.mint();
        Scenario s = ScenarioCatalog.build("jwt", new ScenarioCatalog.Fixtures(null, jwt));
        assertThat(s.headers()).containsEntry("Authorization", "Bearer " + jwt.token());
        assertThat(judge(s, "{\"roles\":[],\"user\":\"bench\"}")).isNull();
        assertThat(judge(s, "{\"user\":\"alice\"}")).contains("expected {\"user\":\"bench\"");
    }

    @Test
    void theMintedTokenIsAnHs256JwtSignedWithTheSharedSecret() throws Exception {
        byte[] secret = new byte[32];
        BenchJwt jwt = BenchJwt.mint(secret, java.time.Instant.ofEpochSecond(1_700_000_000));
        String[] parts = jwt.token().split("\\.");
        assertThat(parts).hasSize(3);
        java.util.Base64.Decoder url = java.util.Base64.getUrlDecoder();
        assertThat(new String(url.decode(parts[0]), StandardCharsets.UTF_8)).contains("\"alg\":\"HS256\"").contains("\"kid\":\"bench\"");
        assertThat(new String(url.decode(parts[1]), StandardCharsets.UTF_8)).contains("\"sub\":\"bench\"")
                .contains("\"iss\":\"covet-demo\"").contains("\"exp\":" + (1_700_000_000L + 86_400));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
        byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(url.decode(parts[2])).isEqualTo(expected);
        assertThat(jwt.secretBase64()).isEqualTo(java.util.Base64.getEncoder().encodeToString(secret));
    }

    @Test
    void databaseScenariosGiveTheTargetTheDatabaseAndOthersNothing() {
        BenchDatabase.Prepared db = new BenchDatabase.Prepared(BenchDatabase.Dataset.STANDARD, "postgresql://postgres@127.0.0.1:5432/x",
                10_000, List.of(), 0, "15", null);
        ScenarioCatalog.Fixtures f = new ScenarioCatalog.Fixtures(db, null);
        assertThat(ScenarioCatalog.env("fortunes", f)).isEqualTo(Map.of("COVET_DATA_URL", "postgresql://postgres@127.0.0.1:5432/x",
                "DEMO_DATA_PREPARED", "true", "DEMO_WORLD_ROWS", "10000"));
        assertThat(ScenarioCatalog.env("json", f)).isEmpty();
    }

    @Test
    void databaseLocationDefaultsTheNameToTheDataset() {
        assertThat(BenchDatabase.Location.parse(BenchDatabase.DEFAULT_SERVER, BenchDatabase.Dataset.LARGE).covetUrl())
                .isEqualTo("postgresql://postgres@127.0.0.1:5432/covet_bench_world_1m");
        assertThat(BenchDatabase.Location.parse("postgresql://me@localhost/other", BenchDatabase.Dataset.STANDARD).covetUrl())
                .isEqualTo("postgresql://me@localhost:5432/other");
    }
}
