package org.convergenceledger.query.system;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Shows as {@code kafka} under /actuator/health: can the broker be reached within the health timeout? */
@Component
class KafkaHealthIndicator implements HealthIndicator {

    private final KafkaAdmin admin;

    KafkaHealthIndicator(KafkaAdmin admin) {
        this.admin = admin;
    }

    @Override
    public Health health() {
        try {
            KafkaAdmin.Cluster cluster = admin.describeCluster();
            return Health.up().withDetail("clusterId", cluster.clusterId())
                    .withDetail("brokers", cluster.brokers()).build();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Health.down(interrupted).build();
        } catch (Exception unreachable) {
            return Health.down().withDetail("error", unreachable.toString()).build();
        }
    }
}
