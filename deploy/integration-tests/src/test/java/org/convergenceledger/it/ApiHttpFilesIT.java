package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example requests of deploy/http, run against the system so they stay true: each answers the status its
 * "# expect" comment states, and never a 5xx. {{run}} is unique to this run, so what the files create is new.
 */
class ApiHttpFilesIT extends OnTheLedger {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String RUN = "IT" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();

    static Path httpFile(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("deploy").resolve("http").resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new AssertionError("no deploy/http/" + name + " above " + Path.of("").toAbsolutePath());
    }

    /** The run's own values of what the files leave to the environment, or set for a local run. */
    private static String value(String name) {
        if (name.startsWith("KEY_")) {
            return system.key(name.substring("KEY_".length()));
        }
        return switch (name) {
            case "command" -> system.commandUrl();
            case "query" -> system.queryUrl();
            case "run" -> RUN;
            // A day of its own for each run: a closed period is closed for good, and a second one may not overlap.
            case "closedDay" -> LocalDate.of(1901, 1, 1).plusDays(System.currentTimeMillis() / 60_000 % 36_000)
                    .toString();
            default -> null;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-service.http", "query-service.http"})
    void everyRequestOfTheFileAnswersAsItSays(String name) {
        HttpFile file = HttpFile.read(httpFile(name));
        assertThat(file.requests()).as(name).hasSizeGreaterThan(15);
        Map<String, HttpFile.Answer> named = new HashMap<>();
        Map<String, String> fixed = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (HttpFile.Request request : file.requests()) {
            assertThat(request.expect()).as("%s %s has no # expect", name, request.describe()).isPositive();
            HttpResponse<String> answer = send(request, variable -> fixed.computeIfAbsent(variable,
                    unknown -> value(unknown) != null ? value(unknown) : file.variables().get(unknown)), named);
            JsonNode body = json(answer.body());
            String code = body.path("code").asText(null);
            if (answer.statusCode() != request.expect() || answer.statusCode() >= 500
                    || request.expectCode() != null && !request.expectCode().equals(code)) {
                wrong.add(request.describe() + ": expected " + request.expect()
                        + (request.expectCode() == null ? "" : " " + request.expectCode()) + ", got "
                        + answer.statusCode() + " " + answer.body().substring(0, Math.min(300,
                        answer.body().length())));
            }
            if (request.name() != null) {
                named.put(request.name(), new HttpFile.Answer(body, answer.headers().map()));
            }
        }
        assertThat(wrong).as(name).isEmpty();
    }

    @Test
    void theFilesAreReadAsRestClientsReadThem() {
        HttpFile file = HttpFile.parse(List.of("# preamble", "@host = http://localhost:1", "",
                "### First", "# @name first", "# expect 201", "POST {{host}}/a HTTP/1.1", "Content-Type: text/plain",
                "", "line one", "line two", "", "###", "// expect 409 version-conflict",
                "GET {{host}}/b/{{first.response.body.$.items[1].id}}?at={{first.response.headers.location}}"));
        assertThat(file.variables()).containsEntry("host", "http://localhost:1");
        assertThat(file.requests()).hasSize(2);
        HttpFile.Request first = file.requests().get(0);
        assertThat(first).extracting(HttpFile.Request::title, HttpFile.Request::name, HttpFile.Request::expect,
                HttpFile.Request::method, HttpFile.Request::body)
                .containsExactly("First", "first", 201, "POST", "line one\nline two");
        assertThat(first.headers()).containsExactly(Map.entry("Content-Type", "text/plain"));
        HttpFile.Request second = file.requests().get(1);
        assertThat(second.expectCode()).isEqualTo("version-conflict");
        assertThat(second.body()).isNull();

        JsonNode answer = json("{\"items\": [{\"id\": \"x\"}, {\"id\": \"y\"}]}");
        Map<String, HttpFile.Answer> named = Map.of("first",
                new HttpFile.Answer(answer, Map.of("Location", List.of("/a/1"))));
        assertThat(HttpFile.substitute(second.url(), file.variables()::get, named))
                .isEqualTo("http://localhost:1/b/y?at=/a/1");
        assertThatThrownBy(() -> HttpFile.substitute("{{nobody}}", file.variables()::get, named))
                .hasMessageContaining("{{nobody}}");
    }

    private static HttpResponse<String> send(HttpFile.Request request,
                                             java.util.function.UnaryOperator<String> values,
                                             Map<String, HttpFile.Answer> named) {
        String body = HttpFile.substitute(request.body(), values, named);
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(HttpFile.substitute(request.url(), values, named)))
                .timeout(Duration.ofSeconds(60))
                .method(request.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        request.headers().forEach(header -> http.header(header.getKey(),
                HttpFile.substitute(header.getValue(), values, named)));
        try {
            return CLIENT.send(http.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.describe() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            return Http.JSON.getNodeFactory().textNode(body);
        }
    }
}
