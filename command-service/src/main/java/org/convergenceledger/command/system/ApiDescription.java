package org.convergenceledger.command.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convergenceledger.web.ApiDocs;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The OpenAPI description at /v3/api-docs (Swagger UI at /swagger-ui.html), read by springdoc from the controllers.
 * What springdoc cannot see is added here once rather than on every method: the bearer scheme and which operations
 * need it, the headers CommandDispatch reads from the request, and the problem+json answers. ApiDescriptionIT
 * checks it against the running service.
 */
@Configuration(proxyBeanMethods = false)
class ApiDescription {

    /** Open to anyone, as SecurityConfiguration permits them: tamper evidence made to be checked by outsiders. */
    private static final Map<HttpMethod, List<PathPattern>> OPEN = Map.of(
            HttpMethod.GET, patterns("/api/audit/public-key", "/api/audit/checkpoints", "/api/audit/checkpoints/**",
                    "/api/audit/proofs/**", "/api/audit/witnesses"),
            HttpMethod.POST, patterns("/api/audit/checkpoints/*/cosignatures"));

    /** The commands that go through CommandDispatch, which reads these headers. */
    private static final List<PathPattern> COMMANDS = patterns("/api/activities", "/api/activities/**",
            "/api/convergence/**", "/api/admin/agencies", "/api/admin/axes");
    private static final PathPattern ACTIVITY_ACTION = PathPatternParser.defaultInstance.parse("/api/activities/*/**");

    @Bean
    OpenAPI commandApi() {
        return ApiDocs.openApi("Convergence Ledger — command service", ApiDescription.class, """
                Records the facts of the agencies' activities as events: proposals, the lifecycle, \
                partnerships, the steering committee's decisions and closed periods, administration \
                (agencies, axes, API keys), IATI import, and the auditable history (signed tree heads, \
                proofs, export). Roles, headers and every problem code: docs/api.md; this description and \
                the example requests: docs/openapi.md and deploy/http/command-service.http.""",
                "An API key issued by an administrator (POST /api/admin/keys), shown once. A key that is unknown, "
                        + "malformed or revoked is refused with 401 even where no key is needed.");
    }

    @Bean
    OpenApiCustomizer commandApiAnswers() {
        return ApiDescription::describe;
    }

    static void describe(OpenAPI api) {
        ApiDocs.prepare(api, problemSchema());
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                describe(HttpMethod.valueOf(method.name()), path, operation)));
    }

    private static void describe(HttpMethod method, String path, Operation operation) {
        PathContainer route = PathContainer.parsePath(path.replaceAll("\\{[^}]*}", "x"));
        boolean open = OPEN.getOrDefault(method, List.of()).stream().anyMatch(pattern -> pattern.matches(route));
        ApiDocs.keyFor(operation, open);
        if (method == HttpMethod.POST && COMMANDS.stream().anyMatch(pattern -> pattern.matches(route))) {
            header(operation, CommandDispatch.IDEMPOTENCY_KEY, "The same key with the same body returns the first "
                    + "answer and stores nothing new; with another body: 422. Stored in the events' metadata.",
                    "anapec-2025-0001");
            header(operation, CommandDispatch.OCCURRED_AT_HEADER, "When the fact happened, if not now (UTC).",
                    "2025-03-03T09:00:00Z");
            header(operation, CommandDispatch.CORRECTION_HEADER, "Why a fact dated inside a closed reporting "
                    + "period is recorded all the same.", "invoice received late");
            if (ACTIVITY_ACTION.matches(route)) {
                header(operation, "If-Match", "The version last read: 409 version-conflict if the activity "
                        + "changed since.", "\"1\"");
            }
        }
        ApiResponses answers = ApiDocs.answers(operation);
        ApiDocs.problem(answers, "400", "malformed-body", "Malformed request body",
                "plannedPeriod.end: cannot read \"2024-02-30\" as an ISO date (yyyy-MM-dd) that exists",
                Map.of("errors", List.of(new InvalidInput.FieldViolation("plannedPeriod.end",
                        "cannot read \"2024-02-30\" as an ISO date (yyyy-MM-dd) that exists"))));
        ApiDocs.problem(answers, "401", "unauthenticated", "Authentication required",
                "this endpoint needs an API key: Authorization: Bearer cl_…", Map.of());
        if (!open) {
            ApiDocs.problem(answers, "403", "forbidden", "Not allowed for this key",
                    "the key's role may not use " + method.name() + " " + path, Map.of());
        }
        if (path.contains("{")) {
            ApiDocs.problem(answers, "404", "not-found", "Unknown activity",
                    "No activity ANAPEC:WLT-DEMO-9 in the ledger", Map.of("activityId", "ANAPEC:WLT-DEMO-9"));
        }
        if (method == HttpMethod.POST) {
            ApiDocs.problem(answers, "409", "transition-refused", "Refused by the activity's state",
                    "cannot start activity ANAPEC:WLT-TTA-2024 in state COMPLETED",
                    Map.of("currentState", "COMPLETED"));
            ApiDocs.problem(answers, "413", "body-too-large", "Request body too large",
                    "body: at most 1048576 bytes, this one has 2000000", Map.of());
            ApiDocs.problem(answers, "422", "idempotency-key-reused", "Idempotency key reused",
                    "the key anapec-2025-0001 was first used for another request", Map.of());
        }
    }

    private static void header(Operation operation, String name, String description, String example) {
        boolean present = operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(parameter -> name.equalsIgnoreCase(parameter.getName()));
        if (!present) {
            Parameter header = new HeaderParameter().name(name).required(false).description(description)
                    .schema(new StringSchema()).example(example);
            operation.addParametersItem(header);
        }
    }

    /** RFC 9457 problem details as ProblemDetail writes them, with the command service's codes and members. */
    private static ObjectSchema problemSchema() {
        Schema<?> violation = new ObjectSchema()
                .addProperty("field", new StringSchema().description("the field, as a JSON path"))
                .addProperty("message", new StringSchema());
        ObjectSchema problem = ApiDocs.problemSchema("RFC 9457 problem details. Other members depend on the code: "
                + "currentState, currentVersion, expectedVersion, movedTo, activityId…", "stable, for programs: "
                + "invalid-input, malformed-body, unauthenticated, forbidden, not-permitted, not-found, "
                + "transition-refused, period-closed, activity-moved, version-conflict, already-exists, "
                + "concurrent-change, body-too-large, idempotency-key-reused, rejected-request");
        problem.addProperty("errors", new ArraySchema().items(violation)
                .description("every field refused, for invalid-input and malformed-body"));
        problem.setRequired(new ArrayList<>(List.of("type", "title", "status", "code")));
        return problem;
    }

    private static List<PathPattern> patterns(String... patterns) {
        return List.of(patterns).stream().map(PathPatternParser.defaultInstance::parse).toList();
    }
}
