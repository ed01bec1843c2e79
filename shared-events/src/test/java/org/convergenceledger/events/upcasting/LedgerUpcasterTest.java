package org.convergenceledger.events.upcasting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.common.YearlyAmount;
import org.convergenceledger.events.json.LedgerJson;
import org.junit.jupiter.api.Test;

/** The upcaster as Axon runs it: a stored row through the chain, then Axon's Jackson serializer. */
class LedgerUpcasterTest {

    private static final ObjectMapper JSON = LedgerJson.newObjectMapper();
    private static final Serializer SERIALIZER = JacksonSerializer.builder().objectMapper(JSON).build();
    private static final EventUpcasterChain CHAIN = new EventUpcasterChain(new LedgerUpcaster());

    private static final String OLD_PROPOSAL = """
            {"activityId":"ANAPEC:OLD-1","leadAgency":"ANAPEC","title":"Dual training","description":null,\
            "axes":["WORK_LINKED_TRAINING"],"regions":["ORIENTAL"],"targetGroups":["YOUTH"],\
            "plannedPeriod":{"start":"2024-03-01","end":"2026-02-28"},\
            "plannedBudget":{"amount":900000.00,"currency":"MAD"},"partners":[]}""";

    private static IntermediateEventRepresentation read(Class<?> type, String revision, String payload) {
        GenericDomainEventEntry<byte[]> row = new GenericDomainEventEntry<>("Activity", "ANAPEC:OLD-1", 0, "event-1",
                Instant.parse("2024-02-01T10:00:00Z"), type.getName(), revision,
                payload.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        return CHAIN.upcast(java.util.stream.Stream.of(new InitialEventRepresentation(row, SERIALIZER)))
                .findFirst().orElseThrow();
    }

    private static <T> T deserialize(IntermediateEventRepresentation upcast) {
        SerializedObject<?> data = upcast.getData();
        return SERIALIZER.deserialize(data);
    }

    @Test
    void anOldProposalIsReadAsRevisionTwoWithItsBudgetSplitProRata() {
        IntermediateEventRepresentation upcast = read(ActivityProposed.class, null, OLD_PROPOSAL);

        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        ActivityProposed proposed = deserialize(upcast);
        // 2024-03-01..2026-02-28: 306 days in 2024, 365 in 2025, 59 in 2026 (730 in all).
        assertThat(proposed.plannedBudgetByYear()).containsExactly(
                new YearlyAmount(2024, new BigDecimal("377260.27")),
                new YearlyAmount(2025, new BigDecimal("450000.00")),
                new YearlyAmount(2026, new BigDecimal("72739.73")));
        assertThat(proposed.plannedBudget().amount()).isEqualTo(new BigDecimal("900000.00"));
    }

    @Test
    void theUpcastFormIsWhatTheCurrentCodeWritesForTheSameEvent() throws Exception {
        ActivityProposed proposed = deserialize(read(ActivityProposed.class, null, OLD_PROPOSAL));

        JsonNode upcast = LedgerUpcaster.payload(ActivityProposed.class.getName(), JSON.readTree(OLD_PROPOSAL));

        assertThat(JSON.writeValueAsString(upcast)).isEqualTo(JSON.writeValueAsString(proposed));
    }

    @Test
    void anOldRevisionIsSplitByItsOwnPeriodAndBudget() {
        String revision = """
                {"activityId":"ANAPEC:OLD-1","title":"Dual training","description":null,\
                "axes":["WORK_LINKED_TRAINING"],"regions":["ORIENTAL"],"targetGroups":["YOUTH"],\
                "plannedPeriod":{"start":"2025-01-01","end":"2025-12-31"},\
                "plannedBudget":{"amount":500000,"currency":"EUR"},"reason":"One year only"}""";

        ActivityRevised revised = deserialize(read(ActivityRevised.class, null, revision));

        assertThat(revised.plannedBudgetByYear()).containsExactly(new YearlyAmount(2025, new BigDecimal("500000.00")));
    }

    @Test
    void aPayloadThatHasItsSplitKeepsItWhateverTheStoredRevisionSays() throws Exception {
        String given = OLD_PROPOSAL.replace("\"partners\"",
                "\"plannedBudgetByYear\":[{\"year\":2024,\"amount\":900000.00}],\"partners\"");

        ActivityProposed withRevision = deserialize(read(ActivityProposed.class, "2", given));
        ActivityProposed revisionErased = deserialize(read(ActivityProposed.class, null, given));

        assertThat(withRevision.plannedBudgetByYear()).containsExactly(
                new YearlyAmount(2024, new BigDecimal("900000.00")));
        assertThat(revisionErased).isEqualTo(withRevision);
    }

    @Test
    void anOldPayloadGivenTheNewRevisionIsStillSplit() {
        ActivityProposed proposed = deserialize(read(ActivityProposed.class, "2", OLD_PROPOSAL));

        assertThat(proposed.plannedBudgetByYear()).hasSize(3);
    }

    @Test
    void otherEventsPassUntouched() {
        String started = "{\"activityId\":\"ANAPEC:OLD-1\",\"startedOn\":\"2024-03-04\"}";

        IntermediateEventRepresentation read = read(ActivityStarted.class, null, started);

        assertThat(read.getType().getRevision()).isNull();
        assertThat(read.getData().getData()).isEqualTo(started.getBytes(StandardCharsets.UTF_8));
        ActivityStarted event = deserialize(read);
        assertThat(event).isEqualTo(new ActivityStarted("ANAPEC:OLD-1", java.time.LocalDate.of(2024, 3, 4)));
    }
}
