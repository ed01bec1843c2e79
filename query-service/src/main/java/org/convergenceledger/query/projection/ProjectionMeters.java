package org.convergenceledger.query.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.convergenceledger.query.system.KafkaAdmin;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Per read model (tag projection): ledger_projection_position, the global sequence up to which every event is applied
 * (the "asOfSequence" of its answers); ledger_projection_lag, the records of ledger.events its processor has still
 * to read (the health's consumerLag); ledger_projection_in_error, 1 while its processor fails or retries. A scrape
 * reads each position at most once a second (a primary-key row) and asks the broker for the topic's end offsets at
 * most every five seconds; NaN when the database or the broker cannot tell.
 */
@Component
class ProjectionMeters implements MeterBinder {

    private static final long POSITION_READ_EVERY_NANOS = 1_000_000_000L;
    private static final long OFFSETS_READ_EVERY_NANOS = 5_000_000_000L;

    private final EventProcessingConfiguration processing;
    private final ProjectionPosition positions;
    private final KafkaAdmin admin;
    private final String topic;
    private final Map<String, Cached> position = new java.util.concurrent.ConcurrentHashMap<>();
    private long endOffsetsReadAt;
    private boolean endOffsetsRead;
    private Map<TopicPartition, Long> endOffsets;

    ProjectionMeters(EventProcessingConfiguration processing, ProjectionPosition positions, KafkaAdmin admin,
                     KafkaProperties kafka) {
        this.processing = processing;
        this.positions = positions;
        this.admin = admin;
        this.topic = kafka.getDefaultTopic();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String projection : Projections.ALL) {
            position.put(projection, new Cached());
            Gauge.builder("ledger.projection.position", this, meters -> meters.position(projection))
                    .description("global sequence up to which every event is applied").tag("projection", projection)
                    .register(registry);
            Gauge.builder("ledger.projection.lag", this, meters -> meters.lag(projection))
                    .description("records of the events topic the projection's processor has still to read")
                    .tag("projection", projection).register(registry);
            Gauge.builder("ledger.projection.in.error", this, meters -> meters.inError(projection))
                    .description("1 while the projection's processor is failing or retrying, else 0")
                    .tag("projection", projection).register(registry);
        }
    }

    private double position(String projection) {
        return position.get(projection).value(POSITION_READ_EVERY_NANOS, () -> {
            try {
                return positions.of(projection).map(at -> (double) at.globalSequence()).orElse(0.0);
            } catch (DataAccessException unavailable) {
                return Double.NaN;
            }
        });
    }

    private double lag(String projection) {
        Optional<StreamingEventProcessor> processor = processing.eventProcessor(projection,
                StreamingEventProcessor.class);
        Object lag = processor.isEmpty() ? null : ProjectionLagHealthIndicator.lag(processor.get(), endOffsets());
        return lag instanceof Long records ? records : Double.NaN;
    }

    /** The topic's end offsets, asked of the broker at most every five seconds; null when it cannot tell. */
    private synchronized Map<TopicPartition, Long> endOffsets() {
        long now = System.nanoTime();
        if (!endOffsetsRead || now - endOffsetsReadAt >= OFFSETS_READ_EVERY_NANOS) {
            endOffsetsRead = true;
            endOffsetsReadAt = now;
            try {
                endOffsets = admin.endOffsets(topic);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                endOffsets = null;
            } catch (Exception brokerUnavailable) {
                endOffsets = null;
            }
        }
        return endOffsets;
    }

    private double inError(String projection) {
        return processing.eventProcessor(projection, StreamingEventProcessor.class)
                .map(processor -> processor.isError() || processor.processingStatus().values().stream()
                        .anyMatch(EventTrackerStatus::isErrorState) ? 1.0 : 0.0)
                .orElse(1.0);
    }

    /** A value read again only when the last reading is older than asked. */
    private static final class Cached {

        private long readAt;
        private double value = Double.NaN;
        private boolean read;

        synchronized double value(long maxAgeNanos, java.util.function.DoubleSupplier reading) {
            long now = System.nanoTime();
            if (!read || now - readAt >= maxAgeNanos) {
                value = reading.getAsDouble();
                readAt = now;
                read = true;
            }
            return value;
        }
    }
}
