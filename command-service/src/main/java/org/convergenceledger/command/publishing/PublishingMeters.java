package org.convergenceledger.command.publishing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far the way out has got: ledger_store_head, the global index of the newest stored event, and
 * ledger_published_position, the publisher's position in that order (everything up to it is on Kafka). Their
 * difference is the publishing lag. The head is one primary-key probe, at most once a second whatever the scrapes.
 */
@Component
class PublishingMeters implements MeterBinder {

    private static final long HEAD_READ_EVERY_NANOS = 1_000_000_000L;

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private long headReadAt = System.nanoTime() - HEAD_READ_EVERY_NANOS;
    private double head = Double.NaN;

    PublishingMeters(EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        this.processing = processing;
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ledger.store.head", this, PublishingMeters::storeHead)
                .description("global index of the newest event in the event store").register(registry);
        Gauge.builder("ledger.published.position", this, meters -> meters.publishedPosition())
                .description("the Kafka publisher's position: every stored event up to it is on ledger.events")
                .register(registry);
    }

    private synchronized double storeHead() {
        long now = System.nanoTime();
        if (now - headReadAt >= HEAD_READ_EVERY_NANOS) {
            headReadAt = now;
            try {
                head = jdbc.queryForObject("SELECT coalesce(max(globalindex), 0) FROM domainevententry", Long.class);
            } catch (DataAccessException unavailable) {
                head = Double.NaN;
            }
        }
        return head;
    }

    /** NaN on an instance that does not publish now: another holds the claim and says where it is. */
    private double publishedPosition() {
        return processing.eventProcessor(KafkaLedgerPublisher.GROUP, StreamingEventProcessor.class)
                .map(publisher -> position(publisher.processingStatus()))
                .filter(OptionalLong::isPresent).map(position -> (double) position.getAsLong()).orElse(Double.NaN);
    }

    /**
     * The publisher's position here: its slowest segment's (0 before it has published anything); empty when this
     * instance holds no segment (with several instances, the one holding the token's claim publishes).
     */
    static OptionalLong position(Map<Integer, EventTrackerStatus> status) {
        return status.isEmpty() ? OptionalLong.empty() : OptionalLong.of(status.values().stream()
                .mapToLong(segment -> segment.getCurrentPosition().orElse(0L)).min().orElse(0L));
    }
}
