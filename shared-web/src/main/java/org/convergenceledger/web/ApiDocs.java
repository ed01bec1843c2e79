package org.convergenceledger.web;

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

/**
 * What both services' OpenAPI descriptions say alike, beyond what springdoc reads from the controllers: the bearer
 * scheme (required, or optional where no key is needed: a bad key is refused even there), the problem+json schema,
 * and an example answer per status. Each service's ApiDescription adds its own operations' specifics.
 */
public final class ApiDocs {

    public static final String BEARER = "bearer";
    public static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private ApiDocs() {
    }

    /** The description's head: title, the application's version (from its jar), this service as server, the key. */
    public static OpenAPI openApi(String title, Class<?> application, String description, String keyDescription) {
        String version = Optional.ofNullable(application.getPackage().getImplementationVersion())
                .orElse("development");
        return new OpenAPI()
                .info(new Info().title(title).version(version).description(description))
                .servers(List.of(new Server().url("/").description("this service")))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("cl_<key id>_<secret>")
                        .description(keyDescription)));
    }

    /**
     * Adds the problem schema (here, not with the scheme: springdoc drops the schemas no operation uses before the
     * customizers run) and takes out the container's error page, which is no endpoint, with its ProblemDetail.
     */
    public static void prepare(OpenAPI api, Schema<?> problemSchema) {
        api.getComponents().addSchemas(PROBLEM, problemSchema);
        api.getPaths().remove("/error");
        if (!Json.pretty(api.getPaths()).contains("#/components/schemas/ProblemDetail")) {
            api.getComponents().getSchemas().remove("ProblemDetail");
        }
    }

    /** The key an operation needs, or may carry when open (a bad one is refused all the same). */
    public static void keyFor(Operation operation, boolean open) {
        operation.setSecurity(open ? List.of(new SecurityRequirement(), new SecurityRequirement().addList(BEARER))
                : List.of(new SecurityRequirement().addList(BEARER)));
    }

    /** The operation's answers, made if springdoc found none. */
    public static ApiResponses answers(Operation operation) {
        ApiResponses answers = Objects.requireNonNullElseGet(operation.getResponses(), ApiResponses::new);
        operation.setResponses(answers);
        return answers;
    }

    /**
     * An answer springdoc did not find declared, as problem+json with an example of that status.
     *
     * @param code the problem's code, or null for a problem without one
     */
    public static void problem(ApiResponses answers, String status, String code, String title, String detail,
                               Map<String, Object> members) {
        if (answers.containsKey(status)) {
            return;
        }
        Map<String, Object> example = new LinkedHashMap<>();
        if (code != null) {
            example.put("type", "/problems/" + code);
        }
        example.put("title", title);
        example.put("status", Integer.parseInt(status));
        example.put("detail", detail);
        if (code != null) {
            example.put("code", code);
        }
        example.putAll(members);
        answers.addApiResponse(status, new ApiResponse().description(code == null ? title : title + " (" + code + ")")
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
                        .addExamples(code == null ? "example" : code, new Example().value(example)))));
    }

    /** RFC 9457 problem details as ProblemDetail writes them, with the codes and members this service uses. */
    public static ObjectSchema problemSchema(String description, String codes) {
        ObjectSchema problem = new ObjectSchema();
        problem.description(description)
                .addProperty("type", new StringSchema().format("uri-reference").example("/problems/invalid-input"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .addProperty("code", new StringSchema().description(codes));
        problem.setAdditionalProperties(true);
        return problem;
    }
}
