package org.convergenceledger.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST Client / IntelliJ HTTP Client file, as far as deploy/http uses it: "@name = value" file variables,
 * requests separated by "###" (a title may follow), comments "#" or "//", "# @name x" to name a request so later ones
 * can use "{{x.response.body.$.a.b[0].c}}" or "{{x.response.headers.Location}}", and this project's "# expect 201":
 * the status the request must get, and the problem's code if one follows
 * ("# expect 409 version-conflict"). A request is its request line, its headers, a blank line and its body.
 */
record HttpFile(Map<String, String> variables, List<Request> requests) {

    record Request(int line, String title, String name, int expect, String expectCode, String method, String url,
                   List<Map.Entry<String, String>> headers, String body) {

        String describe() {
            return "line " + line + " " + method + " " + url + (title.isEmpty() ? "" : " (" + title + ")");
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("^@([A-Za-z0-9_.-]+)\\s*=\\s*(.*)$");
    private static final Pattern EXPECT = Pattern.compile("^(?:#|//)\\s*expect\\s+(\\d{3})(?:\\s+([a-z-]+))?\\s*$");
    private static final Pattern NAME = Pattern.compile("^(?:#|//)\\s*@name\\s+(\\S+)\\s*$");
    private static final Pattern REQUEST_LINE = Pattern.compile(
            "^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\\s+(\\S+)(?:\\s+HTTP/[0-9.]+)?$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");

    static HttpFile read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpFile parse(List<String> lines) {
        Map<String, String> variables = new LinkedHashMap<>();
        List<Request> requests = new ArrayList<>();
        int start = 0;
        String title = "";
        for (int i = 0; i <= lines.size(); i++) {
            boolean separator = i == lines.size() || lines.get(i).startsWith("###");
            if (!separator) {
                continue;
            }
            Request request = request(lines, start, i, title, variables);
            if (request != null) {
                requests.add(request);
            }
            if (i < lines.size()) {
                title = lines.get(i).substring(3).strip();
            }
            start = i + 1;
        }
        return new HttpFile(variables, requests);
    }

    /** One block between separators: comments and variables, then the request (none in the file's preamble). */
    private static Request request(List<String> lines, int from, int to, String title,
                                   Map<String, String> variables) {
        String name = null;
        int expect = 0;
        String expectCode = null;
        int i = from;
        for (; i < to; i++) {
            String line = lines.get(i).strip();
            Matcher variable = VARIABLE.matcher(line);
            Matcher expected = EXPECT.matcher(line);
            Matcher named = NAME.matcher(line);
            if (variable.matches()) {
                variables.put(variable.group(1), variable.group(2).strip());
            } else if (expected.matches()) {
                expect = Integer.parseInt(expected.group(1));
                expectCode = expected.group(2);
            } else if (named.matches()) {
                name = named.group(1);
            } else if (!line.isEmpty() && !line.startsWith("#") && !line.startsWith("//")) {
                break;
            }
        }
        if (i == to) {
            return null;
        }
        Matcher requestLine = REQUEST_LINE.matcher(lines.get(i).strip());
        if (!requestLine.matches()) {
            throw new IllegalArgumentException("line " + (i + 1) + ": not a request line: " + lines.get(i));
        }
        int line = i + 1;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (i++; i < to && !lines.get(i).isBlank(); i++) {
            String header = lines.get(i);
            int colon = header.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a header: " + header);
            }
            headers.add(Map.entry(header.substring(0, colon).strip(), header.substring(colon + 1).strip()));
        }
        List<String> body = new ArrayList<>(lines.subList(Math.min(i + 1, to), to));
        while (!body.isEmpty() && body.get(body.size() - 1).isBlank()) {
            body.remove(body.size() - 1);
        }
        return new Request(line, title, name, expect, expectCode, requestLine.group(1), requestLine.group(2), headers,
                body.isEmpty() ? null : String.join("\n", body));
    }

    /**
     * Replaces every {{placeholder}}: a named request's response ({@code responses}), else {@code values}; one left
     * unknown is an error, so a request never goes out with a literal "{{…}}".
     */
    static String substitute(String text, UnaryOperator<String> values, Map<String, Answer> responses) {
        if (text == null) {
            return null;
        }
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            String value = name.contains(".response.") ? fromResponse(name, responses) : values.apply(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for {{" + name + "}}");
            }
            placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(out);
        return out.toString();
    }

    /** What a named request got back. */
    record Answer(JsonNode body, Map<String, List<String>> headers) {
    }

    private static String fromResponse(String reference, Map<String, Answer> responses) {
        String name = reference.substring(0, reference.indexOf(".response."));
        String rest = reference.substring(name.length() + ".response.".length());
        Answer answer = responses.get(name);
        if (answer == null) {
            throw new IllegalArgumentException("{{" + reference + "}}: no request named " + name + " answered yet");
        }
        if (rest.startsWith("headers.")) {
            String header = rest.substring("headers.".length());
            return answer.headers().entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(header))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
        if (!rest.startsWith("body.$")) {
            throw new IllegalArgumentException("{{" + reference + "}}: only body.$… and headers.… are read");
        }
        JsonNode node = answer.body();
        Matcher step = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\[(\\d+)]").matcher(rest.substring("body.$".length()));
        while (node != null && step.find()) {
            node = step.group(1) != null ? node.get(step.group(1)) : node.get(Integer.parseInt(step.group(2)));
        }
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
