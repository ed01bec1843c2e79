package org.convergenceledger.command.activity;

import org.convergenceledger.command.system.TransitionRefused;

/** A command sent to the identifier an activity moved away from: it names where the activity is now. */
public class ActivityMoved extends TransitionRefused {

    private final String movedTo;

    ActivityMoved(String activityId, String movedTo) {
        super("activity-moved", "MOVED", activityId + " moved to " + movedTo + ": send the command to "
                + "/api/activities/" + movedTo);
        this.movedTo = movedTo;
    }

    public String movedTo() {
        return movedTo;
    }

    @Override
    public String title() {
        return "Activity moved";
    }

    @Override
    public java.util.Map<String, Object> details() {
        return java.util.Map.of("movedTo", movedTo);
    }
}
