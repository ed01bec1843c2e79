package org.convergenceledger.command.activity;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.convergenceledger.command.coordination.ClosedPeriods;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.command.system.TransitionRefused;
import org.convergenceledger.command.system.Violations;
import org.convergenceledger.events.common.BudgetSplit;
import org.convergenceledger.events.activity.ActivityIds;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.Regions;
import org.convergenceledger.events.common.YearlyAmount;
import org.convergenceledger.events.coordination.PeriodClosed;

/** The content rules shared by proposal, revision and partner changes, and the closed periods' rule. */
public final class ActivityRules {

    /** IATI-like identifier: the lead agency's code, a colon, the agency's own reference. */
    public static final String ID_PATTERN = ActivityIds.PATTERN;
    static final String CODE_PATTERN = "[A-Z][A-Z0-9_]{1,63}";
    /** The code of the problem a fact dated inside a closed reporting period gets without a correction reason. */
    public static final String PERIOD_CLOSED = "period-closed";
    /** A budget above this is a typing error, not a programme. */
    static final long MAX_AMOUNT = 1_000_000_000_000L;
    private static final String SPLIT = "plannedBudgetByYear";

    private static final Set<String> ISO_CURRENCIES = currencyCodes();

    private ActivityRules() {
    }

    static void checkPlan(Activity.Plan plan, Registry registry, Violations violations) {
        violations
                .require(isText(plan.title(), 300), "title", "must be given, at most 300 characters")
                .require(plan.description() == null || plan.description().length() <= 4000, "description",
                        "must be at most 4000 characters")
                .require(isCodeList(plan.axes()), "axes", "must name at least one axis, without repeats")
                .require(isCodeList(plan.regions()), "regions", "must name at least one region, without repeats")
                .require(isCodeList(plan.targetGroups()), "targetGroups",
                        "must name at least one target group (capitals, digits, _), without repeats");
        if (!violations.hasViolationOn("axes")) {
            plan.axes().stream().filter(axis -> !registry.isDefinedAxis(axis)).findFirst().ifPresent(axis ->
                    violations.require(false, "axes", "unknown axis " + axis));
        }
        if (!violations.hasViolationOn("regions")) {
            plan.regions().stream().filter(region -> !Regions.isKnown(region)).findFirst().ifPresent(region ->
                    violations.require(false, "regions", "unknown region " + region + "; one of " + Regions.ALL));
        }
        violations.require(plan.plannedPeriod() != null && plan.plannedPeriod().start() != null
                && plan.plannedPeriod().end() != null, "plannedPeriod", "must give start and end dates");
        if (!violations.hasViolationOn("plannedPeriod")) {
            violations.require(!plan.plannedPeriod().endsBeforeItStarts(), "plannedPeriod.end",
                    "must not be before the start");
        }
        violations.require(isAmount(plan.plannedBudget()), "plannedBudget",
                "must be a non-negative amount in an ISO 4217 currency");
        if (plan.plannedBudgetByYear() != null && isSplittable(plan.plannedPeriod(), plan.plannedBudget())) {
            checkSplit(plan.plannedBudgetByYear(), plan.plannedPeriod(), plan.plannedBudget(), violations);
        }
    }

    static boolean isSplittable(Period period, Money budget) {
        return period != null && period.start() != null && period.end() != null && !period.endsBeforeItStarts()
                && isAmount(budget);
    }

    /** A split by year given by the sender: years of the planned period, once each, amounts that add up. */
    private static void checkSplit(List<YearlyAmount> split, Period period, Money budget, Violations violations) {
        int first = period.start().getYear();
        int last = period.end().getYear();
        violations.require(!split.isEmpty(), SPLIT, "must name at least one year, or be left out (split pro rata)");
        Set<Integer> years = new HashSet<>();
        for (int i = 0; i < split.size(); i++) {
            YearlyAmount part = split.get(i);
            String field = SPLIT + "[" + i + "]";
            if (part == null) {
                violations.require(false, field, "must give a year and an amount");
                continue;
            }
            violations
                    .require(part.year() >= first && part.year() <= last, field + ".year",
                            "must be a year of the planned period, " + first + " to " + last)
                    .require(years.add(part.year()), field + ".year", "is named twice")
                    .require(isAmount(new Money(part.amount(), budget.currency())), field + ".amount",
                            "must be a non-negative amount (in the planned budget's currency, " + budget.currency()
                                    + "), at most 4 decimals");
        }
        if (split.stream().allMatch(part -> part != null && part.amount() != null)) {
            BigDecimal sum = BudgetSplit.total(split);
            violations.require(sum.compareTo(budget.amount()) == 0, SPLIT, "must add up to the planned budget, "
                    + budget.amount().toPlainString() + " " + budget.currency() + " (adds up to "
                    + sum.toPlainString() + ")");
        }
    }

