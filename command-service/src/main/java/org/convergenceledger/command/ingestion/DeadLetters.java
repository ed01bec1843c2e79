package org.convergenceledger.command.ingestion;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Copies a refused message to the dead-letter topic as it came (its key, value and headers, but never an API key),
 * with why it was refused in ledger-dlt-* headers beside spring-kafka's own kafka_dlt-* ones (original topic,
 * partition, offset; the exception's class and message, no stack trace: the reason is the problem, not our code).
 * The producer picks the partition from the key, as for any other record of the activity. Returns once the broker
 * has acknowledged the copy.
 */
final class DeadLetters extends DeadLetterPublishingRecoverer {

    static final String STATUS = "ledger-dlt-status";
    static final String CODE = "ledger-dlt-code";
    static final String REASON = "ledger-dlt-reason";
    static final String SOURCE = "ledger-dlt-source";

    DeadLetters(KafkaOperations<String, byte[]> template, String topic) {
        // Partition -1: none set on the copy, so the producer chooses by key.
        super(template, (record, refusal) -> new TopicPartition(topic, -1));
        excludeHeader(HeaderNames.HeadersToAdd.EX_STACKTRACE);
        setHeadersFunction((record, refusal) -> reasons(((Refusal) refusal).outcome));
    }

    /** Copies the refused command's message, with its reason. */
    void copy(Outcome refused) {
        accept(refused.command().record(), null, new Refusal(refused));
    }

    @Override
    protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record,
            TopicPartition topicPartition, Headers headers, byte[] key, byte[] value) {
        // An earlier sender's key must not outlive the message in a topic kept for investigation.
        headers.remove(ReceivedCommand.API_KEY);
        return super.createProducerRecord(record, topicPartition, headers, key, value);
    }

    private static Headers reasons(Outcome refused) {
        ProblemDetail problem = refused.problem();
        String code = refused.problemCode();
        RecordHeaders headers = new RecordHeaders();
        headers.add(STATUS, bytes(Integer.toString(problem.getStatus())));
        headers.add(CODE, bytes(code == null ? "" : code));
        headers.add(REASON, bytes(String.valueOf(problem.getDetail())));
        headers.add(SOURCE, bytes(refused.command().source()));
        // Replaces the sender's header, if any: the key the message was handled under, made one when none was sent.
        headers.add(new SingleRecordHeader(ReceivedCommand.IDEMPOTENCY_KEY, bytes(refused.command().idempotencyKey())));
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What the recoverer is told a message failed with: the ledger's refusal, its problem as the message. */
    private static final class Refusal extends RuntimeException {

        private final transient Outcome outcome;

        Refusal(Outcome outcome) {
            super(String.valueOf(outcome.problem().getDetail()), null, false, false);
            this.outcome = outcome;
        }
    }
}
