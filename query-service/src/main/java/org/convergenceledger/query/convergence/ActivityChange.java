package org.convergenceledger.query.convergence;

import org.convergenceledger.query.projection.Stamp;
import java.util.List;

/**
 * What one batch did to one activity, as the convergence tables see it: its contribution to the counters before and
 * after (before is null for an activity the batch proposed), the footprint segment it was in before the batch and the
 * stamp at which that one ended (null when its footprint did not change), and the segments the batch started, in
 * order, each but the last already ended by the next.
 */
public record ActivityChange(
        String activityId,
        Contribution before,
        Contribution after,
        Integer closedSegment,
        Stamp closedAt,
        List<Segment> started) {

    public ActivityChange {
        started = List.copyOf(started);
    }
}
