package org.convergenceledger.query.convergence;

import java.sql.DriverManager;
import java.util.List;
import org.convergenceledger.web.DatabaseNotifications;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every instance of the query service hears the convergence view's changes, whichever instance applied them, and
 * tells its own stream's readers. Changes announced while this instance could not listen are lost to it: its
 * readers are then told to read everything again ("reset").
 */
@Configuration(proxyBeanMethods = false)
class ChangesAcrossInstances {

    @Bean
    DatabaseNotifications convergenceChangesHeard(DataSourceProperties database, ConvergenceChanges changes,
                                                  ConvergenceStream stream) {
        return new DatabaseNotifications("ledger-convergence-changes",
                () -> DriverManager.getConnection(database.determineUrl(), database.determineUsername(),
                        database.determinePassword()),
                List.of(ConvergenceChanges.CHANNEL), new DatabaseNotifications.Receiver() {
                    @Override
                    public void notified(String channel, String payload) {
                        stream.publish(changes.read(payload));
                    }

                    @Override
                    public void mayHaveMissed() {
                        stream.everythingMayHaveChanged();
                    }
                });
    }
}
