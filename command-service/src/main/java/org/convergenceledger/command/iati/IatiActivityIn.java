package org.convergenceledger.command.iati;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One {@code iati-activity} of a file as written, before any mapping: what the import reads of it (texts are the
 * first narrative; codes as strings, as IATI's codelists have them).
 *
 * @param position    1-based place in the file, for the report when the identifier is of no help
 * @param dates       activity-date iso-date by type (1 planned start, 2 actual start, 3 planned end, 4 actual end)
 * @param transactions how many transactions the activity reports (they are not imported)
 */
record IatiActivityIn(int position, String identifier, String reportingOrgRef, String title, String description,
                      List<Organisation> participatingOrgs, String status, Map<String, LocalDate> dates,
                      List<String> countries, List<Place> locations, List<Code> sectors, List<Marker> policyMarkers,
                      List<Budget> budgets, String defaultCurrency, int transactions, List<String> targetGroups) {

    record Organisation(String ref, String role) {
    }

    record Place(String ref, String name) {
    }

    record Code(String vocabulary, String code) {
    }

    record Marker(String vocabulary, String code, String significance) {
    }

    record Budget(String type, LocalDate start, LocalDate end, BigDecimal value, String currency) {
    }
}
