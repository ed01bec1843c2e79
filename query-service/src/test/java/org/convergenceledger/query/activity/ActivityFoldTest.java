package org.convergenceledger.query.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.activity.ActivityCommitted;
import org.convergenceledger.events.activity.ActivityCompleted;
import org.convergenceledger.events.activity.ActivityEvent;
import org.convergenceledger.events.activity.ActivityProposed;
import org.convergenceledger.events.activity.ActivityRevised;
import org.convergenceledger.events.activity.ActivityStarted;
import org.convergenceledger.events.activity.PartnershipRequested;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.query.projection.LedgerEnvelope;
import org.convergenceledger.query.projection.Recorded;
import org.convergenceledger.query.projection.Stamp;
import org.junit.jupiter.api.Test;

class ActivityFoldTest {

    private static final String ID = ActivityViewTest.PROPOSED.activityId();
    private static final String OTHER = "OFPPT:ALT-2024-03";
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final Money COMMITTED = Money.of("1200000.00", "MAD");

    private long globalSequence;

    /** An event as delivered: its place, and when it was recorded and (as its sender says) happened. */
    private Recorded event(ActivityEvent event, long sequence, Instant recorded, Instant occurred) {
        globalSequence++;
        return new Recorded(new LedgerEnvelope(globalSequence, globalSequence - 1, "event-" + globalSequence,
                event.activityId(), sequence, "ANAPEC", occurred, recorded, null), event);
    }

    private static ActivityProposed proposalOf(String id, String lead) {
        ActivityProposed p = ActivityViewTest.PROPOSED;
        return new ActivityProposed(id, lead, p.title(), p.description(), p.axes(), p.regions(), p.targetGroups(),
                p.plannedPeriod(), p.plannedBudget(), p.plannedBudgetByYear(), p.partners());
    }

    /** A whole life in one batch: proposed, committed, started late, revised to a new region, completed. */
    private List<Recorded> wholeLife() {
        return new ArrayList<>(List.of(
                event(ActivityViewTest.PROPOSED, 0, T0, T0.minusSeconds(86_400 * 30)),
                event(new ActivityCommitted(ID, COMMITTED, LocalDate.of(2024, 2, 20)), 1, T0.plusSeconds(1),
                        T0.minusSeconds(86_400 * 20)),
                event(new ActivityStarted(ID, LocalDate.of(2024, 3, 4)), 2, T0.plusSeconds(2),
                        T0.minusSeconds(86_400 * 10)),
                event(new ActivityRevised(ID, "Moved", "Second cohort", List.of("WORK_LINKED_TRAINING"),
                        List.of("ORIENTAL"), List.of("YOUTH"), new Period(LocalDate.of(2024, 3, 1),
                        LocalDate.of(2025, 2, 28)), Money.of("1300000.00", "MAD"), List.of(), "moved"), 3,
                        T0.plusSeconds(3),
                        T0.minusSeconds(86_400 * 5)),
                event(new ActivityCompleted(ID, LocalDate.of(2025, 1, 31), Money.of("1100000.00", "MAD"), 300), 4,
                        T0.plusSeconds(4), T0.plusSeconds(4))));
    }

    @Test
    void aBatchWithAnActivitysWholeLifeMakesOneVersionPerEventAndOneSegmentPerFootprint() {
        List<ActivityFold.Folded> folded = ActivityFold.fold(Map.of(), wholeLife());

        assertThat(folded).hasSize(1);
        ActivityFold.Folded life = folded.get(0);
        assertThat(life.before()).isNull();
        assertThat(life.versions()).extracting(version -> version.view().state()).containsExactly(
                ActivityState.PROPOSED, ActivityState.COMMITTED, ActivityState.STARTED, ActivityState.STARTED,
                ActivityState.COMPLETED);
        // Each version ends where the next one starts; the last is current.
        for (int i = 0; i < 4; i++) {
            assertThat(life.versions().get(i).to()).isEqualTo(life.versions().get(i + 1).from());
        }
        assertThat(life.versions().get(4).to()).isNull();
        // Footprints: planned, started later than planned, moved region, completed earlier than planned.
        assertThat(life.segments()).extracting(segment -> segment.number()).containsExactly(0, 1, 2, 3);
        assertThat(life.segments().get(1).footprint().start()).isEqualTo(LocalDate.of(2024, 3, 4));
        assertThat(life.segments().get(2).footprint().regions()).containsExactly("ORIENTAL");
        assertThat(life.segments().get(3).footprint().end()).isEqualTo(LocalDate.of(2025, 1, 31));
        assertThat(life.segments().get(3).to()).isNull();
        assertThat(life.after().view().version().sequence()).isEqualTo(4);
        assertThat(life.after().segment()).isEqualTo(3);
        assertThat(life.change().before()).isNull();
        assertThat(life.change().closedSegment()).isNull();
    }