    static void checkPartners(List<Partner> partners, String leadAgency, Registry registry,
                              Violations violations) {
        if (partners == null) {
            return;
        }
        Set<Partner> seen = new HashSet<>();
        for (int i = 0; i < partners.size(); i++) {
            Partner partner = partners.get(i);
            String field = "partners[" + i + "]";
            violations
                    .require(partner != null && partner.agency() != null
                            && registry.isRegisteredAgency(partner.agency()), field + ".agency",
                            "must be a registered agency")
                    .require(partner == null || partner.agency() == null || !partner.agency().equals(leadAgency),
                            field + ".agency", "the lead agency is not its own partner")
                    .require(partner != null && partner.role() != null, field + ".role",
                            "must be FUNDING, ACCOUNTABLE, EXTENDING or IMPLEMENTING")
                    .require(partner == null || seen.add(partner), field, "is named twice");
        }
    }

    static void checkDateInOrder(String field, LocalDate date, LocalDate latest, Violations violations) {
        violations.require(date != null, field, "must be given");
        if (date != null && latest != null) {
            violations.require(!date.isBefore(latest), field, "must not be before " + latest
                    + ", the date of the activity's previous step");
        }
    }

    /**
     * A fact dated inside a period closed for the lead agency (or for all) is recorded only as a correction, with its
     * reason; a correction of a fact outside every closed period has nothing to correct.
     *
     * @param currentState the activity's state (null for a proposal), for the problem
     */
    static void checkPeriod(ClosedPeriods periods, String leadAgency, String activityId, String currentState,
                            LocalDate dated, String correctionReason) {
        Optional<PeriodClosed> closed = periods.covering(leadAgency, dated);
        if (closed.isPresent() && correctionReason == null) {
            PeriodClosed period = closed.get();
            throw new InClosedPeriod(currentState, "the fact is dated " + dated + ", inside the "
                    + "reporting period " + period.from() + " to " + period.to() + " closed for "
                    + (period.agency() == null ? "all agencies" : period.agency()) + " (" + period.periodId()
                    + "): record it as a correction, with its reason (HTTP header " + CommandDispatch.CORRECTION_HEADER
                    + ", Kafka header ledger-correction-reason)");
        }
        if (closed.isEmpty() && correctionReason != null) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation(CommandDispatch.CORRECTION_HEADER,
                    "nothing to correct: " + dated + " lies in no closed reporting period of " + leadAgency
                            + " (" + activityId + ")")));
        }
    }

    /** The refusal of a fact dated inside a closed period that is not sent as a correction. */
    static final class InClosedPeriod extends TransitionRefused {

        InClosedPeriod(String currentState, String message) {
            super(PERIOD_CLOSED, currentState, message);
        }

        @Override
        public String title() {
            return "Dated inside a closed reporting period";
        }
    }

    static LocalDate dayOf(String occurredAt) {
        return occurredAt == null ? LocalDate.now(ZoneOffset.UTC)
                : Instant.parse(occurredAt).atZone(ZoneOffset.UTC).toLocalDate();
    }

    static boolean isAmount(Money money) {
        return money != null && money.amount() != null && money.amount().signum() >= 0
                && money.amount().compareTo(java.math.BigDecimal.valueOf(MAX_AMOUNT)) <= 0
                && money.amount().scale() <= 4
                && money.currency() != null && ISO_CURRENCIES.contains(money.currency());
    }

    private static boolean isText(String text, int maxLength) {
        return text != null && !text.isBlank() && text.length() <= maxLength;
    }

    private static boolean isCodeList(List<String> codes) {
        return codes != null && !codes.isEmpty() && codes.size() <= 50
                && codes.stream().allMatch(code -> code != null && code.matches(CODE_PATTERN))
                && new HashSet<>(codes).size() == codes.size();
    }

    private static Set<String> currencyCodes() {
        Set<String> codes = new HashSet<>();
        Currency.getAvailableCurrencies().forEach(currency -> codes.add(currency.getCurrencyCode()));
        return Set.copyOf(codes);
    }
}
