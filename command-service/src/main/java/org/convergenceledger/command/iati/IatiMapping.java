package org.convergenceledger.command.iati;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.convergenceledger.command.activity.ActivityContent;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.Regions;
import org.convergenceledger.events.iati.IatiCodes;
import org.convergenceledger.events.iati.IatiOrganisations;

/**
 * One IATI activity as the ledger's proposal, with the same code table the export writes with (IatiCodes). What
 * cannot be a proposal of the caller's agency is refused with the reason (another organisation's activity, an
 * identifier that is not the agency's, outside Morocco, budgets in several currencies); what has no place in the
 * ledger is left out with a warning (unknown codes and organisations, status, transactions). Whether the proposal
 * then meets the ledger's content rules is the rules' to say, not this mapping's.
 */
final class IatiMapping {

    /** The proposal, or the reasons there is none; warnings either way. */
    record Mapped(String activityId, ProposeActivity proposal, List<String> refusals, List<String> warnings) {

        boolean refused() {
            return !refusals.isEmpty();
        }

        Mapped warnedAlso(List<String> more) {
            List<String> all = new ArrayList<>(warnings);
            all.addAll(more);
            return new Mapped(activityId, proposal, refusals, List.copyOf(all));
        }
    }

    private IatiMapping() {
    }

    static Mapped map(IatiActivityIn in, String agency, IatiOrganisations organisations, Registry registry) {
        List<String> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String ownRef = organisations.refOf(agency);
        if (!ownRef.equals(in.reportingOrgRef())) {
            refusals.add("reported by " + in.reportingOrgRef() + ", not by " + agency + " (" + ownRef
                    + "): an agency imports only the activities it leads");
            return new Mapped(null, null, refusals, warnings);
        }
        String activityId = organisations.activityIdOf(in.identifier(), agency).orElse(null);
        if (activityId == null) {
            refusals.add("the identifier " + in.identifier() + " does not start with " + ownRef
                    + "-, the reporting organisation's identifier");
        } else if (!ActivityContent.isActivityId(activityId)) {
            refusals.add("the reference after " + ownRef + "- must be 1 to 100 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        if (!in.countries().isEmpty() && !in.countries().contains(IatiCodes.COUNTRY)) {
            refusals.add("recipient countries " + in.countries() + ": the ledger records activities in Morocco ("
                    + IatiCodes.COUNTRY + ")");
        } else if (in.countries().size() > 1) {
            warnings.add("only Morocco is recorded of the recipient countries " + in.countries());
        }
        Money budget = budget(in, refusals, warnings);
        if (!refusals.isEmpty()) {
            return new Mapped(activityId, null, refusals, warnings);
        }
        if (!"1".equals(in.status()) || in.transactions() > 0) {
            warnings.add("activity-status " + in.status() + " and " + in.transactions() + " transaction(s) are not"
                    + " imported: commitments, starts and completions are recorded through the activity's lifecycle");
        }
        if (in.targetGroups().isEmpty()) {
            warnings.add("no target group: IATI has none; name them as <" + IatiCodes.LEDGER_PREFIX + ":"
                    + IatiCodes.TARGET_GROUP + " code=\"YOUTH\"/> in the namespace " + IatiCodes.LEDGER_NAMESPACE);
        }
        // The export writes the title when an activity has no description: read back, that is no description.
        String description = in.description() == null || in.description().equals(in.title()) ? null
                : in.description();
        ProposeActivity proposal = new ProposeActivity(activityId, agency, in.title(), description,
                axes(in, registry, warnings), regions(in, warnings),
                List.copyOf(new LinkedHashSet<>(in.targetGroups())),
                period(in, warnings), budget, partners(in, agency, organisations, registry, warnings));
        return new Mapped(activityId, proposal, refusals, warnings);
    }

    /** Every axis vocabulary-99 sectors name, then those the standard codes map to; the rest is left out. */
    private static List<String> axes(IatiActivityIn in, Registry registry, List<String> warnings) {
        Set<String> axes = new LinkedHashSet<>();
        List<String> mapped = new ArrayList<>();
        for (IatiActivityIn.Code sector : in.sectors()) {
            if (IatiCodes.OWN_VOCABULARY.equals(sector.vocabulary())) {
                if (registry.isDefinedAxis(sector.code())) {
                    axes.add(sector.code());
                } else {
                    warnings.add("sector " + sector.code() + " (vocabulary 99) is not a convergence axis: left out");
                }
                continue;
            }
            Optional<String> axis = IatiCodes.axisOfSector(sector.vocabulary(), sector.code());
            if (axis.isPresent()) {
                mapped.add(axis.get());
            } else {
                warnings.add("sector " + sector.code() + " (vocabulary " + vocabulary(sector.vocabulary())
                        + ") has no convergence axis: left out");
            }
        }
        for (IatiActivityIn.Marker marker : in.policyMarkers()) {
            Optional<String> axis = IatiCodes.axisOfPolicyMarker(marker.vocabulary(), marker.code(),
                    marker.significance());
            if (axis.isPresent()) {
                mapped.add(axis.get());
            } else if (!"0".equals(marker.significance())) {
                warnings.add("policy marker " + marker.code() + " (vocabulary " + vocabulary(marker.vocabulary())
                        + ") has no convergence axis: left out");
            }
        }
        for (String axis : mapped) {
            if (registry.isDefinedAxis(axis)) {
                axes.add(axis);
            } else {
                warnings.add("axis " + axis + " is not defined in this ledger: left out");
            }
        }
        return List.copyOf(axes);
    }

    /** Locations that are Morocco's regions (by ref, else by name); none at all is the whole country. */
    private static List<String> regions(IatiActivityIn in, List<String> warnings) {
        Set<String> regions = new LinkedHashSet<>();
        for (IatiActivityIn.Place place : in.locations()) {
            Optional<String> region = IatiCodes.regionOf(place.ref(), place.name());
            if (region.isPresent()) {
                regions.add(region.get());
            } else {
                String named = place.ref() == null ? place.name()
                        : place.name() == null ? place.ref() : place.ref() + " (" + place.name() + ")";
                warnings.add("location " + named + " is not one of Morocco's regions: left out");
            }
        }
        return regions.isEmpty() ? List.of(Regions.NATIONAL) : List.copyOf(regions);
    }

    /** Planned start and end; an actual date stands in for a planned one the file lacks. */
    private static Period period(IatiActivityIn in, List<String> warnings) {
        LocalDate start = date(in, IatiCodes.PLANNED_START, IatiCodes.ACTUAL_START, "start", warnings);
        LocalDate end = date(in, IatiCodes.PLANNED_END, IatiCodes.ACTUAL_END, "end", warnings);
        return start == null && end == null ? null : new Period(start, end);
    }

    private static LocalDate date(IatiActivityIn in, String planned, String actual, String which,
                                  List<String> warnings) {
        LocalDate date = in.dates().get(planned);
        if (date == null && in.dates().get(actual) != null) {
            warnings.add("no planned " + which + " date: the actual one stands for it");
            return in.dates().get(actual);
        }
        return date;
    }

    /**
     * The planned budget: per budget period the revised budget (type 2) where there is one, else the original, added
     * up. The ledger's plan has one amount in one currency.
     */
    private static Money budget(IatiActivityIn in, List<String> refusals, List<String> warnings) {
        Map<String, IatiActivityIn.Budget> perPeriod = new LinkedHashMap<>();
        for (IatiActivityIn.Budget budget : in.budgets()) {
            String period = budget.start() + "/" + budget.end();
            IatiActivityIn.Budget kept = perPeriod.get(period);
            if (kept == null || ("2".equals(budget.type()) && !"2".equals(kept.type()))) {
                perPeriod.put(period, budget);
            }
        }
        if (perPeriod.isEmpty()) {
            warnings.add("no budget: the ledger needs the planned budget");
            return null;
        }
        Set<String> currencies = new TreeSet<>();
        BigDecimal total = BigDecimal.ZERO;
        for (IatiActivityIn.Budget budget : perPeriod.values()) {
            currencies.add(budget.currency() != null ? budget.currency() : String.valueOf(in.defaultCurrency()));
            total = total.add(budget.value());
        }
        if (currencies.size() > 1) {
            refusals.add("budgets in several currencies " + currencies + ": the ledger's plan has one amount in one"
                    + " currency");
            return null;
        }
        if (perPeriod.size() > 1) {
            warnings.add(perPeriod.size() + " budget periods added up to one planned budget");
        }
        return new Money(total, currencies.iterator().next());
    }

    /** Participating organisations that are registered agencies, in a role; the lead's own entries are its lead. */
    private static List<Partner> partners(IatiActivityIn in, String lead, IatiOrganisations organisations,
                                          Registry registry, List<String> warnings) {
        Set<Partner> partners = new LinkedHashSet<>();
        for (IatiActivityIn.Organisation org : in.participatingOrgs()) {
            Optional<String> agency = organisations.agencyOf(org.ref());
            Optional<PartnerRole> role = IatiCodes.roleOf(org.role());
            if (agency.isPresent() && agency.get().equals(lead)) {
                continue;
            }
            if (agency.isEmpty() || !registry.isRegisteredAgency(agency.get())) {
                warnings.add("participating organisation " + (org.ref() == null ? "without ref" : org.ref())
                        + " is not an agency of the ledger: left out");
            } else if (role.isEmpty()) {
                warnings.add("participating organisation " + org.ref() + " has role " + org.role()
                        + ", not 1 to 4: left out");
            } else {
                partners.add(new Partner(agency.get(), role.get()));
            }
        }
        return List.copyOf(partners);
    }

    private static String vocabulary(String vocabulary) {
        return vocabulary == null ? IatiCodes.DAC_VOCABULARY : vocabulary;
    }
}
