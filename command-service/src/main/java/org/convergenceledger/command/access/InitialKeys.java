package org.convergenceledger.command.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.access.Credentials;
import org.convergenceledger.events.access.IssueApiKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The first keys of a ledger that has none: with ledger.access.initial-keys-file set and no live ADMIN key yet, an
 * ADMIN key, an AUDITOR key and one AGENCY key per registered agency are issued (as ledger events, recorded by
 * SYSTEM) and written to that file as shell variables (KEY_ADMIN=…, KEY_AUDITOR=…, KEY_ANAPEC=…), readable by its
 * owner only, with each agency's Kafka login (KAFKA_PASSWORD_ANAPEC=…, user agency-ANAPEC; see BrokerLogins). Runs after the scenario is loaded, so the demo's agencies get theirs. A ledger with an admin key is
 * left alone: from then on administrators issue keys over the API.
 */
@Component
@ConditionalOnProperty(name = "ledger.access.initial-keys-file")
class InitialKeys {

    private static final Logger log = LoggerFactory.getLogger(InitialKeys.class);

    private final CommandGateway commands;
    private final ApiKeyStore keys;
    private final JdbcTemplate jdbc;
    private final Path file;
    private final BrokerLogins brokerLogins;

    InitialKeys(CommandGateway commands, ApiKeyStore keys, JdbcTemplate jdbc, BrokerLogins brokerLogins,
                @Value("${ledger.access.initial-keys-file}") Path file) {
        this.commands = commands;
        this.brokerLogins = brokerLogins;
        this.keys = keys;
        this.jdbc = jdbc;
        this.file = file;
    }

    /** A Kafka login for the agency (or COORDINATOR), unless the broker is away: an administrator can issue it later. */
    private void issueBrokerLogin(String code, Map<String, String> brokerPasswords) {
        try {
            brokerPasswords.put(code, brokerLogins.issue(code, "SYSTEM").password());
        } catch (IllegalStateException brokerAway) {
            log.warn("No Kafka login issued for {} ({}): an administrator can issue one later (POST "
                    + "/api/admin/agencies/{}/broker-login)", code, brokerAway.getMessage(), code);
        }
    }

    // After the scenario loader (order 0), so the agencies it registers are there.
    @EventListener(ApplicationReadyEvent.class)
    @Order(10)
    void issueIfNone() {
        if (keys.anyActive(AccessRole.ADMIN)) {
            log.info("The ledger has an admin key: no initial keys issued ({} left as it is)", file);
            return;
        }
        Map<String, String> issued = new LinkedHashMap<>();
        issued.put("ADMIN", issue(AccessRole.ADMIN, null, "initial admin key"));
        issued.put("AUDITOR", issue(AccessRole.AUDITOR, null, "initial auditor key"));
        issued.put("COORDINATOR", issue(AccessRole.COORDINATOR, null, "initial coordinator key"));
        Map<String, String> brokerPasswords = new LinkedHashMap<>();
        issueBrokerLogin(AccessRole.COORDINATOR.name(), brokerPasswords);
        for (String agency : jdbc.queryForList("SELECT code FROM known_agency ORDER BY code", String.class)) {
            issued.put(agency, issue(AccessRole.AGENCY, agency, "initial key of " + agency));
            issueBrokerLogin(agency, brokerPasswords);
        }
        write(issued, brokerPasswords);
        log.info("Issued {} initial keys (admin, auditor, {} agencies) into {}", issued.size(), issued.size() - 2,
                file);
    }

    private String issue(AccessRole role, String agency, String label) {
        Credentials.Issued key = Credentials.issue();
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                        new IssueApiKey(key.keyId(), agency, role, label, key.credentialHash()))
                .andMetaData(Map.of(LedgerMetadata.RECORDED_BY, "SYSTEM")));
        return key.apiKey();
    }

    private void write(Map<String, String> issued, Map<String, String> brokerPasswords) {
        List<String> lines = new ArrayList<>();
        lines.add("# Convergence Ledger initial API keys: send as  Authorization: Bearer $KEY_...  (keep private)");
        issued.forEach((name, key) -> lines.add("KEY_" + name + "=" + key));
        lines.add("# Each agency's Kafka login (SASL/SCRAM-SHA-256, user agency-<CODE>), to write its ledger.commands.<CODE>");
        brokerPasswords.forEach((agency, password) -> lines.add("KAFKA_PASSWORD_" + agency + "=" + password));
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the initial keys to " + file, e);
        }
    }
}
