package org.convergenceledger.command.ingestion;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled          consume agencies' commands at all
 * @param topicPrefix      each agency sends its commands, keyed by activity id, to this prefix + its code
 * @param resultsTopic     where each command's outcome is published
 * @param deadLetterTopic  where a message that cannot be parsed or is refused is copied, with the reason
 * @param groupId          the consumer group; its committed offsets say what has been handled
 * @param partitions       partitions of the three topics when the service creates them
 * @param maxAttempts      tries of a message that fails for no reason of the sender's before it is dead-lettered
 * @param retryBackoff     wait between those tries, and after the database or the broker failed
 */
@ConfigurationProperties("ledger.ingestion")
record IngestionProperties(boolean enabled, String topicPrefix, String resultsTopic,
                           String deadLetterTopic, String groupId, int partitions, int maxAttempts,
                           Duration retryBackoff) {
}
