package org.convergenceledger.query.convergence;

/** The amounts the summary keeps per axis and currency. */
enum BudgetMeasure {
    PLANNED,
    COMMITTED,
    SPENT
}
