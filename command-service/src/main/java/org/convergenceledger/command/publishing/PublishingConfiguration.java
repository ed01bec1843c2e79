package org.convergenceledger.command.publishing;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PublishingConfiguration {

    /**
     * A failed send must stop the publisher at that event (the processor then retries with back-off) rather than
     * be logged and skipped, which is what Axon does with handler errors by default.
     */
    @Bean
    ConfigurerModule publisherStopsOnFailure() {
        return configurer -> configurer.eventProcessing().registerListenerInvocationErrorHandler(
                KafkaLedgerPublisher.GROUP, configuration -> PropagatingErrorHandler.instance());
    }
}
