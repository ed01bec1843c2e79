package org.convergenceledger.command.access;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.convergenceledger.command.system.KafkaClients;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each agency's own login on the broker: principal agency-&lt;CODE&gt; (SASL/SCRAM), allowed to write its own topic
 * ledger.commands.&lt;CODE&gt;, to read ledger.command-results and to use consumer groups named agency-&lt;CODE&gt;…,
 * nothing else. The broker enforces it: an agency cannot write another's commands, nor ledger.events, so the
 * ingestion knows the sender from the topic and no API key travels in (or stays in) a Kafka record. Issued by an
 * administrator (or, for a new ledger, with the initial keys); the password is shown once, the broker keeps it
 * salted. Revoking deletes the login at the broker and makes the ingestion refuse that topic's messages at once.
 */
@Component
public class BrokerLogins {

    /** A login as issued: the password appears here and nowhere else. */
    public record Issued(String agencyCode, String username, String password, String topic, String resultsTopic) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final KafkaClients kafka;
    private final JdbcTemplate jdbc;
    private final String topicPrefix;
    private final String resultsTopic;
    private final int partitions;

    BrokerLogins(KafkaClients kafka, JdbcTemplate jdbc,
                 @Value("${ledger.ingestion.topic-prefix}") String topicPrefix,
                 @Value("${ledger.ingestion.results-topic}") String resultsTopic,
                 @Value("${ledger.ingestion.partitions}") int partitions) {
        this.kafka = kafka;
        this.jdbc = jdbc;
        this.topicPrefix = topicPrefix;
        this.resultsTopic = resultsTopic;
        this.partitions = partitions;
    }

    public static String username(String agencyCode) {
        return "agency-" + agencyCode;
    }

    public String topicOf(String agencyCode) {
        return topicPrefix + agencyCode;
    }

    /** Makes (or replaces) the agency's login, its topic and its rights; returns the new password. */
    public Issued issue(String agencyCode, String issuedBy) {
        String username = username(agencyCode);
        String principal = "User:" + username;
        String topic = topicOf(agencyCode);
        kafka.createTopicsIfMissing(List.of(topic), partitions, TIMEOUT);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        List<AclBinding> rights = new ArrayList<>();
        rights.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        rights.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        rights.add(allow(principal, ResourceType.TOPIC, resultsTopic, PatternType.LITERAL, AclOperation.READ));
        rights.add(allow(principal, ResourceType.TOPIC, resultsTopic, PatternType.LITERAL, AclOperation.DESCRIBE));
        rights.add(allow(principal, ResourceType.GROUP, username, PatternType.PREFIXED, AclOperation.READ));
        call(admin -> admin.createAcls(rights).all());
        call(admin -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(username,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), password))).all());
        jdbc.update("""
                INSERT INTO broker_login (agency_code, principal, topic, issued_by) VALUES (?, ?, ?, ?)
                ON CONFLICT (agency_code) DO UPDATE SET issued_by = excluded.issued_by, issued_at = now(),
                    revoked_by = NULL, revoked_at = NULL
                """, agencyCode, principal, topic, issuedBy);
        return new Issued(agencyCode, username, password, topic, resultsTopic);
    }

    /** Deletes the agency's login at the broker; its messages still waiting are refused from now on. */
    public void revoke(String agencyCode, String revokedBy) {
        try {
            call(admin -> admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(
                    username(agencyCode), ScramMechanism.SCRAM_SHA_256))).all());
        } catch (IllegalStateException gone) {
            if (!(gone.getCause() instanceof ResourceNotFoundException)) {
                throw gone;
            }
        }
        jdbc.update("UPDATE broker_login SET revoked_by = ?, revoked_at = now() WHERE agency_code = ?", revokedBy,
                agencyCode);
    }

    /** When the agency's login was revoked, if it was; empty while it may send. */
    public Optional<Instant> revokedAt(String agencyCode) {
        return jdbc.query("SELECT revoked_at FROM broker_login WHERE agency_code = ? AND revoked_at IS NOT NULL",
                (row, n) -> row.getTimestamp(1).toInstant(), agencyCode).stream().findFirst();
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private void call(java.util.function.Function<Admin, KafkaFuture<?>> request) {
        try (Admin admin = kafka.admin("ledger-broker-logins", TIMEOUT)) {
            request.apply(admin).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker refused: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer in " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
