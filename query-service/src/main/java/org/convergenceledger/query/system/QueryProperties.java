package org.convergenceledger.query.system;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Our own settings of the query side, under {@code ledger.query}. */
@ConfigurationProperties("ledger.query")
public record QueryProperties(
        // A larger page asked for is cut down to this, so one request cannot read the whole ledger.
        @DefaultValue("200") int maxPageSize,
        // The health checks call the broker down after this, rather than hang the health endpoint.
        @DefaultValue("2s") Duration kafkaHealthTimeout,
        // The topic is created like this when the query side starts first; the same as command-service's.
        @DefaultValue("3") int topicPartitions,
        @DefaultValue("1") short topicReplicationFactor) {
}
