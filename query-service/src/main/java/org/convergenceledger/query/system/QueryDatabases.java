package org.convergenceledger.query.system;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The query side's connection pools, one per kind of work (see {@link QueryProperties.Pools}). The primary pool
 * serves live reads (Spring's JdbcTemplate, the read snapshots, Flyway); the projections and the scans have their own.
 */
@Configuration(proxyBeanMethods = false)
class QueryDatabases {

    @Bean
    @Primary
    DataSource dataSource(DataSourceProperties properties, QueryProperties query) {
        return pool(properties, "query-reads", query.pools().reads());
    }

    @Bean
    ProjectionDatabase projectionDatabase(DataSourceProperties properties, QueryProperties query) {
        HikariDataSource pool = pool(properties, "query-projections", query.pools().projections());
        // A batch runs a score of statements, each over many rows: planning each one afresh costs little, while a
        // plan kept from when the tables were empty (after a reset, during a replay) made one statement 20x slower.
        pool.addDataSourceProperty("prepareThreshold", "0");
        // A projection's commit need not wait for the disk: rows and token commit atomically, so a crash loses at
        // most the last batches whole, and the processor reads them again from Kafka. Under load this kept each small
        // batch from waiting on a WAL flush the command side's commits were queueing for too.
        pool.setConnectionInitSql("SET synchronous_commit = off");
        return new ProjectionDatabase(pool);
    }

    @Bean
    ScanDatabase scanDatabase(DataSourceProperties properties, QueryProperties query) {
        HikariDataSource pool = pool(properties, "query-scans", query.pools().scans());
        // A scan's plan depends on the moment it asks about: planned for its own values, never a generic plan.
        pool.addDataSourceProperty("prepareThreshold", "0");
        return new ScanDatabase(pool, query.pools().scanWait());
    }

    static HikariDataSource pool(DataSourceProperties properties, String name, int size) {
        HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        pool.setPoolName(name);
        pool.setMaximumPoolSize(size);
        // An unreachable database fails the start after 30 s instead of retrying for ever.
        pool.setConnectionTimeout(30_000);
        pool.setInitializationFailTimeout(30_000);
        // Multi-row INSERTs from JDBC batches: one statement per table and batch instead of one per row.
        pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        return pool;
    }
}
