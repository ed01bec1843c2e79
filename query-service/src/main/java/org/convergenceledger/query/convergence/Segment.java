package org.convergenceledger.query.convergence;

import org.convergenceledger.query.projection.Stamp;

/**
 * A run of an activity's versions with the same footprint (cells, period, partners, occupying or not), from the stamp
 * of its first version to the stamp of the first version of the next run; {@code to} is null while it runs. The
 * pairs of two activities are a function of their footprints alone, so they are kept per pair of segments.
 */
public record Segment(ActivityScope footprint, int number, Stamp from, Stamp to) {

    public String activityId() {
        return footprint.id();
    }

    public Segment closedAt(Stamp end) {
        return new Segment(footprint, number, from, end);
    }

    /**
     * Whether some point of both time lines has both segments running. Each holds from its start onwards until the
     * point where both time lines have reached its end; the earliest point where both have started is then the one to
     * test, since every later point is past any end it is past.
     */
    public boolean coexistsWith(Segment other) {
        Stamp start = new Stamp(Stamp.later(from.recorded(), other.from.recorded()),
                Stamp.later(from.occurred(), other.from.occurred()));
        return !endsBy(to, start) && !endsBy(other.to, start);
    }

    private static boolean endsBy(Stamp end, Stamp point) {
        return end != null && end.reachedBy(point.recorded(), point.occurred());
    }
}
