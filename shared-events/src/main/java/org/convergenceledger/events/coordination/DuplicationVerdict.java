package org.convergenceledger.events.coordination;

/** What the steering committee decided about a pair of activities flagged as a likely duplication. */
public enum DuplicationVerdict {
    /** One activity duplicates the other; the decision names the one that continues. */
    DUPLICATE,
    /** Both go on: they complement each other, for the reason given. */
    COMPLEMENTARY,
    /** Being looked into; no verdict yet. */
    UNDER_REVIEW
}
