package dev.covet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static Router<String> router(String... methodAndPatterns) {
        Router<String> router = new Router<>();
        for (String route : methodAndPatterns) {
            String[] parts = route.split(" ");
            router.add(RouteMethod.valueOf(parts[0]), parts[1], route);
        }
        return router;
    }

    @Nested
    class Matching {
        @Test
        void staticPathsMatchExactly() {
            Router<String> r = router("GET /", "GET /users", "GET /users/me");
            assertThat(r.find(RouteMethod.GET, "/").target()).isEqualTo("GET /");
            assertThat(r.find(RouteMethod.GET, "/users").target()).isEqualTo("GET /users");
            assertThat(r.find(RouteMethod.GET, "/users/me").target()).isEqualTo("GET /users/me");
            assertThat(r.find(RouteMethod.GET, "/user").status()).isEqualTo(Router.Match.Status.NOT_FOUND);
        }

        @Test
        void exactPathsAreTheRoutesWithoutParameters() {
            Router<String> r = router("GET /", "GET /users", "POST /users", "GET /users/{id:int}", "GET /files/{rest:*}",
                    "GET /users/me/");
            assertThat(r.exactPaths()).containsExactlyInAnyOrder("/", "/users", "/users/me");
        }

        @Test
        void aTrailingSlashIsIgnored() {
            Router<String> r = router("GET /users");
            assertThat(r.find(RouteMethod.GET, "/users/").target()).isEqualTo("GET /users");
        }

        @Test
        void staticSegmentsWinOverParameters() {
            Router<String> r = router("GET /users/{id}", "GET /users/me");
            assertThat(r.find(RouteMethod.GET, "/users/me").target()).isEqualTo("GET /users/me");
            assertThat(r.find(RouteMethod.GET, "/users/42").target()).isEqualTo("GET /users/{id}");
        }

        @Test
        void typedParametersOnlyMatchTheirType() {
            Router<String> r = router("GET /items/{id:int}", "GET /items/{slug}");
            Router.Match<String> byId = r.find(RouteMethod.GET, "/items/42");
            assertThat(byId.target()).isEqualTo("GET /items/{id:int}");
            assertThat(byId.paramValues()).containsExactly("42");
            assertThat(r.find(RouteMethod.GET, "/items/blue-shirt").target()).isEqualTo("GET /items/{slug}");
            assertThat(r.find(RouteMethod.GET, "/items/99999999999").target())
                    .as("too large for an int").isEqualTo("GET /items/{slug}");
        }

        @Test
        void intParametersRejectOverflowAndNonDigits() {
            Router<String> r = router("GET /n/{id:int}");
            assertThat(r.find(RouteMethod.GET, "/n/2147483647").status()).isEqualTo(Router.Match.Status.FOUND);
            assertThat(r.find(RouteMethod.GET, "/n/2147483648").status()).isEqualTo(Router.Match.Status.NOT_FOUND);
            assertThat(r.find(RouteMethod.GET, "/n/-5").status()).isEqualTo(Router.Match.Status.FOUND);
            assertThat(r.find(RouteMethod.GET, "/n/5a").status()).isEqualTo(Router.Match.Status.NOT_FOUND);
            assertThat(r.find(RouteMethod.GET, "/n/").status()).isEqualTo(Router.Match.Status.NOT_FOUND);
        }

        @Test
        void uuidParametersMatchOnlyUuids() {
            Router<String> r = router("GET /o/{id:uuid}");
            assertThat(r.find(RouteMethod.GET, "/o/123e4567-e89b-12d3-a456-426614174000").status())
                    .isEqualTo(Router.Match.Status.FOUND);
            assertThat(r.find(RouteMethod.GET, "/o/123e4567-e89b-12d3-a456-42661417400z").status())
                    .isEqualTo(Router.Match.Status.NOT_FOUND);
        }

        @Test
        void catchAllTakesTheRestOfThePath() {
            Router<String> r = router("GET /files/{path:*}");
            Router.Match<String> m = r.find(RouteMethod.GET, "/files/a/b/c.txt");
            assertThat(m.paramNames()).containsExactly("path");
            assertThat(m.paramValues()).containsExactly("a/b/c.txt");
            assertThat(r.find(RouteMethod.GET, "/files/").paramValues()).containsExactly("");
        }

        @Test
        void backtracksWhenAMoreSpecificBranchDeadEnds() {
            Router<String> r = router("GET /a/b/c", "GET /a/{x}/d");
            assertThat(r.find(RouteMethod.GET, "/a/b/d").target()).isEqualTo("GET /a/{x}/d");
        }

        @Test
        void parametersArePercentDecoded() {
            Router<String> r = router("GET /hello/{name}");
            assertThat(r.find(RouteMethod.GET, "/hello/J%C3%BCrgen%20M").paramValues()).containsExactly("Jürgen M");
            assertThat(r.find(RouteMethod.GET, "/hello/a+b").paramValues()).containsExactly("a+b");
        }

        @Test
        void severalParametersAreReturnedInOrder() {
            Router<String> r = router("GET /orgs/{org}/repos/{repo}/issues/{n:int}");
            Router.Match<String> m = r.find(RouteMethod.GET, "/orgs/acme/repos/rocket/issues/7");
            assertThat(m.paramNames()).containsExactly("org", "repo", "n");
            assertThat(m.paramValues()).containsExactly("acme", "rocket", "7");
        }
    }

    @Nested
    class Methods {
        @Test
        void aKnownPathWithAnotherMethodIsMethodNotAllowedWithTheAllowedSet() {
            Router<String> r = router("GET /users", "POST /users");
            Router.Match<String> m = r.find(RouteMethod.DELETE, "/users");
            assertThat(m.status()).isEqualTo(Router.Match.Status.METHOD_NOT_ALLOWED);
            assertThat(m.allowed()).isEqualTo(Set.of(RouteMethod.GET, RouteMethod.HEAD, RouteMethod.POST,
                    RouteMethod.OPTIONS));
        }

        @Test
        void headFallsBackToGet() {
            Router<String> r = router("GET /users");
            assertThat(r.find(RouteMethod.HEAD, "/users").target()).isEqualTo("GET /users");
        }
    }

    @Nested
    class Registration {
        @Test
        void duplicateRoutesFailAtStartUp() {
            Router<String> r = router("GET /users/{id}");
            assertThatThrownBy(() -> r.add(RouteMethod.GET, "/users/{name}", "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        }

        @Test
        void malformedPatternsAreRejectedWithTheReason() {
            Router<String> r = new Router<>();
            assertThatThrownBy(() -> r.add(RouteMethod.GET, "users", "x")).hasMessageContaining("must start with '/'");
            assertThatThrownBy(() -> r.add(RouteMethod.GET, "/a/{id:float}", "x")).hasMessageContaining("Unknown parameter type");
            assertThatThrownBy(() -> r.add(RouteMethod.GET, "/a/{p:*}/b", "x")).hasMessageContaining("last segment");
            assertThatThrownBy(() -> r.add(RouteMethod.GET, "/a/{x}/{x}", "x")).hasMessageContaining("twice");
            assertThatThrownBy(() -> r.add(RouteMethod.GET, "/a//b", "x")).hasMessageContaining("empty segment");
            assertThatThrownBy(() -> r.add(RouteMethod.GET, "/a/x{id}", "x")).hasMessageContaining("whole segment");
        }
    }
}
