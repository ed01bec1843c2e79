package org.convergenceledger.command.system;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.convergenceledger.events.access.BrokerLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where the command service's Kafka clients connect and how they log in: one principal (ledger.kafka.username,
 * "ledger-command") with SCRAM over SASL_PLAINTEXT, its password from the environment (KAFKA_PASSWORD), never a
 * command line. The broker's ACLs make this principal the only writer of the ledger's
 * topics. ledger.kafka.security-protocol=PLAINTEXT reaches a broker without authentication.
 */
@Component
public class KafkaClients {

    private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);

    private final String bootstrapServers;
    private final BrokerLogin login;

    KafkaClients(@Value("${ledger.publishing.bootstrap-servers}") String bootstrapServers,
                 @Value("${ledger.kafka.security-protocol:SASL_PLAINTEXT}") String protocol,
                 @Value("${ledger.kafka.username:ledger-command}") String username,
                 @Value("${ledger.kafka.password:}") String password) {
        this.bootstrapServers = bootstrapServers;
        this.login = protocol.startsWith("SASL") ? new BrokerLogin(protocol, username, password) : BrokerLogin.none();
    }

    public BrokerLogin login() {
        return login;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Bootstrap servers, login and client id: the start of every producer, consumer and admin configuration. */
    public Properties config(String clientId) {
        Properties config = new Properties();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        config.putAll(login.clientProperties());
        return config;
    }

    public Admin admin(String clientId, Duration timeout) {
        Properties config = config(clientId);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(config);
    }

    /** Creates each topic that does not exist yet (replication 1, as the local stack has one broker). */
    public void createTopicsIfMissing(List<String> topics, int partitions, Duration timeout) {
        try (Admin admin = admin("ledger-topics", timeout)) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                            .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    log.info("Created topic {} with {} partitions", topic, partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
                    }
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Kafka unreachable while creating topic " + topic, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + topics, e);
        }
    }
}
