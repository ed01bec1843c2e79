package org.convergenceledger.command.activity;

import java.util.List;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.command.system.Violations;
import org.convergenceledger.events.activity.ProposeActivity;

/**
 * The content rules an activity's plan and partners must meet, as the aggregate checks them, for a caller that must
 * know without sending a command (an import's dry run). Rules that depend on the activity's state or on who acts
 * are the aggregate's alone.
 */
public final class ActivityContent {

    private ActivityContent() {
    }

    public static boolean isActivityId(String activityId) {
        return activityId != null && activityId.matches(ActivityRules.ID_PATTERN);
    }

    /** Every content rule the proposal's plan and partners break; a revised plan is checked the same way. */
    public static List<InvalidInput.FieldViolation> violations(ProposeActivity proposal, Registry registry) {
        Violations violations = new Violations();
        ActivityRules.checkPlan(new Activity.Plan(proposal.title(), proposal.description(), proposal.axes(),
                proposal.regions(), proposal.targetGroups(), proposal.plannedPeriod(), proposal.plannedBudget(),
                proposal.plannedBudgetByYear()),
                registry, violations);
        ActivityRules.checkPartners(proposal.partners(), proposal.leadAgency(), registry, violations);
        try {
            violations.throwIfAny();
            return List.of();
        } catch (InvalidInput invalid) {
            return invalid.violations();
        }
    }
}
