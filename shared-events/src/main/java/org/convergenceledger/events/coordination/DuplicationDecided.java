package org.convergenceledger.events.coordination;

/**
 * A coordinator's decision on a pair of activities, the smaller id first. A later decision on the same pair replaces
 * it; the read side reopens a decided pair when either activity's scope or period changes after it.
 */
public record DuplicationDecided(String pairId, String first, String second, DuplicationVerdict decision,
                                 String continuing, String reason) {
}
