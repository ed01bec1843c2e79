package org.convergenceledger.query.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import java.util.Map;
import org.convergenceledger.web.ApiDocs;
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

    @Bean
    OpenAPI queryApi() {
        return ApiDocs.openApi("Convergence Ledger — query service", ApiDescription.class, """
                Reads the ledger: activities, agencies and axes, the convergence view (matrix, likely \
                duplications, joint work, gaps, progress, freshness, a change stream), at a past moment \
                with knownAt= and validAt=, the IATI 2.03 export, the auditors' history and projection \
                digests, the signer's material relayed for the dashboard at /. Reads are public; audit \
                and administration need a key. Filters, roles and every problem code: docs/api.md; this \
                description and the example requests: docs/openapi.md and deploy/http/query-service.http.""",
                "An API key issued by the command service's administrator. A key that is unknown, malformed or "
                        + "revoked is refused with 401 even on a public read.");
    }

    @Bean
    OpenApiCustomizer queryApiAnswers() {
        return ApiDescription::describe;
    }

    static void describe(OpenAPI api) {
        ObjectSchema problem = ApiDocs.problemSchema("RFC 9457 problem details. Other members depend on the "
                + "problem: parameter (the query parameter refused), retryAfterSeconds…", "where the problem has "
                + "one: unauthenticated, forbidden, too-busy, rejected-request, bad-request");
        problem.addProperty("parameter", new StringSchema().description("the query parameter refused (400)"));
        problem.setRequired(List.of("title", "status"));
        ApiDocs.prepare(api, problem);
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                describe(method.name(), path, operation)));
    }

    /** Who needs a key, as SecurityConfiguration says: audit and administration; every other endpoint is public. */
    static boolean needsKey(String path) {
        return path.startsWith("/api/audit/") || path.startsWith("/api/admin/");
    }

    private static void describe(String method, String path, Operation operation) {
        boolean open = !needsKey(path);
        ApiDocs.keyFor(operation, open);
        ApiResponses answers = ApiDocs.answers(operation);
        ApiDocs.problem(answers, "400", null, "Invalid parameter", "Parameter 'state' must be one of PROPOSED, "
                + "COMMITTED, STARTED, SUSPENDED, COMPLETED, CANCELLED, not 'DONE'", Map.of("parameter", "state"));
        ApiDocs.problem(answers, "401", "unauthenticated", "Authentication required",
                "this endpoint needs an API key: Authorization: Bearer cl_…", Map.of());
        if (!open) {
            ApiDocs.problem(answers, "403", "forbidden", "Not allowed for this key",
                    "the key's role may not use " + method + " " + path, Map.of());
        }
        if (path.contains("{")) {
            ApiDocs.problem(answers, "404", null, "Not found", "No activity ANAPEC:WLT-DEMO-9 in the view", Map.of());
        }
        if (method.equals("GET") && path.startsWith("/api/") && !path.startsWith("/api/ledger/")) {
            ApiDocs.problem(answers, "429", "too-busy", "Too busy",
                    "the gaps: as many long reads run already as this service allows; retry in 1 s",
                    Map.of("retryAfterSeconds", 1));
        }
    }
}
