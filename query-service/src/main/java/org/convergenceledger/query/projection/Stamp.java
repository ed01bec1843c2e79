package org.convergenceledger.query.projection;

import java.time.Instant;

/**
 * A point on the ledger's two time lines: when a fact was recorded (knownAt) and when it happened (validAt, the
 * sender's occurredAt). An activity's facts are taken in the order the ledger sequenced them, so each of its
 * versions is stamped with the latest recording and occurrence times of the events up to it: a fact reported as
 * having happened before an earlier fact of the same activity counts as happening with that earlier fact.
 */
public record Stamp(Instant recorded, Instant occurred) {

    /** The stamp of the version after this one, made by an event recorded and occurring at the given instants. */
    public Stamp then(Instant recordedAt, Instant occurredAt) {
        return new Stamp(later(recorded, recordedAt), later(occurred, occurredAt));
    }

    /** True when both time lines have reached this stamp at the given point: a version ending here is over. */
    public boolean reachedBy(Instant knownAt, Instant validAt) {
        return !recorded.isAfter(knownAt) && !occurred.isAfter(validAt);
    }

    public static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
