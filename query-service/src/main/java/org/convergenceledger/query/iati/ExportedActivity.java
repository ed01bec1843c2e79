package org.convergenceledger.query.iati;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;

/**
 * One activity as the export writes it: the version that holds at the export's moment. A null description is
 * written as the title (IATI requires one); money and dates are null until the activity reaches that step;
 * plannedBudgetByYear is the planned budget's split by calendar year (empty if the version has none).
 */
record ExportedActivity(String id, String leadAgency, String title, String description, ActivityState state,
                        List<String> axes, List<String> regions, List<String> targetGroups, List<Partner> partners,
                        Period plannedPeriod, Money plannedBudget, List<YearlyAmount> plannedBudgetByYear,
                        Money committed, LocalDate committedOn,
                        LocalDate startedOn, LocalDate completedOn, Money spent, Instant lastUpdated) {
}
