package org.convergenceledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.convergenceledger.query.projection.Watermark.Arrival;
import org.junit.jupiter.api.Test;

class WatermarkTest {

    @Test
    void eventsArrivingInOrderMoveTheWatermarkToTheLast() {
        Watermark.State state = Watermark.advance(0, List.of(new Arrival(1, 0L), new Arrival(2, 1L),
                new Arrival(5, 2L)));

        assertThat(state.complete()).isEqualTo(5);
        assertThat(state.pending()).isEmpty();
    }

    @Test
    void anEventAheadOfItsPredecessorWaitsUntilThePredecessorArrives() {
        // Partition B delivered 7 while partition A still holds 4 (and 4's successor 6 has not come either).
        Watermark.State ahead = Watermark.advance(3, List.of(new Arrival(7, 6L), new Arrival(5, 4L)));

        assertThat(ahead.complete()).isEqualTo(3);
        assertThat(ahead.pending()).containsExactly(new Arrival(5, 4L), new Arrival(7, 6L));

        Watermark.State later = Watermark.advance(ahead.complete(), concat(ahead.pending(), new Arrival(4, 3L)));
        assertThat(later.complete()).isEqualTo(5);
        assertThat(later.pending()).containsExactly(new Arrival(7, 6L));

        Watermark.State last = Watermark.advance(later.complete(), concat(later.pending(), new Arrival(6, 5L)));
        assertThat(last.complete()).isEqualTo(7);
        assertThat(last.pending()).isEmpty();
    }

    @Test
    void gapsInTheIndexAreBridgedByThePredecessorTheStoreNamed() {
        // 11 and 12 were never committed: 13 names 10 as the event before it.
        Watermark.State state = Watermark.advance(10, List.of(new Arrival(13, 10L)));

        assertThat(state.complete()).isEqualTo(13);
    }

    @Test
    void aRedeliveredEventLeavesTheWatermarkWhereItIs() {
        Watermark.State state = Watermark.advance(9, List.of(new Arrival(8, 7L), new Arrival(9, 8L),
                new Arrival(12, 11L), new Arrival(12, 11L)));

        assertThat(state.complete()).isEqualTo(9);
        assertThat(state.pending()).containsExactly(new Arrival(12, 11L));
    }

    @Test
    void anEventThatNamesNoPredecessorIsTakenAtItsWord() {
        Watermark.State state = Watermark.advance(2, List.of(new Arrival(6, null)));

        assertThat(state.complete()).isEqualTo(6);
    }

    @Test
    void anEventThatCommittedLateIntoAGapIsAlreadyCovered() {
        // 21 was published while 20 was still uncommitted, so it named 19; 20 arrives after the prefix passed it.
        Watermark.State passed = Watermark.advance(19, List.of(new Arrival(21, 19L)));
        Watermark.State late = Watermark.advance(passed.complete(), List.of(new Arrival(20, 19L)));

        assertThat(late.complete()).isEqualTo(21);
        assertThat(late.pending()).isEmpty();
    }

    private static List<Arrival> concat(List<Arrival> pending, Arrival arrival) {
        return java.util.stream.Stream.concat(pending.stream(), java.util.stream.Stream.of(arrival)).toList();
    }
}
