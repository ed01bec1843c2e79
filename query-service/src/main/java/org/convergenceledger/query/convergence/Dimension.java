package org.convergenceledger.query.convergence;

import java.util.ArrayList;
import java.util.List;

/**
 * The four ways the convergence view can be cut, as rows or columns of a matrix. An activity has one lead agency but
 * may have several axes, regions and target groups; it counts once in each cell it touches.
 */
enum Dimension {
    AXIS("axis", "axes"),
    REGION("region", "regions"),
    TARGET_GROUP("targetGroup", "target_groups"),
    AGENCY("agency", null);

    /** The name in the API's rows= and cols=. */
    final String parameter;
    /** The array column of activity_version holding the activity's values; null for the lead agency. */
    final String arrayColumn;

    Dimension(String parameter, String arrayColumn) {
        this.parameter = parameter;
        this.arrayColumn = arrayColumn;
    }

    static Dimension named(String parameter) {
        for (Dimension dimension : values()) {
            if (dimension.parameter.equals(parameter)) {
                return dimension;
            }
        }
        return null;
    }

    List<String> of(Contribution contribution) {
        return switch (this) {
            case AXIS -> contribution.axes();
            case REGION -> contribution.regions();
            case TARGET_GROUP -> contribution.targetGroups();
            case AGENCY -> List.of(contribution.leadAgency());
        };
    }

    /** The counter tables' name of a pair of dimensions, in declaration order: "axis:agency", "region:targetGroup"… */
    static String pairName(Dimension one, Dimension other) {
        return one.ordinal() < other.ordinal() ? one.parameter + ":" + other.parameter
                : other.parameter + ":" + one.parameter;
    }

    /** Every pair of dimensions, each once: the matrices the counters keep. */
    static List<Dimension[]> pairs() {
        List<Dimension[]> pairs = new ArrayList<>();
        Dimension[] all = values();
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) {
                pairs.add(new Dimension[] {all[i], all[j]});
            }
        }
        return pairs;
    }
}
