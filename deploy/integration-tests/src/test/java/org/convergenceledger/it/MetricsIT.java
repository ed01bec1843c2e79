package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scrape both services offer an ADMIN key (/actuator/prometheus), what moves in it when a command is sent, and the
 * Grafana dashboard in deploy/grafana: every metric its queries name is in one of the two scrapes.
 */
class MetricsIT extends OnTheLedger {

    static final Path DASHBOARD = Path.of("..", "grafana", "convergence-ledger.json");

    @Test
    void theScrapeIsForAdministratorsOnly() {
        for (String service : List.of(system.commandUrl(), system.queryUrl())) {
            assertThat(Http.as(system.key("ANAPEC")).get(service + "/actuator/prometheus").status()).isEqualTo(403);
            assertThat(Http.as(system.key("AUDITOR")).get(service + "/actuator/prometheus").status()).isEqualTo(403);
            assertThat(Http.get(service + "/actuator/prometheus").status()).isEqualTo(401);
            Http.Response scrape = Ledger.admin(system).get(service + "/actuator/prometheus");
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.header("Content-Type")).startsWith("text/plain");
        }
    }

    @Test
    void aCommandMovesTheCounterOfItsTypeAndOutcome() {
        String activityId = Ledger.newActivityId("ANAPEC", "METRICS");
        String accepted = "ledger_commands_total{application=\"command-service\",code=\"none\",outcome=\"accepted\","
                + "type=\"ProposeActivity\"}";
        double before = commandScrape().getOrDefault(accepted, 0.0);
        assertThat(Ledger.propose(system, activityId, "ANAPEC").status()).isEqualTo(201);
        assertThat(commandScrape().get(accepted)).isEqualTo(before + 1);

        Http.Response again = Ledger.propose(system, activityId, "ANAPEC");
        assertThat(again.status()).isEqualTo(409);
        String code = again.json().path("code").asText();
        String refused = "ledger_commands_total{application=\"command-service\",code=\"" + code
                + "\",outcome=\"refused\",type=\"ProposeActivity\"}";
        assertThat(commandScrape().get(refused)).as(refused).isNotNull().isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aRefusedKafkaCommandCountsAsRejectedAndDeadLettered() throws Exception {
        String deadLetters = "ledger_ingestion_dead_letters_total{application=\"command-service\"}";
        String accepted = "ledger_ingestion_messages_total{application=\"command-service\",code=\"none\","
                + "outcome=\"accepted\"}";
        Map<String, Double> before = commandScrape();
        String activityId = Ledger.newActivityId("ANAPEC", "METRICS");
        JsonNode refused = AgencyTopics.sendAndAwaitOutcome(system, "ANAPEC", activityId, "ProposeActivity",
                Map.of("activityId", activityId));
        assertThat(refused.path("status").asText()).isEqualTo("REJECTED");
        String rejected = "ledger_ingestion_messages_total{application=\"command-service\",code=\""
                + refused.path("problem").path("code").asText() + "\",outcome=\"rejected\"}";
        JsonNode taken = AgencyTopics.sendAndAwaitOutcome(system, "ANAPEC", activityId, "ProposeActivity",
                Ledger.proposal(activityId, "ANAPEC"));
        assertThat(taken.path("status").asText()).isEqualTo("ACCEPTED");
        // Counted once the offsets are committed, just after the outcomes are on the results topic.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Double> after = commandScrape();
            assertThat(after.get(deadLetters)).isEqualTo(before.get(deadLetters) + 1);
            assertThat(after.get(rejected)).isEqualTo(before.getOrDefault(rejected, 0.0) + 1);
            assertThat(after.get(accepted)).isEqualTo(before.get(accepted) + 1);
        });
    }

    @Test
    void theLedgerGaugesFollowTheStore() {
        String activityId = Ledger.newActivityId("ANAPEC", "METRICS");
        assertThat(Ledger.propose(system, activityId, "ANAPEC").status()).isEqualTo(201);
        Ledger.awaitSettled(system, activityId);
        long stored = system.commandDatabase().queryForObject(
                "SELECT globalindex FROM domainevententry WHERE aggregateidentifier = ?", Long.class, activityId);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Double> command = commandScrape();
            assertThat(command.get("ledger_store_head{application=\"command-service\"}"))
                    .isGreaterThanOrEqualTo(stored);
            assertThat(command.get("ledger_published_position{application=\"command-service\"}"))
                    .isGreaterThanOrEqualTo(stored);
            assertThat(command.get("ledger_sealed_tree_size{application=\"command-service\"}")).isPositive();
            Map<String, Double> query = scrape(system.queryUrl());
            for (String projection : List.of("activity-view", "audit-history")) {
                String tags = "{application=\"query-service\",projection=\"" + projection + "\"}";
                assertThat(query.get("ledger_projection_position" + tags)).isGreaterThanOrEqualTo(stored);
                assertThat(query.get("ledger_projection_lag" + tags)).isNotNull().isNotNaN();
                assertThat(query.get("ledger_projection_in_error" + tags)).isEqualTo(0.0);
            }
        });
    }

    @Test
    void everyMetricTheDashboardQueriesIsScraped() throws Exception {
        // Series that appear once something happened (a first command of a type) are made to appear first.
        assertThat(Ledger.propose(system, Ledger.newActivityId("ANAPEC", "METRICS"), "ANAPEC").status())
                .isEqualTo(201);
        Set<String> scraped = new TreeSet<>();
        for (String service : List.of(system.commandUrl(), system.queryUrl())) {
            scrape(service).keySet().forEach(series -> scraped.add(series.replaceAll("\\{.*", "")));
        }
        JsonNode dashboard = Http.JSON.readTree(Files.readString(DASHBOARD));
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(expr -> expressions.add(expr.asText()));
        assertThat(expressions).hasSizeGreaterThan(10);
        Set<String> named = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String expression : expressions) {
            for (String metric : metricNames(expression)) {
                named.add(metric);
                if (!scraped.contains(metric)) {
                    missing.add(metric + " (in " + expression + ")");
                }
            }
        }
        assertThat(named).as("metrics named by the dashboard").hasSizeGreaterThan(10);
        assertThat(missing).as("dashboard metrics absent from both scrapes; scraped: %s", scraped).isEmpty();
    }

    @Test
    void theExtractorFindsMetricNamesOnly() {
        assertThat(metricNames("sum by (type, outcome) (rate(ledger_commands_total{outcome!=\"accepted\"}"
                + "[$__rate_interval]))")).containsExactly("ledger_commands_total");
        assertThat(metricNames("max(ledger_store_head) - ignoring(projection) group_right "
                + "ledger_projection_position offset 5m")).containsExactly("ledger_store_head",
                "ledger_projection_position");
        assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket[5m]))) > bool 1e3"))
                .containsExactly("x_seconds_bucket");
        assertThat(metricNames("rate(http_server_requests_seconds_sum[1m]) / on (uri) "
                + "rate(http_server_requests_seconds_count[1m])"))
                .containsExactly("http_server_requests_seconds_sum", "http_server_requests_seconds_count");
        assertThat(metricNames("{__name__=~\"ledger_.*\"}")).isEmpty();
    }

    private static final Pattern STRINGS = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.$])[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan", "Inf", "NaN");

    /**
     * The metric names a PromQL expression selects: identifiers outside strings, label matchers ({…}), ranges ([…])
     * and grouping clauses (by (…), on (…)), that are neither keywords nor functions (an identifier followed by
     * "("). A name ending in _bucket, _sum, _count or _total is the series name Prometheus stores, and the scrape
     * lists those names: they are matched as they are.
     */
    static Set<String> metricNames(String expression) {
        String text = STRINGS.matcher(expression).replaceAll("\"\"");
        text = text.replaceAll("\\{[^}]*\\}", " ").replaceAll("\\[[^\\]]*\\]", " ");
        text = GROUPING.matcher(text).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String name = identifier.group();
            String rest = text.substring(identifier.end()).stripLeading();
            // A duration (5m after offset) or a number (1e3) starts with a digit: the pattern never takes its letters.
            if (!rest.startsWith("(") && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static Map<String, Double> commandScrape() {
        return scrape(system.commandUrl());
    }

    /** Each series of the exposition text (name and labels, as written) with its value. */
    static Map<String, Double> scrape(String service) {
        Http.Response scrape = Ledger.admin(system).get(service + "/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        Map<String, Double> series = new HashMap<>();
        for (String line : scrape.raw().body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.lastIndexOf(' ');
            series.put(line.substring(0, end), Double.parseDouble(line.substring(end + 1)));
        }
        return series;
    }
}
