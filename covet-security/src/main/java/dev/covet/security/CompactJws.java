package dev.covet.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;

/**
 * The JSON half of {@link JwtVerifier}'s lean path: reads a compact JWS's header and claims with
 * Jackson's streaming parser instead of nimbus's shaded Gson.
 *
 * <p>Design: the lean path only <em>decides</em> tokens of the one ordinary shape, and hands every
 * other token to the nimbus path, which then refuses or accepts it exactly as before. "Ordinary" is
 * a header that is a JSON object of at most {@code alg}, {@code kid} and {@code typ}, each a string and
 * each once, with an {@code alg} other than {@code none}; and a claims object that Jackson reads
 * strictly (no duplicate names at any depth, nothing after it). Everything else returns
 * {@code null} here: {@code alg: none}, {@code crit}, {@code jku}/{@code x5u}/{@code jwk}/{@code x5c},
 * {@code b64}, {@code enc}, any other header, JSON that does not start with <code>{</code> or that
 * Jackson refuses (whatever nimbus's Gson makes of it). So the lean path needs no copy of nimbus's header rules, and the set of accepted tokens cannot
 * drift from nimbus's by a parsing difference; {@code JwtDifferentialTest} checks the rest on a few
 * thousand tokens. The cost: an attacker can always choose the nimbus path, which is what every token
 * cost before.
 *
 * <p>Numbers are read as Gson's {@code LONG_OR_DOUBLE} policy (nimbus's) reads them: an integer that
 * fits a {@code long} is a {@link Long}, anything else a {@link Double}; so {@code JWTClaimsSet.parse}
 * sees the very map nimbus would have built.
 */
final class CompactJws {
    private static final JsonFactory JSON = JsonFactory.builder()
            // The same pool as the app's JsonCodec: verification runs on short-lived virtual threads.
            .recyclerPool(JsonRecyclerPools.sharedHybridPool())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build();

    /** Thrown (without a stack trace) inside the claims reader when the nimbus path must decide. */
    private static final RuntimeException NOT_ORDINARY = new RuntimeException("not an ordinary claims object", null, false, false) { };

    /** The three header parameters the lean path understands. {@code kid} and {@code typ} may be null. */
    record Header(String alg, String kid, String typ) { }

    private CompactJws() { }

    /**
     * The header, if {@code json} is an ordinary one (see the class comment); otherwise null, and the
     * nimbus path decides.
     */
    static Header header(byte[] json) {
        // A leading '{' also keeps out a byte-order mark, which Jackson would skip and Gson would not.
        if (json.length == 0 || json[0] != '{') {
            return null;
        }
        String alg = null;
        String kid = null;
        String typ = null;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
            parser.nextToken();
            String name;
            while ((name = parser.nextName()) != null) {
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                String value = parser.getString();
                switch (name) {
                    case "alg" -> {
                        if (alg != null) {
                            return null;
                        }
                        alg = value;
                    }
                    case "kid" -> {
                        if (kid != null) {
                            return null;
                        }
                        kid = value;
                    }
                    case "typ" -> {
                        if (typ != null) {
                            return null;
                        }
                        typ = value;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        } catch (JacksonException e) {
            // Deliberately not an error: JSON Jackson refuses goes to the nimbus path, which decides it
            // with Gson as it always did (JwtDifferentialTest has found it refuses all such JSON so far).
            return null;
        }
        return alg == null || alg.equals("none") ? null : new Header(alg, kid, typ);
    }

    /**
     * The claims as nimbus's {@code JSONObjectUtils.parse} would return them, if {@code json} is an
     * ordinary object (see the class comment); otherwise null, and the nimbus path decides.
     */
    static Map<String, Object> claims(byte[] json) {
        if (json.length == 0 || json[0] != '{') {
            return null;
        }
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
            parser.nextToken();
            Map<String, Object> claims = object(parser);
            return parser.nextToken() == null ? claims : null;
        } catch (JacksonException e) {
            return null;  // as in header(): the nimbus path decides
        } catch (RuntimeException e) {
            if (e == NOT_ORDINARY) {
                return null;
            }
            throw e;
        }
    }

    private static Map<String, Object> object(JsonParser parser) {
        Map<String, Object> map = new LinkedHashMap<>();
        String name;
        while ((name = parser.nextName()) != null) {
            parser.nextToken();
            int size = map.size();
            map.put(name, value(parser));
            if (map.size() == size) {
                throw NOT_ORDINARY;  // a duplicate: Gson refuses it at the top and keeps the last one below
            }
        }
        return map;
    }

    /** Gson reads a number too large for a double as infinite and refuses it; nimbus then says malformed. */
    private static Double finite(String number) {
        Double value = Double.valueOf(number);
        if (value.isInfinite() || value.isNaN()) {
            throw NOT_ORDINARY;
        }
        return value;
    }

    private static Object value(JsonParser parser) {
        return switch (parser.currentToken()) {
            case START_OBJECT -> object(parser);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? finite(parser.getString())
                    : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> finite(parser.getString());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw NOT_ORDINARY;
        };
    }
}
