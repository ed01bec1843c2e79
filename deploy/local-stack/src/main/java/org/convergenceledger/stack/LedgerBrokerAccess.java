package org.convergenceledger.stack;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the ledger's broker. Two service principals, each with a SCRAM login:
 * <ul>
 * <li>{@value #COMMAND_SERVICE} — the only writer of {@code ledger.events}, {@code ledger.checkpoints},
 * {@code ledger.command-results} and {@code ledger.commands.dlt}; reads every agency's {@code ledger.commands.<CODE>};
 * administers the agencies' principals (creates their topic, login and ACLs when an agency is registered);
 * <li>{@value #QUERY_SERVICE} — reads {@code ledger.events} and {@code ledger.checkpoints}, writes nothing.
 * </ul>
 * Agencies get a principal each ({@code agency-<CODE>}), made by the command service: it may write only its own
 * {@code ledger.commands.<CODE>} and read {@code ledger.command-results}. Nothing else is allowed to anyone.
 */
public final class LedgerBrokerAccess {

    public static final String COMMAND_SERVICE = "ledger-command";
    public static final String QUERY_SERVICE = "ledger-query";
    /** Topics the ledger creates up front, so that no reader needs the right to create them. */
    public static final List<String> TOPICS = List.of("ledger.events", "ledger.checkpoints", "ledger.command-results",
            "ledger.commands.dlt");

    private LedgerBrokerAccess() {
    }

    /** The two services' logins, read from {@code file} (KAFKA_PASSWORD_COMMAND=…) or made there (mode 0600). */
    public static Map<String, String> passwords(Path file) {
        try {
            if (Files.exists(file)) {
                Properties stored = new Properties();
                try (var reader = Files.newBufferedReader(file)) {
                    stored.load(reader);
                }
                return Map.of(COMMAND_SERVICE, stored.getProperty("KAFKA_PASSWORD_COMMAND"),
                        QUERY_SERVICE, stored.getProperty("KAFKA_PASSWORD_QUERY"));
            }
            Map<String, String> made = new LinkedHashMap<>();
            made.put(COMMAND_SERVICE, StackSupport.newPassword());
            made.put(QUERY_SERVICE, StackSupport.newPassword());
            StackSupport.writeOwnerOnly(file, "# Kafka logins of the ledger's services (SASL/SCRAM-SHA-256); keep private\n"
                    + "KAFKA_PASSWORD_COMMAND=" + made.get(COMMAND_SERVICE) + "\n"
                    + "KAFKA_PASSWORD_QUERY=" + made.get(QUERY_SERVICE) + "\n");
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the Kafka logins in " + file, e);
        }
    }

    /** One ACL entry set: {@code principal} may do {@code operations} on the resource (cluster: "kafka-cluster"). */
    public record Grant(String principal, ResourceType type, String name, PatternType pattern,
                        List<AclOperation> operations) {
    }

    /**
     * What the two services may do, as data: {@link #grant} applies it to the local broker, and the deployment
     * files (deploy/kubernetes/kafka-access/acls.txt, which compose uses too) must say the same (DeploymentFilesTest).
     */
    public static List<Grant> grants() {
        List<Grant> grants = new ArrayList<>();
        String command = "User:" + COMMAND_SERVICE;
        for (String topic : TOPICS) {
            grants.add(new Grant(command, TOPIC, topic, LITERAL, List.of(WRITE, DESCRIBE, CREATE, READ)));
        }
        grants.add(new Grant(command, TOPIC, "ledger.commands.", PREFIXED, List.of(READ, DESCRIBE, CREATE)));
        grants.add(new Grant(command, GROUP, "ledger-", PREFIXED, List.of(READ, DESCRIBE)));
        // Agencies' principals: their login (ALTER_CONFIGS), their ACLs (ALTER), both on the cluster.
        grants.add(new Grant(command, CLUSTER, "kafka-cluster", LITERAL,
                List.of(IDEMPOTENT_WRITE, DESCRIBE, ALTER, ALTER_CONFIGS, DESCRIBE_CONFIGS)));
        String query = "User:" + QUERY_SERVICE;
        grants.add(new Grant(query, TOPIC, "ledger.events", LITERAL, List.of(READ, DESCRIBE)));
        grants.add(new Grant(query, TOPIC, "ledger.checkpoints", LITERAL, List.of(READ, DESCRIBE)));
        grants.add(new Grant(query, GROUP, "*", LITERAL, List.of(READ, DESCRIBE)));
        return grants;
    }

    /** Creates the ledger's topics and the services' logins, and grants them what they need (idempotent). */
    public static void grant(LocalKafka kafka, Map<String, String> passwords, int partitions) {
        for (String topic : TOPICS) {
            kafka.createTopicIfMissing(topic, partitions);
        }
        kafka.upsertUser(COMMAND_SERVICE, passwords.get(COMMAND_SERVICE));
        kafka.upsertUser(QUERY_SERVICE, passwords.get(QUERY_SERVICE));
        for (Grant grant : grants()) {
            kafka.allow(grant.principal(), grant.type(), grant.name(), grant.pattern(),
                    grant.operations().toArray(AclOperation[]::new));
        }
    }
}
