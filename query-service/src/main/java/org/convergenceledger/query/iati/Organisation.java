package org.convergenceledger.query.iati;

import org.convergenceledger.events.agency.AgencyKind;

/** A registered agency as the export names it: its code, its name, and the kind its IATI type comes from. */
record Organisation(String code, String name, AgencyKind kind) {
}
