package org.convergenceledger.command.publishing;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.extensions.kafka.eventhandling.DefaultKafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

    /**
     * A failed send must stop the publisher at that event (the processor then retries with back-off) rather than
     * be logged and skipped, which is what Axon does with handler errors by default.
     */
    /** The extension's record encoding, typed, so the query side's converter reads exactly what we write. */
    @Bean
    KafkaMessageConverter<String, byte[]> ledgerKafkaMessageConverter(
            @Qualifier("eventSerializer") Serializer eventSerializer) {
        return DefaultKafkaMessageConverter.builder().serializer(eventSerializer).build();
    }

    @Bean
    ConfigurerModule publisherStopsOnFailure() {
        return configurer -> configurer.eventProcessing().registerListenerInvocationErrorHandler(
                KafkaLedgerPublisher.GROUP, configuration -> PropagatingErrorHandler.instance());
    }
}
