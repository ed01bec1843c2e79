package org.convergenceledger.query.system;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The connections the projections write with: the processors' transactions (rows and token together) and the
 * rebuilds. Not the primary pool, so that a burst of reads never makes a projection wait for a connection.
 */
public final class ProjectionDatabase implements DisposableBean {

    private final HikariDataSource dataSource;
    private final DataSourceTransactionManager transactions;
    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    ProjectionDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.transactions = new DataSourceTransactionManager(dataSource);
        this.jdbc = new JdbcTemplate(dataSource);
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public PlatformTransactionManager transactions() {
        return transactions;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public NamedParameterJdbcTemplate named() {
        return named;
    }

    @Override
    public void destroy() {
        dataSource.close();
    }
}
