package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The convergence benchmark's activities, generated deterministically from a seed: activity n is always the same
 * for a given seed, whatever the concurrency or the order in which they are sent.
 *
 * <p>The density is meant to look like a real programme portfolio, not a stress test of the pair rules: each
 * agency has a profile — a main and a second axis, a few home regions, five "core" target groups drawn with a bias
 * towards the popular ones (youth, women, job seekers…) — and most of its activities stay inside it. Activities
 * of different agencies therefore meet in a cell (axis × region × target group) mostly where their profiles
 * overlap, periods are spread over 2000–2030, and likely duplications stay a small share of the activities
 * (printed as "expected pairs" before the load: the same rules as the query service's, computed here).
 */
final class Workload {

    static final List<String> AGENCY_CODES = List.of("BENCHA", "BENCHB", "BENCHC", "BENCHD", "BENCHE", "BENCHF",
            "BENCHG", "BENCHH", "BENCHI", "BENCHJ", "BENCHK", "BENCHL");

    static final Map<String, String> AXES = axes();

    /**
     * Morocco's twelve regions, as in shared-events' {@code org.convergenceledger.events.common.Regions.ALL}
     * (without NATIONAL), copied so that the convergence workload (and its seeds) stay what they are.
     */
    static final List<String> REGIONS = List.of("TANGER_TETOUAN_AL_HOCEIMA", "ORIENTAL", "FES_MEKNES",
            "RABAT_SALE_KENITRA", "BENI_MELLAL_KHENIFRA", "CASABLANCA_SETTAT", "MARRAKECH_SAFI", "DRAA_TAFILALET",
            "SOUSS_MASSA", "GUELMIM_OUED_NOUN", "LAAYOUNE_SAKIA_EL_HAMRA", "DAKHLA_OUED_EDDAHAB");
    static final String NATIONAL = "NATIONAL";

    /** 40 target groups; the first ones are the most popular as an agency's core groups. */
    static final List<String> TARGET_GROUPS = List.of("YOUTH", "WOMEN", "JOB_SEEKERS", "MIGRANTS", "CHILDREN",
            "EMPLOYERS", "RURAL_WOMEN", "GRADUATES", "NEET_YOUTH", "PERSONS_WITH_DISABILITIES", "SMALL_FARMERS",
            "ARTISANS", "INFORMAL_WORKERS", "DOMESTIC_WORKERS", "RETURNING_MIGRANTS", "REFUGEES", "SCHOOL_DROPOUTS",
            "APPRENTICES", "VOCATIONAL_TRAINERS", "LABOUR_INSPECTORS", "SOCIAL_PARTNERS", "SME_OWNERS",
            "COOPERATIVES", "WOMEN_ENTREPRENEURS", "YOUNG_ENTREPRENEURS", "LONG_TERM_UNEMPLOYED", "SENIOR_WORKERS",
            "SEASONAL_WORKERS", "FISHERS", "TEXTILE_WORKERS", "CONSTRUCTION_WORKERS", "TOURISM_WORKERS",
            "HEALTH_WORKERS", "CAREGIVERS", "TVET_STUDENTS", "UNIVERSITY_STUDENTS", "CIVIL_SERVANTS",
            "MUNICIPALITIES", "NGOS", "PLATFORM_WORKERS");

    private static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(2030, 12, 31);
    /** Target groups every agency works with now and then; the other 36 are split between the agencies. */
    private static final int SHARED_GROUPS = 4;
    private static final int CORE_GROUPS = (40 - SHARED_GROUPS) / 12;
    private static final int HOME_REGIONS = 4;
    private static final double CORE_GROUP_SHARE = 0.94;
    private static final double SHARED_GROUP_SHARE = 0.04; // the rest: any of the 40
    private static final double HOME_REGION_SHARE = 0.5;
    private static final double SECOND_GROUP_SHARE = 0.30;

    /** One activity as proposed (and perhaps committed). */
    record Activity(int number, String id, int agency, List<String> axes, List<String> regions,
                    List<String> targetGroups, LocalDate start, LocalDate end, BigDecimal amount, String currency,
                    int partner, boolean committed, BigDecimal committedAmount, LocalDate committedOn) {

        String leadAgency() {
            return AGENCY_CODES.get(agency);
        }
    }

    /** What an agency mostly works on. */
    private record Profile(String mainAxis, String secondAxis, int[] homeRegions, int[] coreGroups) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long seed;
    private final double commitShare;
    private final String runTag;
    private final List<String> axisCodes = List.copyOf(AXES.keySet());
    private final List<Profile> profiles = new ArrayList<>();

    Workload(long seed, double commitShare, String runTag) {
        this.seed = seed;
        this.commitShare = commitShare;
        this.runTag = runTag;
        SplittableRandom random = new SplittableRandom(seed);
        // The specialised groups, shuffled, dealt out CORE_GROUPS per agency: agencies have their own publics, as
        // the employment agency has job seekers and the social security fund employers.
        List<Integer> specialised = new ArrayList<>();
        for (int g = SHARED_GROUPS; g < TARGET_GROUPS.size(); g++) {
            specialised.add(g);
        }
        for (int i = specialised.size() - 1; i > 0; i--) {
            java.util.Collections.swap(specialised, i, random.nextInt(i + 1));
        }
        for (int a = 0; a < AGENCY_CODES.size(); a++) {
            int main = random.nextInt(axisCodes.size());
            int second = (main + 1 + random.nextInt(axisCodes.size() - 1)) % axisCodes.size();
            int[] home = distinct(random, HOME_REGIONS, REGIONS.size());
            int[] core = new int[CORE_GROUPS];
            for (int k = 0; k < CORE_GROUPS; k++) {
                core[k] = specialised.get(a * CORE_GROUPS + k);
            }
            profiles.add(new Profile(axisCodes.get(main), axisCodes.get(second), home, core));
        }
    }

    /** k distinct indexes below n. */
    private static int[] distinct(SplittableRandom random, int k, int n) {
        Set<Integer> chosen = new java.util.LinkedHashSet<>();
        while (chosen.size() < k) {
            chosen.add(random.nextInt(n));
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The profiles in words, for the workload line. */
    static String profileRule() {
        return String.format(java.util.Locale.ROOT, "each agency keeps mostly to a main axis (70 %%) and a second "
                + "one (20 %%), to %d home regions (%.0f %%) and to %d target groups of its own (%.0f %%; the 36 "
                + "specialised groups are dealt out between the agencies), %.0f %% go to the %d groups all share (%s), "
                + "the rest anywhere", HOME_REGIONS, 100 * HOME_REGION_SHARE, CORE_GROUPS, 100 * CORE_GROUP_SHARE,
                100 * SHARED_GROUP_SHARE, SHARED_GROUPS, String.join(", ", TARGET_GROUPS.subList(0, SHARED_GROUPS)));
    }

    String activityId(int number) {
        return AGENCY_CODES.get(number % AGENCY_CODES.size()) + ":" + runTag + "-" + number;
    }

    Activity activity(int number) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + number * 0xBF58476D1CE4E5B9L + 1);
        int agency = number % AGENCY_CODES.size();
        Profile profile = profiles.get(agency);

        List<String> axes = new ArrayList<>(2);
        axes.add(axis(random, profile));
        if (random.nextDouble() < 0.15) {
            addDistinct(axes, () -> axis(random, profile));
        }

        List<String> regions = new ArrayList<>(2);
        if (random.nextDouble() < 0.03) {
            regions.add(NATIONAL);
        } else {
            regions.add(region(random, profile));
            if (random.nextDouble() < 0.10) {
                addDistinct(regions, () -> region(random, profile));
            }
        }

        List<String> groups = new ArrayList<>(2);
        groups.add(group(random, profile));
        if (random.nextDouble() < SECOND_GROUP_SHARE) {
            addDistinct(groups, () -> group(random, profile));
        }

        int months = 3 + random.nextInt(16); // 3–18
        long lastStart = ChronoUnit.DAYS.between(FIRST_DAY, LAST_DAY.minusMonths(months));
        LocalDate start = FIRST_DAY.plusDays(random.nextLong(lastStart + 1));
        LocalDate end = start.plusMonths(months).minusDays(1);

        double c = random.nextDouble();
        String currency = c < 0.85 ? "MAD" : c < 0.95 ? "EUR" : "USD";
        // log-uniform: MAD 100 k – 50 M, EUR/USD 20 k – 5 M; whole thousands
        double low = currency.equals("MAD") ? 1e5 : 2e4;
        double high = currency.equals("MAD") ? 5e7 : 5e6;
        double raw = Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
        BigDecimal amount = BigDecimal.valueOf(Math.round(raw / 1000) * 1000L).setScale(2, RoundingMode.UNNECESSARY);

        int partner = -1;
        if (random.nextDouble() < 0.05) {
            partner = (agency + 1 + random.nextInt(AGENCY_CODES.size() - 1)) % AGENCY_CODES.size();
        }

        boolean committed = random.nextDouble() < commitShare;
        BigDecimal committedAmount = null;
        LocalDate committedOn = null;
        if (committed) {
            committedAmount = amount.multiply(BigDecimal.valueOf(70 + random.nextInt(31)))
                    .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
            committedOn = start.minusDays(random.nextInt(91));
        }
        return new Activity(number, activityId(number), agency, List.copyOf(axes), List.copyOf(regions),
                List.copyOf(groups), start, end, amount, currency, partner, committed, committedAmount, committedOn);
    }

    private String axis(SplittableRandom random, Profile profile) {
        double p = random.nextDouble();
        return p < 0.70 ? profile.mainAxis() : p < 0.90 ? profile.secondAxis()
                : axisCodes.get(random.nextInt(axisCodes.size()));
    }

    private static String region(SplittableRandom random, Profile profile) {
        return random.nextDouble() < HOME_REGION_SHARE
                ? REGIONS.get(profile.homeRegions()[random.nextInt(HOME_REGIONS)])
                : REGIONS.get(random.nextInt(REGIONS.size()));
    }

    private static String group(SplittableRandom random, Profile profile) {
        double p = random.nextDouble();
        return p < CORE_GROUP_SHARE ? TARGET_GROUPS.get(profile.coreGroups()[random.nextInt(CORE_GROUPS)])
                : p < CORE_GROUP_SHARE + SHARED_GROUP_SHARE ? TARGET_GROUPS.get(random.nextInt(SHARED_GROUPS))
                : TARGET_GROUPS.get(random.nextInt(TARGET_GROUPS.size()));
    }

    private static void addDistinct(List<String> list, java.util.function.Supplier<String> next) {
        for (int attempt = 0; attempt < 10; attempt++) {
            String value = next.get();
            if (!list.contains(value)) {
                list.add(value);
                return;
            }
        }
    }

    byte[] proposeBody(Activity a) {
        ObjectNode body = JSON.createObjectNode();
        body.put("activityId", a.id());
        body.put("leadAgency", a.leadAgency());
        body.put("title", title(a));
        body.put("description", description(a));
        a.axes().forEach(body.putArray("axes")::add);
        a.regions().forEach(body.putArray("regions")::add);
        a.targetGroups().forEach(body.putArray("targetGroups")::add);
        ObjectNode period = body.putObject("plannedPeriod");
        period.put("start", a.start().toString());
        period.put("end", a.end().toString());
        ObjectNode budget = body.putObject("plannedBudget");
        budget.put("amount", a.amount());
        budget.put("currency", a.currency());
        var partners = body.putArray("partners");
        if (a.partner() >= 0) {
            partners.addObject().put("agency", AGENCY_CODES.get(a.partner())).put("role", "FUNDING");
        }
        return LedgerHttp.bytes(body);
    }

    static String title(Activity a) {
        return AXES.get(a.axes().get(0)) + " — " + humane(a.targetGroups().get(0)) + ", "
                + humane(a.regions().get(0)) + " (" + a.start().getYear() + ")";
    }

    static String description(Activity a) {
        return "Convergence benchmark activity " + a.number() + " of agency " + a.leadAgency() + ": "
                + a.axes().size() + " axis(es), " + a.regions().size() + " region(s), " + a.targetGroups().size()
                + " target group(s).";
    }

    byte[] commitBody(Activity a) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode money = body.putObject("committedAmount");
        money.put("amount", a.committedAmount());
        money.put("currency", a.currency());
        body.put("committedOn", a.committedOn().toString());
        return LedgerHttp.bytes(body);
    }

    private static String humane(String code) {
        String lower = code.replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    private static Map<String, String> axes() {
        Map<String, String> axes = new LinkedHashMap<>();
        axes.put("INDH", "National human development initiative");
        axes.put("GENDER", "Gender equality at work");
        axes.put("CHILD_LABOUR", "Fight against child labour");
        axes.put("WORK_LINKED_TRAINING", "Work-linked training");
        axes.put("LEGAL_MIGRATION", "Legal labour migration");
        axes.put("SKILLS_PARTNERSHIP", "Skills partnerships");
        return java.util.Collections.unmodifiableMap(axes);
    }

    // --- what the view should find ----------------------------------------------------------------------------------

    /** Pairs of activities the query service's rules make of this workload; {@code involved}: activities in one. */
    record Expected(long duplications, long joint, long involvedInDuplications, double meanAxes, double meanRegions,
                    double meanGroups, long national, long withPartner, Map<String, Long> currencies) {
    }

    /**
     * The same rules as the query service's PairRules, over the activities that were accepted: different lead
     * agencies, at least one shared axis × region × target group cell, overlapping periods (both days included;
     * planned periods, as nothing is started), none cancelled; JOINT when either names the other's agency as a
     * partner, else DUPLICATION. By cell: the activities of a cell sorted by start, each compared with those still
     * running — never all pairs.
     */
    static Expected expected(List<Activity> activities, BitSet accepted) {
        Map<String, List<Activity>> cells = new HashMap<>();
        long axes = 0;
        long regions = 0;
        long groups = 0;
        long national = 0;
        long withPartner = 0;
        long count = 0;
        Map<String, Long> currencies = new java.util.TreeMap<>();
        for (Activity a : activities) {
            if (!accepted.get(a.number())) {
                continue;
            }
            count++;
            axes += a.axes().size();
            regions += a.regions().size();
            groups += a.targetGroups().size();
            national += a.regions().contains(NATIONAL) ? 1 : 0;
            withPartner += a.partner() >= 0 ? 1 : 0;
            currencies.merge(a.currency(), 1L, Long::sum);
            for (String axis : a.axes()) {
                for (String region : a.regions()) {
                    for (String group : a.targetGroups()) {
                        cells.computeIfAbsent(axis + '|' + region + '|' + group, k -> new ArrayList<>()).add(a);
                    }
                }
            }
        }
        Set<Long> duplications = new HashSet<>();
        Set<Long> joint = new HashSet<>();
        for (List<Activity> cell : cells.values()) {
            Activity[] sorted = cell.toArray(new Activity[0]);
            Arrays.sort(sorted, (x, y) -> x.start().compareTo(y.start()));
            for (int i = 0; i < sorted.length; i++) {
                Activity one = sorted[i];
                for (int j = i + 1; j < sorted.length && !sorted[j].start().isAfter(one.end()); j++) {
                    Activity other = sorted[j];
                    if (one.agency() == other.agency()) {
                        continue;
                    }
                    long low = Math.min(one.number(), other.number());
                    long high = Math.max(one.number(), other.number());
                    boolean partners = one.partner() == other.agency() || other.partner() == one.agency();
                    (partners ? joint : duplications).add(low << 32 | high);
                }
            }
        }
        BitSet involved = new BitSet();
        for (long pair : duplications) {
            involved.set((int) (pair >>> 32));
            involved.set((int) (pair & 0xFFFFFFFFL));
        }
        double n = Math.max(count, 1);
        return new Expected(duplications.size(), joint.size(), involved.cardinality(), axes / n, regions / n,
                groups / n, national, withPartner, currencies);
    }
}
