package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Ledger.json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The read-side benchmark's activities and their lives, each from (seed, n) alone; README.md gives the shares. */
final class Portfolio {

    static final Map<String, String> AGENCIES = new LinkedHashMap<>();
    static final Map<String, String> AXES = new LinkedHashMap<>();
    static final List<String> REGIONS = List.of("TANGER_TETOUAN_AL_HOCEIMA", "ORIENTAL", "FES_MEKNES",
            "RABAT_SALE_KENITRA", "BENI_MELLAL_KHENIFRA", "CASABLANCA_SETTAT", "MARRAKECH_SAFI", "DRAA_TAFILALET",
            "SOUSS_MASSA", "GUELMIM_OUED_NOUN", "LAAYOUNE_SAKIA_EL_HAMRA", "DAKHLA_OUED_EDDAHAB");
    /** 40 target groups; the first four are served by every agency now and then. */
    static final List<String> TARGET_GROUPS = List.of("YOUTH", "WOMEN", "JOB_SEEKERS", "MIGRANTS", "CHILDREN",
            "EMPLOYERS", "RURAL_WOMEN", "GRADUATES", "NEET_YOUTH", "PERSONS_WITH_DISABILITIES", "SMALL_FARMERS",
            "ARTISANS", "INFORMAL_WORKERS", "DOMESTIC_WORKERS", "RETURNING_MIGRANTS", "REFUGEES", "SCHOOL_DROPOUTS",
            "APPRENTICES", "VOCATIONAL_TRAINERS", "LABOUR_INSPECTORS", "SOCIAL_PARTNERS", "SME_OWNERS",
            "COOPERATIVES", "WOMEN_ENTREPRENEURS", "YOUNG_ENTREPRENEURS", "LONG_TERM_UNEMPLOYED", "SENIOR_WORKERS",
            "SEASONAL_WORKERS", "FISHERS", "TEXTILE_WORKERS", "CONSTRUCTION_WORKERS", "TOURISM_WORKERS",
            "HEALTH_WORKERS", "CAREGIVERS", "TVET_STUDENTS", "UNIVERSITY_STUDENTS", "CIVIL_SERVANTS",
            "MUNICIPALITIES", "NGOS", "PLATFORM_WORKERS");
    static final String NATIONAL = "NATIONAL";
    /** The kinds of command, in the order a life sends them. */
    static final List<String> KINDS = List.of("propose", "partner", "commit", "start", "revise", "complete", "cancel");

    static {
        for (char c = 'A'; c <= 'L'; c++) {
            AGENCIES.put("BENCH" + c, "Benchmark agency " + c);
        }
        AXES.put("INDH", "National human development initiative");
        AXES.put("GENDER", "Gender equality at work");
        AXES.put("CHILD_LABOUR", "Fight against child labour");
        AXES.put("WORK_LINKED_TRAINING", "Work-linked training");
        AXES.put("LEGAL_MIGRATION", "Legal labour migration");
        AXES.put("SKILLS_PARTNERSHIP", "Skills partnerships");
    }

    private static final List<String> AGENCY_CODES = List.copyOf(AGENCIES.keySet());
    private static final List<String> AXIS_CODES = List.copyOf(AXES.keySet());
    private static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(2030, 12, 31);

    /** One activity as proposed, and committed when {@code committed}. */
    record Activity(int number, String id, int agency, List<String> axes, List<String> regions,
                    List<String> targetGroups, LocalDate start, LocalDate end, BigDecimal amount, String currency,
                    int partner, boolean committed, BigDecimal committedAmount, LocalDate committedOn) {
        String leadAgency() {
            return AGENCY_CODES.get(agency);
        }
    }

    /** A command of a life: its kind, agency, path after /api/activities ("": the proposal), body, fact's date. */
    record Step(String kind, String agency, String path, String body, Instant occurredAt) {
    }

    /** What an agency mostly works on. */
    private record Profile(String mainAxis, String secondAxis, int[] homeRegions, int[] coreGroups) {
    }

    private final long seed;
    private final String runTag;
    private final List<Profile> profiles = new ArrayList<>();

