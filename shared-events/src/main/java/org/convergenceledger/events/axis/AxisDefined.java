package org.convergenceledger.events.axis;

public record AxisDefined(String axisCode, String title, String description) {
}
