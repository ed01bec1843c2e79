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
        @DefaultValue("1") short topicReplicationFactor,
        @DefaultValue Pools pools) {

    /**
     * Connections per kind of work, each kind its own pool so that none can take the others' connections: live reads,
     * the projections (processors, rebuilds), and scans (as-of reads, replays, digests), which are also limited to as
     * many at a time as they have connections; a scan that waits longer than scanWait for one is refused with 429.
     */
    public record Pools(
            @DefaultValue("8") int reads,
            @DefaultValue("4") int projections,
            @DefaultValue("2") int scans,
            @DefaultValue("2s") Duration scanWait) {
    }
}
