package org.convergenceledger.command.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.convergenceledger.web.Correlation;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Publishes what became of messages: each outcome on the results topic (with the message's idempotency key and
 * correlation id as headers, so that an agency ties result to command), each refused message copied to the
 * dead-letter topic. Returns only once the broker has acknowledged every one of them: only then may their offsets
 * be committed. Counts them in {@link IngestionMeters}.
 */
final class OutcomePublisher {

    // Beyond the producer's own delivery timeout: a send fails by then on its own.
    private static final long ACK_TIMEOUT_SECONDS = 60;

    private final KafkaOperations<String, byte[]> results;
    private final DeadLetters deadLetters;
    private final IngestionTopics topics;
    private final String resultsTopic;
    private final ObjectMapper json;
    private final IngestionMeters meters;

    OutcomePublisher(KafkaOperations<String, byte[]> results, DeadLetters deadLetters, IngestionTopics topics,
                     String resultsTopic, ObjectMapper json, IngestionMeters meters) {
        this.results = results;
        this.deadLetters = deadLetters;
        this.topics = topics;
        this.resultsTopic = resultsTopic;
        this.json = json;
        this.meters = meters;
    }

    /** @throws RuntimeException the broker did not acknowledge them all (an outage: the batch comes again) */
    void publish(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        topics.ensure();
        List<CompletableFuture<?>> sent = outcomes.stream()
                .<CompletableFuture<?>>map(outcome -> results.send(result(outcome))).toList();
        for (Outcome outcome : outcomes) {
            if (!outcome.accepted()) {
                deadLetters.copy(outcome);
            }
        }
        for (CompletableFuture<?> send : sent) {
            acknowledged(send);
        }
        meters.handled(outcomes);
    }

    private ProducerRecord<String, byte[]> result(Outcome outcome) {
        ReceivedCommand command = outcome.command();
        ObjectNode result = json.createObjectNode();
        result.put("status", outcome.accepted() ? "ACCEPTED" : "REJECTED");
        result.put("idempotencyKey", command.idempotencyKey());
        result.put("activityId", outcome.activityId());
        if (outcome.accepted()) {
            result.put("version", outcome.version());
            result.put("globalSequence", outcome.globalSequence());
        } else {
            result.set("problem", json.valueToTree(outcome.problem()));
        }
        ObjectNode source = result.putObject("source");
        source.put("topic", command.record().topic());
        source.put("partition", command.record().partition());
        source.put("offset", command.record().offset());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(resultsTopic, command.record().key(),
                bytes(result));
        record.headers().add(ReceivedCommand.IDEMPOTENCY_KEY, command.idempotencyKey().getBytes(StandardCharsets.UTF_8));
        record.headers().add(Correlation.KAFKA_HEADER, command.correlationId().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private byte[] bytes(ObjectNode result) {
        try {
            return json.writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a command's result", e);
        }
    }

    private static void acknowledged(CompletableFuture<?> send) {
        try {
            send.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for the results topic", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("the results topic did not acknowledge an outcome", e);
        }
    }
}
