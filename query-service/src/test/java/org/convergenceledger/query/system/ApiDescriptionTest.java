package org.convergenceledger.query.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.junit.jupiter.api.Test;

class ApiDescriptionTest {

    private static final String ACTIVITY = "/api/activities/{id}";
    private static final String HISTORY = "/api/audit/activities/{id}/history";
    private static final String RELAYED = "/api/ledger/public-key";

    private static OpenAPI described() {
        OpenAPI api = new OpenAPI().components(new Components()).paths(new Paths()
                .addPathItem(ACTIVITY, new PathItem().get(new Operation()))
                .addPathItem(HISTORY, new PathItem().get(new Operation()))
                .addPathItem(RELAYED, new PathItem().get(new Operation())));
        ApiDescription.describe(api);
        return api;
    }

    @Test
    void aPublicReadTakesAKeyOnlyIfOneIsShown() {
        Operation read = described().getPaths().get(ACTIVITY).getGet();
        assertThat(read.getSecurity()).contains(new SecurityRequirement(),
                new SecurityRequirement().addList("bearer"));
        assertThat(read.getResponses()).containsKeys("400", "401", "404", "429").doesNotContainKey("403");
    }

    @Test
    void theAuditorsHistoryNeedsTheBearerKey() {
        Operation history = described().getPaths().get(HISTORY).getGet();
        assertThat(history.getSecurity()).containsExactly(new SecurityRequirement().addList("bearer"));
        assertThat(history.getResponses()).containsKeys("401", "403", "404");
        assertThat(history.getResponses().get("403").getContent()).containsKey("application/problem+json");
    }

    @Test
    void theRelayedSignerMaterialIsNotQueuedBehindLongReads() {
        assertThat(described().getPaths().get(RELAYED).getGet().getResponses()).doesNotContainKey("429");
    }
}
