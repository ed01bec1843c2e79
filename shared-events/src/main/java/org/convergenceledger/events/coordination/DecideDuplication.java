package org.convergenceledger.events.coordination;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent by a coordinator: the decision on the pair of activities {@code first} and {@code second} (in either order).
 *
 * @param continuing for DUPLICATE, the activity of the two that continues
 * @param reason     required for COMPLEMENTARY, optional otherwise
 */
public record DecideDuplication(String first, String second, DuplicationVerdict decision, String continuing,
                                String reason) {

    /**
     * A pair's decisions are one stream whatever order its activities are named in: the smaller id first. Activity
     * ids never contain '+' and start with capitals, so the lower-case prefix keeps pairs apart from everything else.
     */
    public static String pairIdOf(String first, String second) {
        if (first == null || second == null) {
            return null;
        }
        return first.compareTo(second) <= 0 ? "pair:" + first + "+" + second : "pair:" + second + "+" + first;
    }

    @TargetAggregateIdentifier
    public String pairId() {
        return pairIdOf(first, second);
    }
}
