package org.convergenceledger.command.system;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * For a memory that a change must clear: cleared at once (the transaction's own next reads see the change) and again
 * when the transaction has ended, since another thread may have read, before the change committed, what it is
 * about to keep.
 */
public final class NowAndAfterTransaction {

    private NowAndAfterTransaction() {
    }

    public static void run(Runnable forget) {
        forget.run();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    forget.run();
                }
            });
        }
    }
}
