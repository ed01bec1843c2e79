package org.convergenceledger.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard's page speed: a real headless Chromium opens each page of a RUNNING ledger (whatever it holds: the
 * scenario, or 100,000 activities loaded by ReadSideBenchmark) and reads when the page first showed what it read
 * (the page's own "page-shown" mark, ms after navigation began), what it transferred and how many requests it made.
 * Each page is opened once in a fresh browser (empty cache: a first visit) and then again in the same one (a
 * return visit). Not a test: it prints figures beside the targets (usable within 2 s at 100,000 activities,
 * at most 600 KB) and asserts nothing.
 */
public final class DashboardBenchmark {

    static final String USAGE = """
            usage: java -cp benchmark-0.1.0-SNAPSHOT-exec.jar -Dloader.main=org.convergenceledger.benchmark.DashboardBenchmark \\
                        org.springframework.boot.loader.launch.PropertiesLauncher [options]

            Opens every dashboard page of a RUNNING Convergence Ledger in headless Chromium and prints, per page, the
            time until it showed its data on a first visit (fresh browser, empty cache) and on return visits (p50 and
            max), the bytes it transferred and the requests it made.

            options (also accepted as --name=value):
              --query-url URL        query service (default http://localhost:8082)
              --repeats N            return visits per page (default 5)
              --lang CODE            fr, ar or en (default fr)
              --known-at DAY         the day of the pages read "as known then" (default: today, UTC — a read of
                                     the whole history)
              --chromium PATH        the browser (default /usr/bin/chromium)
              --chromedriver PATH    its driver (default /usr/bin/chromedriver)
              --help                 this text

            exit status: 0 run completed (a page that failed is printed as such), 1 system unreachable, 2 bad arguments.
            """;

    private static final PrintStream OUT = System.out;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);

    static final class DashboardOptions {
        String queryUrl = "http://localhost:8082";
        int repeats = 5;
        String lang = "fr";
        LocalDate knownAt = LocalDate.now(ZoneOffset.UTC);
        String chromium = "/usr/bin/chromium";
        String chromedriver = "/usr/bin/chromedriver";
        boolean help;

        static DashboardOptions parse(String[] args) throws Options.BadArguments {
            DashboardOptions o = new DashboardOptions();
            o.help = Options.each(args, (name, value) -> {
                switch (name) {
                    case "query-url" -> o.queryUrl = Options.url(name, value);
                    case "repeats" -> o.repeats = Options.positive(name, value);
                    case "lang" -> {
                        if (!List.of("fr", "ar", "en").contains(value)) {
                            throw new Options.BadArguments("--lang must be fr, ar or en, not '" + value + "'");
                        }
                        o.lang = value;
                    }
                    case "known-at" -> {
                        try {
                            o.knownAt = LocalDate.parse(value);
                        } catch (java.time.format.DateTimeParseException e) {
                            throw new Options.BadArguments("--known-at must be a day such as 2026-11-29");
                        }
                    }
                    case "chromium" -> o.chromium = value;
                    case "chromedriver" -> o.chromedriver = value;
                    default -> throw new Options.BadArguments("unknown option --" + name);
                }
            });
            return o;
        }
    }

    /** One visit: when the page showed its data, what it transferred, how many requests, and its error if any. */
    private record Visit(double shownMs, long transferredBytes, long decodedBytes, int requests, String error) {
    }

    private final DashboardOptions options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DashboardBenchmark(DashboardOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        Launch.main("dashboard benchmark", args, DashboardOptions::parse, options -> options.help, USAGE,
                options -> new DashboardBenchmark(options).run());
    }

    private void run() throws Exception {
        // Selenium's notes about the browser's DevTools version are not figures: keep the output to the table.
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(java.util.logging.Level.SEVERE);
        JsonNode progress = get("/api/convergence/progress");
        String agency = null;
        long most = -1;
        long total = 0;
        for (JsonNode entry : progress.path("agencies")) {
            total += entry.path("activities").asLong();
            if (entry.path("activities").asLong() > most) {
                most = entry.path("activities").asLong();
                agency = entry.path("key").asText();
            }
        }
        if (agency == null) {
            throw new Fatal("the ledger at " + options.queryUrl + " holds no activity: load one first");
        }
        String activity = get("/api/convergence/activities?limit=1&involving=" + agency).path("items").get(0)
                .path("id").asText();
        JsonNode matrix = get("/api/convergence/matrix?rows=axis&cols=region");
        JsonNode busiest = null;
        for (JsonNode cell : matrix.path("cells")) {
            if (busiest == null || cell.path("activities").asLong() > busiest.path("activities").asLong()) {
                busiest = cell;
            }
        }
        int year = LocalDate.now(ZoneOffset.UTC).getYear() - 1;
        String period = "&from=" + year + "-01-01&to=" + year + "-12-31";
        String known = "&knownAt=" + options.knownAt;
        List<String[]> pages = new ArrayList<>(List.of(
                new String[] {"overview", "view=overview"},
                new String[] {"matrix axis x agency", "view=matrix"},
                new String[] {"matrix cell opened", "view=matrix&dims=axis,region&cellRow="
                        + busiest.path("row").asText() + "&cellCol=" + busiest.path("col").asText()},
                new String[] {"duplications", "view=duplications"},
                new String[] {"joint work and gaps " + year, "view=coverage" + period},
                new String[] {"progress", "view=progress"},
                new String[] {"ledger", "view=ledger"},
                new String[] {"agency " + agency, "view=agency&code=" + agency},
                new String[] {"activity", "view=activity&id=" + URLEncoder.encode(activity, StandardCharsets.UTF_8)},
                new String[] {"overview known at " + options.knownAt, "view=overview" + known},
                new String[] {"matrix known at " + options.knownAt, "view=matrix" + known},
                new String[] {"gaps " + year + " known at " + options.knownAt, "view=coverage" + period + known}));

        OUT.printf(Locale.ROOT, "dashboard benchmark — %s, %,d activities (%d agencies; the busiest, %s, %,d),"
                + " language %s, %d return visits per page%n", options.queryUrl, total, progress.path("agencies").size(),
                agency, most, options.lang, options.repeats);
        OUT.println("machine          " + Report.machine());
        OUT.println();
        OUT.printf(Locale.ROOT, "%-34s %12s %16s %11s %10s %9s%n", "page", "first (ms)", "return p50/max", "KB moved",
                "KB read", "requests");
        double worstReturn = 0;
        double worstFirst = 0;
        long heaviest = 0;
        int failed = 0;
        for (String[] page : pages) {
            String url = options.queryUrl + "/?" + page[1] + "&lang=" + options.lang;
            List<Visit> visits = new ArrayList<>();
            ChromeDriver browser = browser();
            try {
                for (int i = 0; i <= options.repeats; i++) {
                    visits.add(visit(browser, url));
                }
            } finally {
                browser.quit();
            }
            Visit first = visits.get(0);
            List<Double> returns = visits.subList(1, visits.size()).stream().map(Visit::shownMs).sorted().toList();
            String error = visits.stream().map(Visit::error).filter(e -> e != null).findFirst().orElse(null);
            OUT.printf(Locale.ROOT, "%-34s %12.0f %9.0f/%-6.0f %11.1f %10.1f %9d%s%n", page[0], first.shownMs(),
                    returns.get(returns.size() / 2), returns.get(returns.size() - 1), first.transferredBytes() / 1024.0,
                    first.decodedBytes() / 1024.0, first.requests(), error == null ? "" : "   FAILED: " + error);
            failed += error == null ? 0 : 1;
            worstFirst = Math.max(worstFirst, first.shownMs());
            worstReturn = Math.max(worstReturn, returns.get(returns.size() / 2));
            heaviest = Math.max(heaviest, first.transferredBytes());
        }
        OUT.println();
        OUT.printf(Locale.ROOT, "BENCHMARK dashboard activities=%d pages=%d failed=%d slowest_first_ms=%.0f"
                        + " slowest_return_p50_ms=%.0f heaviest_kb=%.1f target_ms=2000 target_kb=600%n",
                total, pages.size(), failed, worstFirst, worstReturn, heaviest / 1024.0);
    }

    private ChromeDriver browser() {
        ChromeOptions chrome = new ChromeOptions();
        chrome.setBinary(options.chromium);
        chrome.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000");
        return new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(options.chromedriver)).build(), chrome);
    }

    private static Visit visit(ChromeDriver browser, String url) throws InterruptedException {
        browser.get(url);
        JavascriptExecutor js = browser;
        long deadline = System.nanoTime() + PAGE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Object shown = js.executeScript("""
                    const mark = performance.getEntriesByName('page-shown')[0];
                    const failed = document.querySelector('main .error');
                    if (!mark && !failed) return null;
                    const navigation = performance.getEntriesByType('navigation')[0];
                    const resources = performance.getEntriesByType('resource');
                    return {
                      shown: mark ? mark.startTime : -1,
                      error: failed ? failed.textContent : null,
                      transferred: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
                      decoded: navigation.decodedBodySize + resources.reduce((sum, r) => sum + r.decodedBodySize, 0),
                      requests: 1 + resources.length
                    };
                    """);
            if (shown instanceof Map<?, ?> result) {
                return new Visit(((Number) result.get("shown")).doubleValue(),
                        ((Number) result.get("transferred")).longValue(), ((Number) result.get("decoded")).longValue(),
                        ((Number) result.get("requests")).intValue(), (String) result.get("error"));
            }
            Thread.sleep(20);
        }
        return new Visit(PAGE_TIMEOUT.toMillis(), 0, 0, 0, "not shown within " + PAGE_TIMEOUT.toSeconds() + " s");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(options.queryUrl + path))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new Fatal("the query service at " + options.queryUrl + " does not answer: " + e.getMessage());
        }
        if (response.statusCode() != 200) {
            throw new Fatal("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
