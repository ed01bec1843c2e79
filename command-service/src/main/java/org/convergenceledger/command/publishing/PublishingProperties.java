package org.convergenceledger.command.publishing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param bootstrapServers the Kafka brokers
 * @param topic            where every stored event goes, keyed by activity id
 * @param partitions       partitions of the topic when the publisher creates it
 * @param sendTimeout      how long a batch may wait for the broker before it is retried from the same position
 */
@ConfigurationProperties("ledger.publishing")
record PublishingProperties(String bootstrapServers, String topic, int partitions, Duration sendTimeout) {
}
