package org.convergenceledger.query.projection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.convergenceledger.query.system.KafkaAdmin;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Shows as {@code projectionLag}: per processor, the last global sequence it applied, whether it runs or is stuck
 * in error (then DOWN), and how many records of the topic it has still to read.
 */
@Component
class ProjectionLagHealthIndicator implements HealthIndicator {

    private final EventProcessingConfiguration processing;
    private final ProjectionPosition position;
    private final KafkaAdmin admin;
    private final String topic;

    ProjectionLagHealthIndicator(EventProcessingConfiguration processing, ProjectionPosition position,
                                 KafkaAdmin admin, KafkaProperties kafka) {
        this.processing = processing;
        this.position = position;
        this.admin = admin;
        this.topic = kafka.getDefaultTopic();
    }

    @Override
    public Health health() {
        Map<TopicPartition, Long> endOffsets = endOffsets();
        boolean anyInError = false;
        Map<String, Object> processors = new LinkedHashMap<>();
        for (String name : Projections.ALL) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("lastAppliedGlobalSequence", position.asOfSequence(name));
            Optional<StreamingEventProcessor> processor =
                    processing.eventProcessor(name, StreamingEventProcessor.class);
            if (processor.isEmpty()) {
                details.put("running", false);
                details.put("error", "no such processor");
                anyInError = true;
            } else {
                StreamingEventProcessor streaming = processor.get();
                // isError() only covers a processor that gave up; a segment retrying after a failure is in error too.
                Optional<EventTrackerStatus> failing = streaming.processingStatus().values().stream()
                        .filter(EventTrackerStatus::isErrorState)
                        .findFirst();
                boolean inError = streaming.isError() || failing.isPresent();
                details.put("running", streaming.isRunning());
                details.put("inError", inError);
                failing.ifPresent(status -> details.put("error", String.valueOf(status.getError())));
                anyInError |= inError;
                details.put("consumerLag", lag(streaming, endOffsets));
            }
            processors.put(name, details);
        }
        return (anyInError ? Health.down() : Health.up()).withDetails(processors).build();
    }

    private Map<TopicPartition, Long> endOffsets() {
        try {
            return admin.endOffsets(topic);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception brokerUnavailable) {
            return null;
        }
    }

    // Records of the topic beyond the processor's token; "unknown" when the broker or the token cannot tell.
    // Records the converter cannot read never move the token, so they stay counted here. ProjectionMeters too.
    static Object lag(StreamingEventProcessor processor, Map<TopicPartition, Long> endOffsets) {
        if (endOffsets == null) {
            return "unknown";
        }
        Map<TopicPartition, Long> consumed = new LinkedHashMap<>();
        for (EventTrackerStatus status : processor.processingStatus().values()) {
            TrackingToken token = status.getTrackingToken();
            if (token == null) {
                continue;
            }
            WrappedToken.unwrap(token, KafkaTrackingToken.class).ifPresent(kafkaToken ->
                    kafkaToken.getPositions().forEach((partition, offset) ->
                            consumed.merge(partition, offset, Math::max)));
        }
        if (processor.processingStatus().isEmpty()) {
            return "unknown";
        }
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            // A token holds the offset of the last record read; a partition it lacks is unread from the start.
            long next = consumed.containsKey(end.getKey()) ? consumed.get(end.getKey()) + 1 : 0;
            lag += Math.max(0, end.getValue() - next);
        }
        return lag;
    }
}
