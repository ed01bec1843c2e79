package org.convergenceledger.command.registry;

/** What the command side knows of the agencies and axes registered so far; the activity rules consult it. */
public interface Registry {

    boolean isRegisteredAgency(String agencyCode);

    boolean isDefinedAxis(String axisCode);
}
