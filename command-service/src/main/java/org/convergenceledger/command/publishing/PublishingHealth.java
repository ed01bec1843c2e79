package org.convergenceledger.command.publishing;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.convergenceledger.command.system.KafkaClients;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Health of the way out: the broker, and how far the publisher trails the event store. A broker that is down makes
 * the service DEGRADED, not DOWN: writes are still accepted and publishing catches up when it returns.
 */
@Configuration(proxyBeanMethods = false)
class PublishingHealth {

    static final Status DEGRADED = new Status("DEGRADED", "accepting writes; publishing to Kafka is held up");

    @Bean
    BrokerHealth kafka(PublishingProperties properties, KafkaClients kafka) {
        return new BrokerHealth(properties, kafka);
    }

    /**
     * Asks the broker how many nodes it has, through one admin client kept for the service's life (it reconnects by
     * itself): a health check every few hundred milliseconds (a benchmark's catch-up probe, a load balancer) must not
     * open a client, a connection and a login each time.
     */
    static final class BrokerHealth implements HealthIndicator, org.springframework.beans.factory.DisposableBean {

        private final PublishingProperties properties;
        private final Admin admin;

        BrokerHealth(PublishingProperties properties, KafkaClients kafka) {
            this.properties = properties;
            this.admin = kafka.admin("ledger-health", java.time.Duration.ofSeconds(2));
        }

        @Override
        public Health health() {
            try {
                int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                        .get(3, TimeUnit.SECONDS).size();
                return Health.up().withDetail("bootstrapServers", properties.bootstrapServers())
                        .withDetail("brokers", brokers).build();
            } catch (Exception unreachable) {
                return Health.status(DEGRADED).withDetail("bootstrapServers", properties.bootstrapServers())
                        .withDetail("error", String.valueOf(unreachable.getMessage())).build();
            }
        }

        @Override
        public void destroy() {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }

    @Bean
    HealthIndicator publishing(EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        return () -> {
            Long head = jdbc.queryForObject("SELECT coalesce(max(globalindex), 0) FROM domainevententry", Long.class);
            StreamingEventProcessor publisher = processing
                    .eventProcessor(KafkaLedgerPublisher.GROUP, StreamingEventProcessor.class).orElse(null);
            if (publisher == null) {
                return Health.unknown().build();
            }
            Map<Integer, EventTrackerStatus> status = publisher.processingStatus();
            OptionalLong here = PublishingMeters.position(status);
            if (here.isEmpty()) {
                // Another instance holds the claim (tokenentry's owner: pid@host) and reports the lag.
                return Health.up().withDetail("storeHead", head).withDetail("publishedBy", String.join(", ",
                        jdbc.queryForList("SELECT coalesce(owner, 'nobody yet') FROM tokenentry WHERE processorname = ?",
                                String.class, KafkaLedgerPublisher.GROUP)))
                        .withDetail("running", publisher.isRunning()).build();
            }
            long position = here.getAsLong();
            boolean inError = status.values().stream().anyMatch(EventTrackerStatus::isErrorState);
            Health.Builder health = inError ? Health.status(DEGRADED) : Health.up();
            return health.withDetail("storeHead", head)
                    .withDetail("publishedUpTo", position)
                    .withDetail("lagEvents", Math.max(0, head - position))
                    .withDetail("running", publisher.isRunning())
                    .withDetail("retrying", inError)
                    .build();
        };
    }
}
