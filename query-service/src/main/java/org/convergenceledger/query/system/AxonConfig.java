package org.convergenceledger.query.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.springboot.TokenStoreProperties;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.convergenceledger.events.json.LedgerJson;
import org.convergenceledger.events.upcasting.LedgerUpcaster;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

@Configuration(proxyBeanMethods = false)
class AxonConfig {

    @Bean
    @Primary
    ObjectMapper ledgerObjectMapper() {
        ObjectMapper mapper = LedgerJson.newObjectMapper();
        // Boot adds this mix-in only to mappers it builds: without it problem details nest their extra fields.
        mapper.addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class);
        return mapper;
    }

    @Bean
    @Primary
    Serializer serializer(ObjectMapper ledgerObjectMapper) {
        return JacksonSerializer.builder().objectMapper(ledgerObjectMapper).build();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(ObjectMapper ledgerObjectMapper) {
        return JacksonSerializer.builder().objectMapper(ledgerObjectMapper).build();
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer(ObjectMapper ledgerObjectMapper) {
        return JacksonSerializer.builder().objectMapper(ledgerObjectMapper).build();
    }

    /**
     * Records published before an event changed shape are read as the current contract (the Kafka extension's
     * message converter takes the configuration's upcaster chain, which every EventUpcaster bean joins).
     */
    @Bean
    EventUpcaster ledgerUpcaster() {
        return new LedgerUpcaster();
    }

    // Events come from Kafka only; a bus bean keeps Axon from building an event store in the query database.
    @Bean
    EventBus eventBus() {
        return SimpleEventBus.builder().build();
    }

    // The processors' transactions run on the projections' own pool.
    @Bean
    TransactionManager axonTransactionManager(ProjectionDatabase projections) {
        return new SpringTransactionManager(projections.transactions());
    }

    // Tokens in PostgreSQL on the Spring-managed connection: a projection's rows and its token commit together.
    @Bean
    TokenStore tokenStore(ProjectionDatabase projections, Serializer serializer,
                          TokenStoreProperties tokenStoreProperties) {
        return JdbcTokenStore.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        new SpringDataSourceConnectionProvider(projections.dataSource())))
                .serializer(serializer)
                .claimTimeout(tokenStoreProperties.getClaimTimeout())
                .build();
    }

    @Bean
    ConfigurerModule projectionErrorHandling() {
        return configurer -> configurer.eventProcessing(processing -> processing
                // A failing event stops its processor (retried, health DOWN) instead of being logged and skipped.
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance()));
    }
}
