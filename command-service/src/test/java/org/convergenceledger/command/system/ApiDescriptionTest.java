package org.convergenceledger.command.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiDescriptionTest {

    private static final String START = "/api/activities/{id}/start";
    private static final String PUBLIC_KEY = "/api/audit/public-key";
    private static final String COSIGN = "/api/audit/checkpoints/{treeSize}/cosignatures";

    private static OpenAPI described() {
        OpenAPI api = new OpenAPI().components(new Components().addSchemas("ProblemDetail", new Schema<>()))
                .paths(new Paths()
                        .addPathItem(START, new PathItem().post(new Operation().responses(new ApiResponses()
                                .addApiResponse("200", new ApiResponse().description("OK")))))
                        .addPathItem(PUBLIC_KEY, new PathItem().get(new Operation()))
                        .addPathItem(COSIGN, new PathItem().post(new Operation()))
                        .addPathItem("/error", new PathItem().get(new Operation())));
        ApiDescription.describe(api);
        return api;
    }

    @Test
    void aCommandNeedsTheBearerKeyAndNamesItsHeadersAndProblems() {
        Operation start = described().getPaths().get(START).getPost();
        assertThat(start.getSecurity()).containsExactly(new SecurityRequirement().addList("bearer"));
        assertThat(start.getParameters()).extracting(Parameter::getName)
                .containsExactly("Idempotency-Key", "Occurred-At", "Correction-Reason", "If-Match");
        assertThat(start.getResponses()).containsKeys("200", "400", "401", "403", "404", "409", "413", "422");
        assertThat(start.getResponses().get("409").getContent().get("application/problem+json").getSchema()
                .get$ref()).isEqualTo("#/components/schemas/Problem");
        assertThat(start.getResponses().get("200").getDescription()).isEqualTo("OK");
    }

    @Test
    void tamperEvidenceIsOpenWithTheKeyOptional() {
        OpenAPI api = described();
        for (Operation open : List.of(api.getPaths().get(PUBLIC_KEY).getGet(), api.getPaths().get(COSIGN).getPost())) {
            assertThat(open.getSecurity()).contains(new SecurityRequirement());
            assertThat(open.getResponses()).containsKey("401").doesNotContainKey("403");
        }
        assertThat(api.getPaths().get(COSIGN).getPost().getParameters()).isNull();
    }

    @Test
    void theErrorPageIsNoEndpointAndTheProblemSchemaIsThere() {
        OpenAPI api = described();
        assertThat(api.getPaths()).doesNotContainKey("/error");
        assertThat(api.getComponents().getSchemas()).containsKey("Problem").doesNotContainKey("ProblemDetail");
    }
}