    Portfolio(long seed, String runTag) {
        this.seed = seed;
        this.runTag = runTag;
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> specialised = new ArrayList<>();
        for (int g = 4; g < TARGET_GROUPS.size(); g++) {
            specialised.add(g);
        }
        for (int i = specialised.size() - 1; i > 0; i--) {
            Collections.swap(specialised, i, random.nextInt(i + 1));
        }
        for (int a = 0; a < AGENCY_CODES.size(); a++) {
            int main = random.nextInt(AXIS_CODES.size());
            int second = (main + 1 + random.nextInt(AXIS_CODES.size() - 1)) % AXIS_CODES.size();
            Set<Integer> home = new LinkedHashSet<>();
            while (home.size() < 4) {
                home.add(random.nextInt(REGIONS.size()));
            }
            int[] core = {specialised.get(a * 3), specialised.get(a * 3 + 1), specialised.get(a * 3 + 2)};
            profiles.add(new Profile(AXIS_CODES.get(main), AXIS_CODES.get(second),
                    home.stream().mapToInt(Integer::intValue).toArray(), core));
        }
    }

    Activity activity(int number) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + number * 0xBF58476D1CE4E5B9L + 1);
        int agency = number % AGENCY_CODES.size();
        Profile profile = profiles.get(agency);
        Supplier<String> axis = () -> {
            double p = random.nextDouble();
            return p < 0.70 ? profile.mainAxis() : p < 0.90 ? profile.secondAxis()
                    : AXIS_CODES.get(random.nextInt(AXIS_CODES.size()));
        };
        Supplier<String> region = () -> REGIONS.get(random.nextDouble() < 0.5
                ? profile.homeRegions()[random.nextInt(4)] : random.nextInt(REGIONS.size()));
        Supplier<String> group = () -> {
            double p = random.nextDouble();
            return p < 0.94 ? TARGET_GROUPS.get(profile.coreGroups()[random.nextInt(3)])
                    : TARGET_GROUPS.get(random.nextInt(p < 0.98 ? 4 : TARGET_GROUPS.size()));
        };
        List<String> axes = draw(axis, random::nextDouble, 0.15);
        List<String> regions = random.nextDouble() < 0.03 ? List.of(NATIONAL) : draw(region, random::nextDouble, 0.10);
        List<String> groups = draw(group, random::nextDouble, 0.30);

        int months = 3 + random.nextInt(16);
        LocalDate start = FIRST_DAY.plusDays(random.nextLong(ChronoUnit.DAYS.between(FIRST_DAY,
                LAST_DAY.minusMonths(months)) + 1));
        double c = random.nextDouble();
        String currency = c < 0.85 ? "MAD" : c < 0.95 ? "EUR" : "USD";
        double low = currency.equals("MAD") ? 1e5 : 2e4; // log-uniform, whole thousands
        double high = currency.equals("MAD") ? 5e7 : 5e6;
        double raw = Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
        BigDecimal amount = BigDecimal.valueOf(Math.round(raw / 1000) * 1000L).setScale(2, RoundingMode.UNNECESSARY);
        int partner = random.nextDouble() < 0.05 ? (agency + 1 + random.nextInt(11)) % 12 : -1;
        boolean committed = random.nextDouble() < 0.60;
        return new Activity(number, AGENCY_CODES.get(agency) + ":" + runTag + "-" + number, agency, axes, regions,
                groups, start, start.plusMonths(months).minusDays(1), amount, currency, partner, committed,
                committed ? percent(amount, 70 + random.nextInt(31)) : null,
                committed ? start.minusDays(random.nextInt(91)) : null);
    }

    /** A first value, then, at that chance, a second one that differs from it (ten tries): draws in that order. */
    private static List<String> draw(Supplier<String> next, DoubleSupplier chance, double share) {
        List<String> values = new ArrayList<>(List.of(next.get()));
        boolean second = chance.getAsDouble() < share;
        for (int attempt = 0; second && attempt < 10; attempt++) {
            String value = next.get();
            if (!values.contains(value)) {
                values.add(value);
                break;
            }
        }
        return List.copyOf(values);
    }

    /** The commands of activity n's life, in order, each storing one event. */
    List<Step> life(int number) {
        Activity a = activity(number);
        SplittableRandom random = new SplittableRandom(seed * 0xD1B54A32D192ED03L + number * 0x94D049BB133111EBL + 7);
        List<Step> steps = new ArrayList<>();
        LocalDate proposedOn = (a.committed() ? a.committedOn() : a.start()).minusDays(30 + random.nextInt(91));
        LocalDate last = step(steps, a, "propose", "", proposeBody(a), proposedOn);
        if (random.nextDouble() < 0.05) {
            int other;
            do {
                other = (a.agency() + 1 + random.nextInt(11)) % 12;
            } while (other == a.partner());
            last = step(steps, a, "partner", "/partners", json("{'agency':'%s','role':'FUNDING'}",
                    AGENCY_CODES.get(other)), proposedOn.plusDays(1 + random.nextInt(20)));
        }
        boolean started = false;
        boolean completes = false;
        LocalDate startedOn = null;
        if (a.committed()) {
            last = step(steps, a, "commit", "/commitment", json("{'committedAmount':{'amount':%s,'currency':'%s'},"
                    + "'committedOn':'%s'}", a.committedAmount(), a.currency(), a.committedOn()), a.committedOn());
            started = random.nextDouble() < 0.75;
            if (started) {
                LocalDate planned = a.start().plusDays(random.nextInt(31));
                startedOn = planned.isBefore(a.committedOn()) ? a.committedOn() : planned;
                last = step(steps, a, "start", "/start", json("{'startedOn':'%s'}", startedOn), startedOn);
                completes = random.nextDouble() < 0.5;
            }
        }
        if (random.nextDouble() < 0.10) {
            step(steps, a, "revise", "/revision", revisionBody(a, random), last);
        }
        if (completes) {
            LocalDate planned = a.end().plusDays(random.nextInt(91) - 30);
            LocalDate completedOn = planned.isBefore(startedOn) ? startedOn : planned;
            BigDecimal spent = percent(a.committedAmount(), 50 + random.nextInt(56));
            step(steps, a, "complete", "/completion", json("{'completedOn':'%s','amountSpent':{'amount':%s,'currency':"
                    + "'%s'},'beneficiariesReached':%d}", completedOn, spent, a.currency(), 10 + random.nextInt(5000)),
                    completedOn);
        } else if (!started && random.nextDouble() < 0.05) {
            // after the commitment, or three weeks after the proposal (when a partner may have joined)
            LocalDate cancelledOn = (a.committed() ? a.committedOn() : proposedOn.plusDays(21))
                    .plusDays(random.nextInt(61));
            step(steps, a, "cancel", "/cancellation", json("{'cancelledOn':'%s','reason':'Read-side benchmark: "
                    + "cancelled before it started'}", cancelledOn), cancelledOn);
        }
        return steps;
    }

    /** Adds a step dated on that day, the n-th step at (9 + n) o'clock UTC, so a life's facts never go backwards. */
    private static LocalDate step(List<Step> steps, Activity a, String kind, String path, String body, LocalDate on) {
        steps.add(new Step(kind, a.leadAgency(), path.isEmpty() ? "" : "/" + Ledger.path(a.id()) + path, body,
                on.atTime(9 + steps.size(), 0).toInstant(ZoneOffset.UTC)));
        return on;
    }

    private static String proposeBody(Activity a) {
        return json("{'activityId':'%s','leadAgency':'%s','title':'%s','description':'%s','axes':%s,'regions':%s,"
                + "'targetGroups':%s,'plannedPeriod':{'start':'%s','end':'%s'},'plannedBudget':{'amount':%s,'currency':"
                + "'%s'},'partners':[%s]}", a.id(), a.leadAgency(), AXES.get(a.axes().get(0)) + " — "
                + humane(a.targetGroups().get(0)) + ", " + humane(a.regions().get(0)) + " (" + a.start().getYear()
                + ")", "Convergence benchmark activity " + a.number() + " of agency " + a.leadAgency() + ": "
                + a.axes().size() + " axis(es), " + a.regions().size() + " region(s), " + a.targetGroups().size()
                + " target group(s).", strings(a.axes()), strings(a.regions()), strings(a.targetGroups()), a.start(),
                a.end(), a.amount(), a.currency(), a.partner() < 0 ? "" : json("{'agency':'%s','role':'FUNDING'}",
                AGENCY_CODES.get(a.partner())));
    }

    /** A new region, or the planned period moved by 1–90 days either way; the other as proposed. */
    private static String revisionBody(Activity a, SplittableRandom random) {
        List<String> regions = new ArrayList<>(a.regions());
        int days = 0;
        String reason;
        if (!regions.contains(NATIONAL) && random.nextBoolean()) {
            String region;
            do {
                region = REGIONS.get(random.nextInt(REGIONS.size()));
            } while (regions.contains(region));
            regions.add(region);
            reason = "extended to " + region;
        } else {
            days = 1 + random.nextInt(90);
            days = random.nextBoolean() ? days : -days;
            reason = "period moved by " + days + " days";
        }
        return json("{'regions':%s,'plannedPeriod':{'start':'%s','end':'%s'},'reason':'Read-side benchmark: %s'}",
                strings(regions), a.start().plusDays(days), a.end().plusDays(days), reason);
    }

    private static String strings(List<String> values) {
        return values.stream().map(v -> '"' + v + '"').collect(Collectors.joining(",", "[", "]"));
    }

    private static BigDecimal percent(BigDecimal amount, int percent) {
        return amount.multiply(BigDecimal.valueOf(percent)).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
    }

    private static String humane(String code) {
        String lower = code.replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
