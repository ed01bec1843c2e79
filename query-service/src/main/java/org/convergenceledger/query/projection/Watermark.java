package org.convergenceledger.query.projection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How far a projection holds every event of the log. Kafka partitions interleave freely, so having applied global
 * sequence N says nothing of the events below N in other partitions. Each published event names the stored event
 * before it; the watermark moves from an event to its successor only once both have been applied, and events that
 * arrived ahead of a missing predecessor wait as pending.
 */
final class Watermark {

    /** An applied event and the event before it in the store; previous is null for events that do not say. */
    record Arrival(long sequence, Long previous) {
    }

    /** The complete prefix reached, and the arrivals still waiting for a predecessor. */
    record State(long complete, List<Arrival> pending) {
    }

    private Watermark() {
    }

    /**
     * @param complete every event up to this sequence has been applied
     * @param arrivals events applied since, and those already pending, in any order, possibly repeated
     */
    static State advance(long complete, List<Arrival> arrivals) {
        List<Arrival> bySequence = new ArrayList<>(arrivals);
        bySequence.sort(Comparator.comparingLong(Arrival::sequence));
        // One pass in sequence order: an event whose predecessor is covered extends the prefix to itself. An event
        // that does not name its predecessor (published before predecessors were named) is taken at its word. A
        // predecessor below the prefix happens when an event committed late into a gap of the index: the prefix
        // already passed it, and its successor is in.
        for (Arrival arrival : bySequence) {
            if (arrival.sequence() > complete && (arrival.previous() == null || arrival.previous() <= complete)) {
                complete = arrival.sequence();
            }
        }
        long reached = complete;
        List<Arrival> pending = bySequence.stream().filter(arrival -> arrival.sequence() > reached).distinct().toList();
        return new State(complete, pending);
    }
}
