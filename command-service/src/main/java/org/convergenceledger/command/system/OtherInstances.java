package org.convergenceledger.command.system;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.convergenceledger.web.DatabaseNotifications;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Several instances of the command service may write one store (docs/deployment.md). Each keeps in memory what it
 * read — activities, keys, closed periods — and its own commands keep that memory true; what another instance
 * appended it hears on the database's channel ledger_appended: the writer (the connection's application name, this
 * instance's {@link #name}) and the aggregates written. Keys and closed periods are announced by migration V10's
 * trigger at the commit that stores them; activities by the writer just after its batch commits
 * ({@link AppendAnnouncer}). The memories forget what others changed; this instance's own announcements are passed
 * over.
 *
 * <p>An announcement arrives milliseconds after the commit. A command run on state read from memory in between is
 * still safe: an append on a stale activity conflicts in the store and a refusal may be mistaken, so a command that
 * failed on remembered state is run once more on the stored one ({@link GroupCommit}).
 */
@Configuration(proxyBeanMethods = false)
public class OtherInstances {

    /** A memory of what the store holds, told what other instances appended. */
    public interface Memory {

        /** Other instances appended events to these aggregates of that type (Axon's aggregate type name). */
        void appendedElsewhere(String aggregateType, Set<String> aggregateIds);

        /** Announcements may have been lost: anything may have changed. */
        void forgetAll();
    }

    static final String CHANNEL = "ledger_appended";

    @Bean
    DatabaseNotifications appendsElsewhere(DataSource dataSource, ObjectProvider<Memory> memories) {
        HikariDataSource pool = (HikariDataSource) dataSource;
        String self = name(pool);
        return new DatabaseNotifications("ledger-other-instances", () -> {
            Properties login = new Properties();
            login.putAll(pool.getDataSourceProperties());
            if (pool.getUsername() != null) {
                login.setProperty("user", pool.getUsername());
            }
            if (pool.getPassword() != null) {
                login.setProperty("password", pool.getPassword());
            }
            return DriverManager.getConnection(pool.getJdbcUrl(), login);
        }, List.of(CHANNEL), new DatabaseNotifications.Receiver() {
            @Override
            public void notified(String channel, String payload) {
                Announcement announcement = Announcement.parse(payload);
                if (!announcement.writer().equals(self)) {
                    announcement.aggregates().forEach((type, ids) ->
                            memories.orderedStream().forEach(memory -> memory.appendedElsewhere(type, ids)));
                }
            }

            @Override
            public void mayHaveMissed() {
                memories.orderedStream().forEach(Memory::forgetAll);
            }
        });
    }

    /**
     * Health "otherInstances": whether this instance hears the others' announcements (while it does not, a key
     * revoked through another instance may still open this one); and the name the others know it by.
     */
    @Bean
    HealthIndicator otherInstancesHealthIndicator(DatabaseNotifications appendsElsewhere, DataSource dataSource) {
        String self = name((HikariDataSource) dataSource);
        return () -> (appendsElsewhere.listening() ? Health.up() : Health.down()).withDetail("instance", self)
                .withDetail("listening", appendsElsewhere.listening()).build();
    }

    /** This instance as the store knows its writes: the application name of the pool's connections. */
    static String name(HikariDataSource pool) {
        String name = pool.getDataSourceProperties().getProperty("ApplicationName");
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9 ._:-]{1,63}")) {
            throw new IllegalStateException("spring.datasource.hikari.data-source-properties.ApplicationName must name"
                    + " this instance in at most 63 letters, digits, spaces and . _ : - (PostgreSQL keeps no more),"
                    + " not '" + name + "': the other instances tell their appends from its own by it");
        }
        return name;
    }

    /** One notification: the writer on the first line, then "type id" per aggregate. */
    record Announcement(String writer, Map<String, Set<String>> aggregates) {

        static Announcement parse(String payload) {
            String[] lines = payload.split("\n");
            Map<String, Set<String>> aggregates = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int space = lines[i].indexOf(' ');
                if (space > 0) {
                    aggregates.computeIfAbsent(lines[i].substring(0, space), type -> new HashSet<>())
                            .add(lines[i].substring(space + 1));
                }
            }
            return new Announcement(lines[0], aggregates);
        }
    }
}
