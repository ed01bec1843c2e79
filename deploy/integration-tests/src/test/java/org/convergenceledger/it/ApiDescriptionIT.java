package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Each service's OpenAPI description against the service itself: every request mapping it serves is described (and
 * nothing else), with the bearer scheme and problem+json answers, and what it says needs a key does need one.
 */
class ApiDescriptionIT extends OnTheLedger {

    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete", "head", "options");

    private static String url(String service) {
        return service.equals("command") ? system.commandUrl() : system.queryUrl();
    }

    /** MVC's own mapping: the actuator's controller endpoints have one of their own, of the same type. */
    private static RequestMappingHandlerMapping mappings(String service) {
        String name = "requestMappingHandlerMapping";
        return service.equals("command") ? system.commandBean(name, RequestMappingHandlerMapping.class)
                : system.queryBean(name, RequestMappingHandlerMapping.class);
    }

    /** The description as served, also left in target/openapi/ to read after the run. */
    private static JsonNode description(String service) {
        Http.Response answer = Http.get(url(service) + "/v3/api-docs");
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        try {
            Path copy = Path.of("target", "openapi", service + "-service.json");
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, answer.json().toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return answer.json();
    }

    /** "METHOD /path" for every handler the running service has, but the error page and springdoc's own. */
    private static Set<String> served(String service) {
        Set<String> served = new TreeSet<>();
        for (RequestMappingInfo mapping : mappings(service).getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = mapping.getMethodsCondition().getMethods();
            for (String pattern : mapping.getPatternValues()) {
                String path = pattern.replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
                if (path.equals("/error") || path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")) {
                    continue;
                }
                if (methods.isEmpty()) {
                    served.add("ANY " + path);
                }
                methods.forEach(method -> served.add(method.name() + " " + path));
            }
        }
        return served;
    }

    private static Set<String> described(JsonNode description) {
        Set<String> described = new TreeSet<>();
        description.path("paths").fields().forEachRemaining(path -> METHODS.stream()
                .filter(method -> path.getValue().has(method))
                .forEach(method -> described.add(method.toUpperCase() + " " + path.getKey())));
        return described;
    }

    @ParameterizedTest
    @ValueSource(strings = {"command", "query"})
    void everyEndpointTheServiceServesIsDescribedAndNothingElse(String service) {
        Set<String> served = served(service);
        Set<String> described = described(description(service));
        assertThat(served).as("the %s service's request mappings", service).hasSizeGreaterThan(10);

        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(described);
        Set<String> unknown = new TreeSet<>(described);
        unknown.removeAll(served);
        assertThat(missing).as("served by the %s service but missing from /v3/api-docs", service).isEmpty();
        assertThat(unknown).as("in the %s service's /v3/api-docs but not served", service).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"command", "query"})
    void theDescriptionNamesTheBearerSchemeAndProblemAnswers(String service) {
        JsonNode description = description(service);
        JsonNode bearer = description.at("/components/securitySchemes/bearer");
        assertThat(bearer.path("type").asText()).isEqualTo("http");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
        assertThat(bearer.path("bearerFormat").asText()).isEqualTo("cl_<key id>_<secret>");
        assertThat(description.at("/components/schemas/Problem/properties").has("detail")).isTrue();
        assertThat(description.at("/servers/0/url").asText()).isEqualTo("/");

        List<String> wrong = new ArrayList<>();
        forEachOperation(description, (method, path, operation) -> {
            JsonNode unauthenticated = operation.at("/responses/401/content")
                    .path("application/problem+json");
            if (!unauthenticated.at("/schema/$ref").asText().equals("#/components/schemas/Problem")
                    || !unauthenticated.path("examples").elements().hasNext()) {
                wrong.add(method + " " + path + ": no problem+json 401 with an example");
            }
            if (!operation.path("security").isArray() || operation.path("security").isEmpty()) {
                wrong.add(method + " " + path + ": says nothing of keys");
            }
        });
        assertThat(wrong).isEmpty();
    }

    /**
     * What the description says of keys is what the service does: an operation whose only security is the bearer
     * scheme answers 401 to a call without one, any other does not refuse it (401, 403) nor fail (5xx). The
     * calls carry placeholder ids and empty bodies, so nothing is changed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"command", "query"})
    void whatTheDescriptionSaysOfKeysIsWhatTheServiceDoes(String service) {
        JsonNode description = description(service);
        List<String> wrong = new ArrayList<>();
        int[] called = {0};
        forEachOperation(description, (method, path, operation) -> {
            if (operation.at("/responses/200/content").has("text/event-stream")) {
                return; // a stream never ends: ConvergenceIT reads it
            }
            boolean needsKey = true;
            for (JsonNode requirement : operation.path("security")) {
                needsKey &= requirement.has("bearer");
            }
            String target = url(service) + path.replaceAll("\\{[^}]+}", "DESCRIPTION-NONE");
            Http.Response answer = method.equals("GET") ? Http.get(target) : Http.post(target, "{}");
            called[0]++;
            int status = answer.status();
            boolean right = needsKey ? status == 401 : status != 401 && status != 403 && status < 500;
            if (!right) {
                wrong.add(method + " " + path + (needsKey ? " needs a key" : " is open") + " but answered "
                        + status + " without one");
            }
        });
        assertThat(called[0]).isGreaterThan(10);
        assertThat(wrong).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"command", "query"})
    void swaggerUiIsOpenToEveryone(String service) {
        Http.Response entry = Http.get(url(service) + "/swagger-ui.html");
        assertThat(entry.status()).isEqualTo(302);
        assertThat(entry.header("Location")).endsWith("/swagger-ui/index.html");
        Http.Response page = Http.get(url(service) + "/swagger-ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("swagger-ui");
        Http.Response config = Http.get(url(service) + "/v3/api-docs/swagger-config");
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().path("url").asText()).isEqualTo("/v3/api-docs");
    }

    interface OperationVisitor {
        void visit(String method, String path, JsonNode operation);
    }

    private static void forEachOperation(JsonNode description, OperationVisitor visitor) {
        description.path("paths").fields().forEachRemaining(path -> METHODS.stream()
                .filter(method -> path.getValue().has(method))
                .forEach(method -> visitor.visit(method.toUpperCase(), path.getKey(), path.getValue().get(method))));
    }
}
