package org.convergenceledger.command.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.json.LedgerJson;
import org.convergenceledger.events.upcasting.LedgerUpcaster;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Axon on PostgreSQL: the JDBC storage engine, token store and connection handling come from Axon's own
 * JdbcAutoConfiguration (tables by Flyway); this fixes the serializers to the ledger's one Jackson configuration.
 */
@Configuration(proxyBeanMethods = false)
class AxonConfiguration {

    @Bean
    @Primary
    ObjectMapper ledgerObjectMapper() {
        // Problem details keep their extra properties at the top level, as RFC 7807 shows them.
        return LedgerJson.newObjectMapper().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class);
    }

    @Bean
    @Primary
    Serializer serializer(ObjectMapper ledgerObjectMapper) {
        return jackson(ledgerObjectMapper);
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(ObjectMapper ledgerObjectMapper) {
        return jackson(ledgerObjectMapper);
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer(ObjectMapper ledgerObjectMapper) {
        return jackson(ledgerObjectMapper);
    }

    /**
     * Events stored in an earlier shape, read as the current contract: by the aggregates and by the Kafka publisher
     * (Axon's auto-configuration registers every EventUpcaster bean in the chain the storage engine reads through).
     * The audit side reads the stored bytes directly, so seals are checked against what was stored.
     */
    @Bean
    EventUpcaster ledgerUpcaster() {
        return new LedgerUpcaster();
    }

    /**
     * Keeps Axon's correlation and trace ids, which a provider of our own would otherwise replace; but the
     * correlation id a command brought from its sender (Correlation) is the one its events carry, not the command
     * message's own id.
     */
    @Bean
    CorrelationDataProvider messageOriginProvider() {
        MessageOriginProvider origin = new MessageOriginProvider();
        return message -> {
            Object sent = message.getMetaData().get(LedgerMetadata.CORRELATION_ID);
            if (sent == null) {
                return origin.correlationDataFor(message);
            }
            Map<String, Object> data = new HashMap<>(origin.correlationDataFor(message));
            data.put(LedgerMetadata.CORRELATION_ID, sent);
            return data;
        };
    }

    /**
     * Who recorded a fact (and with which key), when it happened and the sender's idempotency key travel from
     * command to its events: exactly the envelope the event's hash covers.
     */
    @Bean
    CorrelationDataProvider ledgerEnvelopeProvider() {
        return new SimpleCorrelationDataProvider(LedgerMetadata.HASHED_ENVELOPE.toArray(String[]::new));
    }

    /**
     * Recognises PostgreSQL's unique violation (SQLState 23505) anywhere in the cause chain, including inside the
     * JDBC driver's batch exceptions, which Axon's default resolver misses. Without it a second proposal under an
     * existing id, or two writers racing on one activity, surface as a generic store failure instead of a conflict.
     */
    @Bean
    PersistenceExceptionResolver postgresUniqueViolationResolver() {
        return failure -> {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                for (SQLException sql = cause instanceof SQLException e ? e : null; sql != null;
                     sql = sql.getNextException()) {
                    if ("23505".equals(sql.getSQLState())) {
                        return true;
                    }
                }
                if (cause.getCause() == cause) {
                    break;
                }
            }
            return false;
        };
    }

    /**
     * Axon's JDBC storage engine as its auto-configuration builds it, with the gap handling stated rather than
     * defaulted. A reader of the store waits up to 60 s for a global index that was handed out but not yet committed;
     * V8's trigger makes sure no event commits later than 30 s after its transaction began. And it keeps waiting for
     * gaps however many events come after one (Axon's default gives up after 10,000, which a burst of 30 s can pass).
     */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(new EventSchema())
                .gapTimeout(GAP_TIMEOUT_MS)
                .maxGapOffset(1_000_000)
                .build();
    }

    /**
     * Axon's JDBC components take their connection from the Spring transaction of the thread, and Spring's transaction
     * manager (through Axon's SpringTransactionManager) alone commits or rolls it back. Axon's default wraps this
     * provider in a UnitOfWorkAwareConnectionProviderWrapper, which commits (or rolls back) the connection itself when
     * a unit of work ends: inside a group-commit batch that would end the batch's shared transaction with each command.
     */
    @Bean
    ConnectionProvider connectionProvider(javax.sql.DataSource dataSource) {
        return new org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider(dataSource);
    }

    /** Axon's embedded event store, woken again when a batch of commands commits (see LedgerEventStore). */
    @Bean(name = "eventBus")
    @Qualifier("eventStore")
    LedgerEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration) {
        return new LedgerEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class)));
    }

    /**
     * The activities a command just used, so the next command on one does not read its stream again (20,000: a few
     * KB each, well within the heap local.sh gives the service).
     */
    @Bean
    AggregateCache activityCache(@org.springframework.beans.factory.annotation.Value(
            "${ledger.commands.cached-activities:20000}") int capacity, AppendAnnouncer announcer) {
        return new AggregateCache(capacity, announcer);
    }

    /** How long readers of the store wait for an uncommitted global index: twice what V8 lets a commit take. */
    static final int GAP_TIMEOUT_MS = 60_000;

    private static Serializer jackson(ObjectMapper mapper) {
        return JacksonSerializer.builder().objectMapper(mapper).build();
    }
}