    @Test
    void aBatchDeliveredAgainChangesNothing() {
        List<Recorded> batch = wholeLife();
        Tracked after = ActivityFold.fold(Map.of(), batch).get(0).after();

        assertThat(ActivityFold.fold(Map.of(ID, after), batch)).isEmpty();
    }

    @Test
    void eventsDeliveredTwiceWithinABatchAreAppliedOnce() {
        List<Recorded> once = wholeLife();
        List<Recorded> twice = new ArrayList<>();
        for (Recorded recorded : once) {
            twice.add(recorded);
            twice.add(recorded);
        }

        ActivityFold.Folded folded = ActivityFold.fold(Map.of(), twice).get(0);

        assertThat(folded.versions()).hasSize(5);
        assertThat(folded.after()).isEqualTo(ActivityFold.fold(Map.of(), once).get(0).after());
    }

    @Test
    void aLaterBatchStartsFromTheStoredStateAndEndsItsVersionAndSegment() {
        List<Recorded> life = wholeLife();
        Tracked afterCommit = ActivityFold.fold(Map.of(), life.subList(0, 2)).get(0).after();

        ActivityFold.Folded rest = ActivityFold.fold(Map.of(ID, afterCommit), life.subList(2, 5)).get(0);

        assertThat(rest.before()).isEqualTo(afterCommit);
        assertThat(rest.versions()).hasSize(3);
        assertThat(rest.change().closedSegment()).isZero();
        assertThat(rest.change().closedAt()).isEqualTo(rest.versions().get(0).from());
        assertThat(rest.segments()).extracting(segment -> segment.number()).containsExactly(1, 2, 3);
        assertThat(rest.change().before().state()).isEqualTo(ActivityState.COMMITTED);
        assertThat(rest.change().after().state()).isEqualTo(ActivityState.COMPLETED);
    }

    @Test
    void aFactReportedAsHappeningBeforeAnEarlierOneIsStampedWithIt() {
        List<Recorded> batch = List.of(
                event(ActivityViewTest.PROPOSED, 0, T0, T0.minusSeconds(1000)),
                event(new ActivityCommitted(ID, COMMITTED, LocalDate.of(2024, 2, 20)), 1, T0.plusSeconds(1),
                        T0.minusSeconds(5000)));

        ActivityFold.Folded folded = ActivityFold.fold(Map.of(), batch).get(0);

        assertThat(folded.versions().get(1).from()).isEqualTo(new Stamp(T0.plusSeconds(1), T0.minusSeconds(1000)));
    }

    @Test
    void aRequestThatChangesNothingStillMakesAVersionButNoSegment() {
        List<Recorded> batch = List.of(event(ActivityViewTest.PROPOSED, 0, T0, T0),
                event(new PartnershipRequested(ID, "OFPPT", PartnerRole.IMPLEMENTING), 1, T0.plusSeconds(1),
                        T0.plusSeconds(1)));

        ActivityFold.Folded folded = ActivityFold.fold(Map.of(), batch).get(0);

        assertThat(folded.versions()).hasSize(2);
        assertThat(folded.segments()).hasSize(1);
    }

    @Test
    void activitiesInterleavedInABatchAreFoldedEachInItsOwnOrder() {
        List<Recorded> batch = List.of(
                event(ActivityViewTest.PROPOSED, 0, T0, T0),
                event(proposalOf(OTHER, "OFPPT"), 0, T0, T0),
                event(new ActivityCommitted(OTHER, COMMITTED, LocalDate.of(2024, 2, 1)), 1, T0.plusSeconds(1),
                        T0.plusSeconds(1)),
                event(new ActivityCommitted(ID, COMMITTED, LocalDate.of(2024, 2, 2)), 1, T0.plusSeconds(2),
                        T0.plusSeconds(2)));

        Map<String, ActivityFold.Folded> folded = new HashMap<>();
        ActivityFold.fold(Map.of(), batch).forEach(activity -> folded.put(activity.id(), activity));

        assertThat(folded.get(ID).after().view().commitment().on()).isEqualTo(LocalDate.of(2024, 2, 2));
        assertThat(folded.get(OTHER).after().view().commitment().on()).isEqualTo(LocalDate.of(2024, 2, 1));
        assertThat(folded.get(OTHER).after().view().leadAgency()).isEqualTo("OFPPT");
    }

    @Test
    void anEventOfAnActivityNeverProposedStopsTheBatch() {
        List<Recorded> batch = List.of(event(new ActivityCommitted(ID, COMMITTED, LocalDate.of(2024, 2, 20)), 1, T0,
                T0));

        assertThatThrownBy(() -> ActivityFold.fold(Map.of(), batch)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown activity " + ID);
    }
}
