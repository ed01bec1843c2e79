package org.convergenceledger.command.coordination;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.convergenceledger.command.system.NotPermitted;
import org.convergenceledger.command.system.Violations;
import org.convergenceledger.events.LedgerMetadata;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.activity.ActivityIds;
import org.convergenceledger.events.coordination.DecideDuplication;
import org.convergenceledger.events.coordination.DuplicationDecided;
import org.convergenceledger.events.coordination.DuplicationVerdict;

/**
 * The steering committee's decisions on one pair of activities flagged as a likely duplication. Only a coordinator
 * decides; the pair must be two existing activities of different lead agencies; DUPLICATE names which of the two
 * continues, COMPLEMENTARY says why both go on. A new decision replaces the last one: after a reopening (either
 * activity's scope or period changed, which the read side sees) the committee decides again, even the same way.
 * Whether the pair is flagged at that moment is the read side's business: the committee may also settle a pair
 * before the rules flag it.
 */
@Aggregate
class DuplicationReview {

    @AggregateIdentifier
    private String pairId;
    private long version;

    DuplicationReview() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    long handle(DecideDuplication command, ActivityDirectory activities,
                @MetaDataValue(LedgerMetadata.RECORDED_BY) String actor) {
        if (!AccessRole.COORDINATOR.name().equals(actor)) {
            throw new NotPermitted(actor + " may not decide on duplications: only a coordinator may");
        }
        Violations violations = new Violations()
                .require(isActivityId(command.first()), "first", "must be an activity id (AGENCY:local-ref)")
                .require(isActivityId(command.second()), "second", "must be an activity id (AGENCY:local-ref)")
                .require(command.decision() != null, "decision", "must be one of " + java.util.List.of(
                        DuplicationVerdict.values()));
        if (!violations.hasViolationOn("first") && !violations.hasViolationOn("second")) {
            violations
                    .require(!command.first().equals(command.second()), "second", "must be another activity")
                    .require(!leadOf(command.first()).equals(leadOf(command.second())), "second",
                            "must be led by another agency: duplications are between agencies")
                    .require(activities.exists(command.first()), "first", "no activity " + command.first())
                    .require(activities.exists(command.second()), "second", "no activity " + command.second());
        }
        violations
                .require(command.decision() != DuplicationVerdict.DUPLICATE
                                || Objects.equals(command.continuing(), command.first())
                                || Objects.equals(command.continuing(), command.second()), "continuing",
                        "must name the activity of the two that continues")
                .require(command.decision() == DuplicationVerdict.DUPLICATE || command.continuing() == null,
                        "continuing", "is only for a DUPLICATE decision")
                .require(command.decision() != DuplicationVerdict.COMPLEMENTARY || hasText(command.reason()),
                        "reason", "must say why both go on")
                .require(command.reason() == null || command.reason().length() <= 2000, "reason",
                        "must be at most 2000 characters")
                .throwIfAny();
        boolean ordered = command.first().compareTo(command.second()) < 0;
        apply(new DuplicationDecided(command.pairId(), ordered ? command.first() : command.second(),
                ordered ? command.second() : command.first(), command.decision(), command.continuing(),
                hasText(command.reason()) ? command.reason().strip() : null));
        return version;
    }

    @EventSourcingHandler
    void on(DuplicationDecided event, @SequenceNumber long sequence) {
        pairId = event.pairId();
        version = sequence;
    }

    private static boolean isActivityId(String id) {
        return ActivityIds.isValid(id);
    }

    private static String leadOf(String activityId) {
        return ActivityIds.leadOf(activityId);
    }

    private static boolean hasText(String text) {
        return text != null && !text.isBlank();
    }
}
