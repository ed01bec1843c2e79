package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard's page speed: a real headless Chromium opens each page of a RUNNING ledger, whatever it holds, once
 * in a fresh browser (empty cache: a first visit) and again in the same one (return visits). A page's time is its
 * own "page-shown" mark: ms from the start of navigation until it first showed what it read; "KB moved" is what
 * crossed the wire on the first visit (compressed; the change stream, never finished, is not counted), "KB read" the
 * same decoded. Targets: usable within 2 s at 100,000 activities, at most 600 KB. Not a test: it measures.
 */
public final class DashboardBenchmark {

    /** Until the page shows its data or an error: its mark, what it moved and read, and how many requests. */
    private static final String SHOWN = """
            const mark = performance.getEntriesByName('page-shown')[0], failed = document.querySelector('main .error');
            if (!mark && !failed) return null;
            const all = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
            const sum = key => all.reduce((total, entry) => total + entry[key], 0);
            return {shown: mark ? mark.startTime : -1, error: failed ? failed.textContent : null, requests: all.length,
                    moved: sum('transferSize'), read: sum('decodedBodySize')};
            """;

    /** Held: a logger nobody holds may be collected, and its level with it. Its notes on DevTools are not figures. */
    private static final Logger SELENIUM = Logger.getLogger("org.openqa.selenium");

    public static void main(String[] args) {
        Options options = new Options(DashboardBenchmark.class, """
                Opens every dashboard page of a RUNNING Convergence Ledger in headless Chromium and prints, per page,
                the time until it showed its data on a first visit and on return visits (p50 and max), the bytes it
                moved and read and the requests it made.
                """).option("query-url", "http://localhost:8082", "query service")
                .option("repeats", "5", "return visits per page")
                .option("lang", "fr", "fr, ar or en")
                .option("known-at", LocalDate.now(ZoneOffset.UTC).toString(), "the day of the pages read \"as known "
                        + "then\" (today: a read of the whole history)")
                .option("chromium", "/usr/bin/chromium", "the browser")
                .option("chromedriver", "/usr/bin/chromedriver", "its driver");
        Launch.main("dashboard benchmark", args, options, DashboardBenchmark::run);
    }

    private static void run(Options options) throws Exception {
        SELENIUM.setLevel(Level.SEVERE);
        Ledger ledger = new Ledger(null, options.url("query-url"), 60);
        JsonNode agencies = ledger.read(ledger.queryUrl + "/api/convergence/progress", null).path("agencies");
        JsonNode agency = busiest(agencies);
        long activities = agencies.findValues("activities").stream().mapToLong(JsonNode::asLong).sum();
        if (agency == null) {
            throw new Fatal("the ledger at " + ledger.queryUrl + " holds no activity: load some first");
        }
        String code = agency.path("key").asText();
        String activity = ledger.read(ledger.queryUrl
                + "/api/convergence/activities?limit=1&involving=" + code, null).path("items").get(0)
                .path("id").asText();
        JsonNode cell = busiest(ledger.read(ledger.queryUrl + "/api/convergence/matrix?rows=axis&cols=region", null)
                .path("cells"));
        int year = LocalDate.now(ZoneOffset.UTC).getYear() - 1;
        String period = "&from=" + year + "-01-01&to=" + year + "-12-31";
        String day = options.text("known-at");
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview", "view=overview");
        pages.put("matrix axis x agency", "view=matrix");
        pages.put("matrix cell opened", "view=matrix&dims=axis,region&cellRow=" + cell.path("row").asText()
                + "&cellCol=" + cell.path("col").asText());
        pages.put("duplications", "view=duplications");
        pages.put("joint work and gaps " + year, "view=coverage" + period);
        pages.put("progress", "view=progress");
        pages.put("ledger", "view=ledger");
        pages.put("agency " + code, "view=agency&code=" + code);
        pages.put("activity", "view=activity&id=" + URLEncoder.encode(activity, StandardCharsets.UTF_8));
        pages.put("overview known at " + day, "view=overview&knownAt=" + day);
        pages.put("matrix known at " + day, "view=matrix&knownAt=" + day);
        pages.put("gaps " + year + " known at " + day, "view=coverage" + period + "&knownAt=" + day);
        System.out.printf(Locale.ROOT, "== Convergence Ledger: dashboard benchmark ==%nledger           %s, %,d "
                + "activities, the busiest agency %s leads %,d; language %s, %s return visits per page%n"
                + "machine          %s%n%n", ledger.queryUrl, activities, code, agency.path("activities").asLong(),
                options.text("lang"), options.text("repeats"), Report.machine());
        Report.Table table = new Report.Table("page", "first (ms)", "return p50 / max", "KB moved", "KB read",
                "requests");
        double[] worst = new double[3]; // slowest first visit, slowest return p50, heaviest KB moved
        int failed = 0;
        for (Map.Entry<String, String> page : pages.entrySet()) {
            ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(
                    options.text("chromedriver"))).build(), new ChromeOptions().setBinary(options.text("chromium"))
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=1280,1000"));
            List<Map<?, ?>> visits = new ArrayList<>();
            try {
                for (int i = 0; i <= options.positive("repeats"); i++) {
                    browser.get(ledger.queryUrl + "/?" + page.getValue() + "&lang=" + options.text("lang"));
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    Object shown = browser.executeScript(SHOWN);
                    while (shown == null && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                        shown = browser.executeScript(SHOWN);
                    }
                    visits.add(shown instanceof Map<?, ?> visit ? visit : Map.of("shown", 60_000, "error",
                            "not shown within 60 s", "moved", 0, "read", 0, "requests", 0));
                }
            } finally {
                browser.quit();
            }
            Map<?, ?> first = visits.get(0);
            double[] returns = visits.stream().skip(1).mapToDouble(v -> number(v, "shown")).sorted().toArray();
            Object error = visits.stream().map(v -> v.get("error")).filter(e -> e != null).findFirst().orElse(null);
            table.row(page.getKey(), Report.rate(number(first, "shown")), Report.rate(returns[returns.length / 2])
                    + " / " + Report.rate(returns[returns.length - 1]), Report.ms(number(first, "moved") / 1024),
                    Report.ms(number(first, "read") / 1024), (long) number(first, "requests") + (error == null ? ""
                            : "   FAILED: " + error));
            failed += error == null ? 0 : 1;
            worst[0] = Math.max(worst[0], number(first, "shown"));
            worst[1] = Math.max(worst[1], returns[returns.length / 2]);
            worst[2] = Math.max(worst[2], number(first, "moved") / 1024);
        }
        table.lines().forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nBENCHMARK dashboard activities=%d pages=%d failed=%d slowest_first_ms=%.0f "
                + "slowest_return_p50_ms=%.0f heaviest_kb=%.1f target_ms=2000 target_kb=600%n", activities,
                pages.size(), failed, worst[0], worst[1], worst[2]);
    }

    private static JsonNode busiest(JsonNode entries) {
        JsonNode busiest = null;
        for (JsonNode entry : entries) {
            busiest = busiest == null || entry.path("activities").asLong() > busiest.path("activities").asLong()
                    ? entry : busiest;
        }
        return busiest;
    }

    private static double number(Map<?, ?> visit, String key) {
        return ((Number) visit.get(key)).doubleValue();
    }
}
