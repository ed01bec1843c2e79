package org.convergenceledger.command.ingestion;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.convergenceledger.web.Correlation;

/**
 * An agency's command message as the ledger reads its envelope: the record, the idempotency key it is handled under
 * (the sender's ledger-idempotency-key, else one made of its topic, partition and offset, so that a message
 * delivered again is the same request) and the correlation id it is handled under (the sender's, else a new one).
 */
record ReceivedCommand(ConsumerRecord<String, byte[]> record, String idempotencyKey, String correlationId) {

    /** A header earlier senders used for their API key: never copied anywhere (the topic names the sender now). */
    static final String API_KEY = "ledger-api-key";
    static final String IDEMPOTENCY_KEY = "ledger-idempotency-key";
    static final String OCCURRED_AT = "ledger-occurred-at";
    /** Header of a correction of a closed reporting period: why it is made (see CommandDispatch.Sent). */
    static final String CORRECTION_REASON = "ledger-correction-reason";

    static ReceivedCommand of(ConsumerRecord<String, byte[]> record) {
        String sentKey = header(record, IDEMPOTENCY_KEY);
        return new ReceivedCommand(record,
                sentKey != null ? sentKey : "kafka:" + record.topic() + "-" + record.partition() + "-" + record.offset(),
                Correlation.accepted(header(record, Correlation.KAFKA_HEADER)));
    }

    String header(String name) {
        return header(record, name);
    }

    /** Where the message came from, as the results and the dead letters name it: topic/partition/offset. */
    String source() {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8).strip();
    }
}
