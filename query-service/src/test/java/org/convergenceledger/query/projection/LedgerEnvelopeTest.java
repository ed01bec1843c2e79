package org.convergenceledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.ActivityStarted;
import org.junit.jupiter.api.Test;

class LedgerEnvelopeTest {

    private static final Instant RECORDED = Instant.parse("2024-03-04T08:30:00Z");

    @Test
    void theEnvelopeCarriesPlaceWhoAndWhen() {
        var message = new GenericDomainEventMessage<>("Activity", "ANAPEC:WLT-2024-07", 2,
                new ActivityStarted("ANAPEC:WLT-2024-07", null),
                Map.of(LedgerMetadata.GLOBAL_SEQUENCE, "42",
                        LedgerMetadata.PREVIOUS_GLOBAL_SEQUENCE, "40",
                        LedgerMetadata.RECORDED_BY, "ANAPEC",
                        LedgerMetadata.OCCURRED_AT, "2024-03-04T07:00:00Z",
                        LedgerMetadata.IDEMPOTENCY_KEY, "start-1"),
                "event-1", RECORDED);

        LedgerEnvelope envelope = LedgerEnvelope.of(message);

        assertThat(envelope).isEqualTo(new LedgerEnvelope(42, 40L, "event-1", "ANAPEC:WLT-2024-07", 2, "ANAPEC",
                Instant.parse("2024-03-04T07:00:00Z"), RECORDED, "start-1"));
        assertThat(envelope.fromAggregate()).isTrue();
    }

    @Test
    void theGlobalSequenceIsReadFromTextOrFromANumber() {
        assertThat(LedgerEnvelope.globalSequence("17", "e")).isEqualTo(17);
        assertThat(LedgerEnvelope.globalSequence(17L, "e")).isEqualTo(17);
        assertThat(LedgerEnvelope.globalSequence(17, "e")).isEqualTo(17);
    }

    @Test
    void anEventWithoutAGlobalSequenceIsRefused() {
        var message = GenericEventMessage.asEventMessage(new ActivityStarted("X:1", null));

        assertThatThrownBy(() -> LedgerEnvelope.of(message))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("globalSequence");
    }

    @Test
    void aGlobalSequenceThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> LedgerEnvelope.globalSequence("forty-two", "e"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnreadableOccurrenceTimeIsLeftOut() {
        assertThat(LedgerEnvelope.instant("yesterday")).isNull();
        assertThat(LedgerEnvelope.instant("2024-03-04T07:00:00Z")).isEqualTo(Instant.parse("2024-03-04T07:00:00Z"));
    }

    @Test
    void theLedgersOwnTimestampsReadAsTheIsoParserReadsThem() {
        for (String text : java.util.List.of("2024-03-04T08:30:00Z", "2024-03-04T08:30:00.1Z",
                "2026-11-29T17:22:31.123456789Z", "2024-02-29T23:59:59.999Z", "1999-12-31T00:00:00.000001Z")) {
            assertThat(LedgerEnvelope.utc(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String text : java.util.List.of("2024-02-30T00:00:00Z", "2024-03-04T08:30:00+01:00",
                "2024-03-04 08:30:00Z", "2024-13-04T08:30:00Z", "soon")) {
            assertThat(LedgerEnvelope.utc(text)).as(text).isNull();
        }
    }
}
