package org.convergenceledger.query.system;

import org.axonframework.extensions.kafka.KafkaProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Makes sure the events topic exists before the processors start. The extension's consumer assigns the partitions
 * it finds when a stream opens: with no topic yet it fails, and retries with a back-off that grows to a minute.
 */
@Component
@Profile("!replay")
class LedgerTopic implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(LedgerTopic.class);

    private final KafkaAdmin admin;
    private final String topic;
    private final QueryProperties properties;

    LedgerTopic(KafkaAdmin admin, KafkaProperties kafka, QueryProperties properties) {
        this.admin = admin;
        this.topic = kafka.getDefaultTopic();
        this.properties = properties;
    }

    // Runs once every bean exists and before lifecycle start, which is when Axon starts the processors.
    @Override
    public void afterSingletonsInstantiated() {
        try {
            if (admin.createTopicIfMissing(topic, properties.topicPartitions(), properties.topicReplicationFactor())) {
                log.info("Created topic {} with {} partitions", topic, properties.topicPartitions());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception unavailable) {
            // Not fatal: the processors retry, and the health shows them in error until the topic is there.
            log.warn("Could not make sure topic {} exists: {}", topic, unavailable.toString());
        }
    }
}
