package org.convergenceledger.command.coordination;

/** Whether an activity exists: what a decision on a pair checks of its two activities. */
@FunctionalInterface
public interface ActivityDirectory {

    boolean exists(String activityId);
}
