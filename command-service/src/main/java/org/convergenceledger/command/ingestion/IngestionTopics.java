package org.convergenceledger.command.ingestion;

import java.time.Duration;
import java.util.List;
import org.convergenceledger.command.system.KafkaClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.event.ConsumerStartingEvent;

/**
 * The results and dead-letter topics, created if missing (and if the service's login may) when the ingestion's
 * consumer starts, before its first poll; if the broker is unreachable then, again before the first outcome is
 * published. The agencies' own topics are made with their logins (BrokerLogins).
 */
final class IngestionTopics {

    private static final Logger log = LoggerFactory.getLogger(IngestionTopics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients kafka;
    private final IngestionProperties properties;
    private volatile boolean ready;

    IngestionTopics(KafkaClients kafka, IngestionProperties properties) {
        this.kafka = kafka;
        this.properties = properties;
    }

    @EventListener
    void consumerStarting(ConsumerStartingEvent starting) {
        try {
            ensure();
        } catch (IllegalStateException unreachable) {
            log.warn("Results and dead-letter topics not checked yet ({}); checked again before the first outcome",
                    unreachable.getMessage());
        }
    }

    /** @throws IllegalStateException the broker could not be asked */
    void ensure() {
        if (!ready) {
            kafka.createTopicsIfMissing(List.of(properties.resultsTopic(), properties.deadLetterTopic()),
                    properties.partitions(), TIMEOUT);
            ready = true;
        }
    }
}
