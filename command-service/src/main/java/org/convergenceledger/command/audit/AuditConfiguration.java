package org.convergenceledger.command.audit;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    /** Stops the checkpointer at an event it cannot append instead of skipping it: a tree with holes proves nothing. */
    @Bean
    ConfigurerModule checkpointerStopsOnFailure() {
        return configurer -> configurer.eventProcessing().registerListenerInvocationErrorHandler(
                Checkpointer.GROUP, configuration -> PropagatingErrorHandler.instance());
    }
}
