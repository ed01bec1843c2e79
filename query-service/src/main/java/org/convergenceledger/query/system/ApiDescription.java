package org.convergenceledger.query.system;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.convergenceledger.query.QueryServiceApplication;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at /v3/api-docs (Swagger UI at /swagger-ui.html), read by springdoc from the controllers.
 * Added here once: the bearer scheme (needed for the audit and administration endpoints, optional elsewhere) and
 * the problem+json answers every read can meet. ApiDescriptionIT checks it against the running service.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ApiDescription {

    static final String BEARER = "bearer";
    static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    @Bean
    OpenAPI queryApi() {
        String version = Optional.ofNullable(QueryServiceApplication.class.getPackage().getImplementationVersion())
                .orElse("development");
        return new OpenAPI()
                .info(new Info().title("Convergence Ledger — query service").version(version).description("""
                        Reads the ledger: activities, agencies and axes, the convergence view (matrix, likely \
                        duplications, joint work, gaps, progress, freshness, a change stream), at a past moment \
                        with knownAt= and validAt=, the IATI 2.03 export, the auditors' history and projection \
                        digests, the signer's material relayed for the dashboard at /. Reads are public; audit \
                        and administration need a key. Filters, roles and every problem code: README.md and \
                        docs/api.md; this description and the example requests: docs/openapi.md and \
                        deploy/http/query-service.http."""))
                .servers(List.of(new Server().url("/").description("this service")))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("cl_<key id>_<secret>")
                                .description("An API key issued by the command service's administrator. A key "
                                        + "that is unknown, malformed or revoked is refused with 401 even on a "
                                        + "public read.")));
    }

    @Bean
    OpenApiCustomizer queryApiAnswers() {
        return ApiDescription::describe;
    }

    static void describe(OpenAPI api) {
        // Added here, not with the scheme: springdoc drops the schemas no operation uses before customizers run.
        api.getComponents().addSchemas(PROBLEM, problemSchema());
        // The container's error page is no endpoint (HostileRequests.Errors), nor is the ProblemDetail it returns.
        api.getPaths().remove("/error");
        if (!Json.pretty(api.getPaths()).contains("#/components/schemas/ProblemDetail")) {
            api.getComponents().getSchemas().remove("ProblemDetail");
        }
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                describe(method.name(), path, operation)));
    }

    /** Who needs a key, as SecurityConfiguration says: audit and administration; every other endpoint is public. */
    static boolean needsKey(String path) {
        return path.startsWith("/api/audit/") || path.startsWith("/api/admin/");
    }

    private static void describe(String method, String path, Operation operation) {
        boolean open = !needsKey(path);
        // A public read still refuses a bad key, so the scheme is optional there rather than absent.
        operation.setSecurity(open ? List.of(new SecurityRequirement(), new SecurityRequirement().addList(BEARER))
                : List.of(new SecurityRequirement().addList(BEARER)));
        ApiResponses answers = Objects.requireNonNullElseGet(operation.getResponses(), ApiResponses::new);
        operation.setResponses(answers);
        problem(answers, "400", "Invalid parameter", "Parameter 'state' must be one of PROPOSED, COMMITTED, "
                + "STARTED, SUSPENDED, COMPLETED, CANCELLED, not 'DONE'", Map.of("parameter", "state"));
        problem(answers, "401", "Authentication required",
                "this endpoint needs an API key: Authorization: Bearer cl_…", Map.of("code", "unauthenticated"));
        if (!open) {
            problem(answers, "403", "Not allowed for this key",
                    "the key's role may not use " + method + " " + path, Map.of("code", "forbidden"));
        }
        if (path.contains("{")) {
            problem(answers, "404", "Not found", "No activity ANAPEC:WLT-DEMO-9 in the view", Map.of());
        }
        if (method.equals("GET") && path.startsWith("/api/") && !path.startsWith("/api/ledger/")) {
            problem(answers, "429", "Too busy",
                    "the gaps: as many long reads run already as this service allows; retry in 1 s",
                    Map.of("code", "too-busy", "retryAfterSeconds", 1));
        }
    }

    /** An answer springdoc did not find declared, as problem+json with an example of that status. */
    private static void problem(ApiResponses answers, String status, String title, String detail,
                                Map<String, Object> members) {
        if (answers.containsKey(status)) {
            return;
        }
        Map<String, Object> example = new LinkedHashMap<>();
        Object code = members.get("code");
        if (code != null) {
            example.put("type", "/problems/" + code);
        }
        example.put("title", title);
        example.put("status", Integer.parseInt(status));
        example.put("detail", detail);
        example.putAll(members);
        answers.addApiResponse(status, new ApiResponse().description(title)
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
                        .addExamples("example", new Example().value(example)))));
    }

    /** RFC 9457 problem details as ProblemDetail writes them, with the ledger's own members. */
    private static Schema<?> problemSchema() {
        Schema<?> problem = new ObjectSchema()
                .description("RFC 9457 problem details. Other members depend on the problem: parameter (the "
                        + "query parameter refused), retryAfterSeconds…")
                .addProperty("type", new StringSchema().format("uri-reference").example("about:blank"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .addProperty("code", new StringSchema().description("where the problem has one: unauthenticated, "
                        + "forbidden, too-busy, rejected-request, bad-request"))
                .addProperty("parameter", new StringSchema().description("the query parameter refused (400)"));
        problem.setAdditionalProperties(true);
        problem.setRequired(List.of("title", "status"));
        return problem;
    }
}
