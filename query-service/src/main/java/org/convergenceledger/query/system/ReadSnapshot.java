package org.convergenceledger.query.system;

import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Runs the queries of one answer in one snapshot, so the rows and the asOfSequence stated with them agree. */
@Component
public class ReadSnapshot {

    private final TransactionTemplate template;

    ReadSnapshot(PlatformTransactionManager transactionManager) {
        template = new TransactionTemplate(transactionManager);
        template.setReadOnly(true);
        template.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    public <T> T read(Supplier<T> queries) {
        return template.execute(status -> queries.get());
    }
}
