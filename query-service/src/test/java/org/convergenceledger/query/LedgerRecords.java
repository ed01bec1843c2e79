package org.convergenceledger.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.json.LedgerJson;

/** Kafka records made the way command-service publishes its stored events, for tests. */
public final class LedgerRecords {

    public static final String TOPIC = "ledger.events";

    private final DefaultKafkaMessageConverter converter;

    public LedgerRecords(Serializer serializer) {
        converter = DefaultKafkaMessageConverter.builder().serializer(serializer).build();
    }

    public static LedgerRecords withLedgerJson() {
        return new LedgerRecords(JacksonSerializer.builder().objectMapper(LedgerJson.newObjectMapper()).build());
    }

    public ProducerRecord<String, byte[]> activity(ActivityEvent event, long aggregateSequence, long globalSequence,
                                                   String recordedBy, Instant recordedAt) {
        return record("Activity", event.activityId(), aggregateSequence, event, globalSequence, recordedBy,
                recordedAt);
    }

    public ProducerRecord<String, byte[]> record(String aggregateType, String aggregateId, long aggregateSequence,
                                                 Object payload, long globalSequence, String recordedBy,
                                                 Instant recordedAt) {
        Map<String, Object> metaData = new HashMap<>();
        metaData.put(LedgerMetadata.RECORDED_BY, recordedBy);
        metaData.put(LedgerMetadata.OCCURRED_AT, recordedAt.minusSeconds(3600).toString());
        metaData.put(LedgerMetadata.IDEMPOTENCY_KEY, "key-" + globalSequence);
        // As command-service does: the global sequence as text (a Long would reach the headers as its toString()).
        metaData.put(LedgerMetadata.GLOBAL_SEQUENCE, Long.toString(globalSequence));
        return record(aggregateType, aggregateId, aggregateSequence, payload, globalSequence, recordedAt, metaData);
    }

    public ProducerRecord<String, byte[]> record(String aggregateType, String aggregateId, long aggregateSequence,
                                                 Object payload, long globalSequence, Instant recordedAt,
                                                 Map<String, Object> metaData) {
        String eventId = UUID.randomUUID().toString();
        var message = new GenericDomainEventMessage<>(aggregateType, aggregateId, aggregateSequence, payload,
                metaData, eventId, recordedAt);
        ProducerRecord<String, byte[]> record = converter.createKafkaMessage(message, TOPIC);
        record.headers().add(LedgerMetadata.HEADER_GLOBAL_SEQUENCE,
                Long.toString(globalSequence).getBytes(StandardCharsets.UTF_8));
        record.headers().add(LedgerMetadata.HEADER_EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
