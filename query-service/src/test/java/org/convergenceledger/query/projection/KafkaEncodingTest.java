package org.convergenceledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.serialization.json.JacksonSerializer;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.json.LedgerJson;
import org.convergenceledger.query.LedgerRecords;
import org.junit.jupiter.api.Test;

/** What the Axon Kafka extension does to our events between the publisher and the projections. */
class KafkaEncodingTest {

    private static final String ID = "ANAPEC:WLT-2024-07";
    private static final Instant RECORDED = Instant.parse("2024-03-04T08:30:00.123Z");

    private final JacksonSerializer serializer =
            JacksonSerializer.builder().objectMapper(LedgerJson.newObjectMapper()).build();
    private final LedgerRecords records = new LedgerRecords(serializer);
    private final DefaultKafkaMessageConverter converter =
            DefaultKafkaMessageConverter.builder().serializer(serializer).build();

    private static ConsumerRecord<String, byte[]> delivered(ProducerRecord<String, byte[]> sent) {
        return new ConsumerRecord<>(sent.topic(), 1, 7L, RECORDED.toEpochMilli(), TimestampType.CREATE_TIME,
                -1, -1, sent.key(), sent.value(), sent.headers(), Optional.empty());
    }

    @Test
    void anActivityEventArrivesAsADomainEventKeyedByItsActivity() {
        ActivityStarted started = new ActivityStarted(ID, LocalDate.of(2024, 3, 4));
        ProducerRecord<String, byte[]> sent = records.activity(started, 2, 42, "ANAPEC", RECORDED);

        EventMessage<?> received = converter.readKafkaMessage(delivered(sent)).orElseThrow();

        assertThat(sent.key()).isEqualTo(ID);
        assertThat(received).isInstanceOf(DomainEventMessage.class);
        assertThat(((DomainEventMessage<?>) received).getSequenceNumber()).isEqualTo(2);
        assertThat(received.getPayload()).isEqualTo(started);
        assertThat(received.getTimestamp()).isEqualTo(RECORDED);
    }

    @Test
    void metadataComesBackFromKafkaHeadersAsText() {
        Map<String, Object> metaData = new HashMap<>();
        metaData.put(LedgerMetadata.GLOBAL_SEQUENCE, 42L);
        metaData.put(LedgerMetadata.RECORDED_BY, "ANAPEC");
        ProducerRecord<String, byte[]> sent = records.record("Activity", ID, 2,
                new ActivityStarted(ID, LocalDate.of(2024, 3, 4)), 42, RECORDED, metaData);

        EventMessage<?> received = converter.readKafkaMessage(delivered(sent)).orElseThrow();

        // A Long goes out as its toString() in a header, and the converter reads every metadata header as text.
        assertThat(received.getMetaData().get(LedgerMetadata.GLOBAL_SEQUENCE)).isEqualTo("42");
        assertThat(LedgerEnvelope.of(received).globalSequence()).isEqualTo(42);
        assertThat(received.getMetaData()).containsEntry(LedgerMetadata.RECORDED_BY, "ANAPEC");
    }

    @Test
    void aRecordWithoutAxonHeadersIsSkippedWithoutAWord() {
        ConsumerRecord<String, byte[]> foreign = new ConsumerRecord<>("ledger.events", 0, 0L, ID,
                "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(converter.readKafkaMessage(foreign)).isEmpty();
    }

    @Test
    void aNullMetadataValueMakesTheConverterDropTheWholeRecord() {
        Map<String, Object> metaData = new HashMap<>();
        metaData.put(LedgerMetadata.GLOBAL_SEQUENCE, 43L);
        metaData.put(LedgerMetadata.IDEMPOTENCY_KEY, null);
        ProducerRecord<String, byte[]> sent = records.record("Activity", ID, 3,
                new ActivityStarted(ID, LocalDate.of(2024, 3, 4)), 43, RECORDED, metaData);

        // Collectors.toMap refuses the null header value; the converter logs that at TRACE and returns empty.
        assertThat(converter.readKafkaMessage(delivered(sent))).isEmpty();
    }

    @Test
    void aPayloadTheContractDoesNotKnowFailsOnlyWhenAHandlerReadsIt() {
        ProducerRecord<String, byte[]> sent =
                records.activity(new ActivityStarted(ID, LocalDate.of(2024, 3, 4)), 2, 42, "ANAPEC", RECORDED);
        ProducerRecord<String, byte[]> tampered = new ProducerRecord<>(sent.topic(), null, null, sent.key(),
                "{\"activityId\":\"X\",\"unknownField\":1}".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(sent.headers().toArray()));

        Optional<EventMessage<?>> received = converter.readKafkaMessage(delivered(tampered));

        // Deserialisation is lazy: the record converts, and the failure surfaces in the handler's transaction.
        assertThat(received).isPresent();
        assertThat(received.get().getPayloadType()).isEqualTo(ActivityStarted.class);
    }
}
