package org.convergenceledger.events.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.convergenceledger.events.json.LedgerJson;
import org.junit.jupiter.api.Test;

/** Pins the canonical encoding and the event hash: an outside verifier re-implements exactly this. */
class EventHashTest {

    private static final ObjectMapper JSON = LedgerJson.newObjectMapper();

    @Test
    void canonicalJsonSortsKeysDropsWhitespaceAndKeepsDecimalsAsWritten() throws Exception {
        JsonNode node = JSON.readTree("""
                { "title" : "Équipe \\"nord\\"\\n", "amount": 1200000.00, "count": 412,
                  "nested": {"z": [3, 1], "a": null, "m": true}, "when": "2024-03-01" }
                """);

        String canonical = new String(CanonicalJson.encode(node), StandardCharsets.UTF_8);

        assertThat(canonical).isEqualTo("{\"amount\":1200000.00,\"count\":412,\"nested\":{\"a\":null,\"m\":true,"
                + "\"z\":[3,1]},\"title\":\"Équipe \\\"nord\\\"\\n\",\"when\":\"2024-03-01\"}");
    }

    /** The pinned value was checked independently (Python: json.dumps sort_keys, compact separators, UTF-8). */
    @Test
    void theHashOfAKnownEventIsPinned() throws Exception {
        EventHash.Fields fields = new EventHash.Fields("0cbbce64-121f-4467-8395-19e9058725a4", "ANAPEC:WLT-2024-07",
                0, "org.convergenceledger.events.activity.ActivityStarted",
                EventHash.recordedAt(Instant.parse("2024-03-04T09:00:00.123456Z")),
                Map.of("recordedBy", "ANAPEC", "occurredAt", "2024-03-04T09:00:00Z"),
                JSON.readTree("{\"activityId\":\"ANAPEC:WLT-2024-07\",\"startedOn\":\"2024-03-04\"}"),
                EventHash.GENESIS);

        assertThat(fields.recordedAt()).isEqualTo("2024-03-04T09:00:00.123Z");
        assertThat(EventHash.of(fields)).isEqualTo(EventHash.sha256(("{\"aggregateId\":\"ANAPEC:WLT-2024-07\","
                + "\"aggregateSequence\":0,\"envelope\":{\"occurredAt\":\"2024-03-04T09:00:00Z\","
                + "\"recordedBy\":\"ANAPEC\"},\"eventId\":\"0cbbce64-121f-4467-8395-19e9058725a4\",\"payload\":"
                + "{\"activityId\":\"ANAPEC:WLT-2024-07\",\"startedOn\":\"2024-03-04\"},\"payloadType\":"
                + "\"org.convergenceledger.events.activity.ActivityStarted\",\"previousHash\":\"" + EventHash.GENESIS
                + "\",\"recordedAt\":\"2024-03-04T09:00:00.123Z\"}").getBytes(StandardCharsets.UTF_8)));
        assertThat(EventHash.of(fields)).isEqualTo("83ab4838b1bf67cdbe4638ece8858bbade732b68dbc73d89b07dd19c96af397a");
    }

    @Test
    void changingAnyCoveredFieldChangesTheHash() throws Exception {
        JsonNode payload = JSON.readTree("{\"amount\":100.00}");
        EventHash.Fields original = new EventHash.Fields("id", "A:1", 1, "T", "2024-01-01T00:00:00.000Z",
                Map.of("recordedBy", "A"), payload, EventHash.GENESIS);

        String hash = EventHash.of(original);

        assertThat(EventHash.of(new EventHash.Fields("id", "A:1", 1, "T", "2024-01-01T00:00:00.000Z",
                Map.of("recordedBy", "A"), JSON.readTree("{\"amount\":100.01}"), EventHash.GENESIS)))
                .isNotEqualTo(hash);
        assertThat(EventHash.of(new EventHash.Fields("id", "A:1", 2, "T", "2024-01-01T00:00:00.000Z",
                Map.of("recordedBy", "A"), payload, EventHash.GENESIS))).isNotEqualTo(hash);
        assertThat(EventHash.of(new EventHash.Fields("id", "A:1", 1, "T", "2024-01-01T00:00:00.000Z",
                Map.of("recordedBy", "B"), payload, EventHash.GENESIS))).isNotEqualTo(hash);
        assertThat(EventHash.of(new EventHash.Fields("id", "A:1", 1, "T", "2024-01-01T00:00:00.000Z",
                Map.of("recordedBy", "A"), payload, "1".repeat(64)))).isNotEqualTo(hash);
    }
}
