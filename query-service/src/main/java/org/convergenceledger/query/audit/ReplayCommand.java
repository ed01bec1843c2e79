package org.convergenceledger.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.zaxxer.hikari.HikariDataSource;
import org.convergenceledger.events.json.LedgerJson;
import org.convergenceledger.query.activity.ViewBuild;
import org.convergenceledger.query.projection.BulkTarget;
import org.convergenceledger.query.projection.EventStore;
import org.convergenceledger.query.projection.Moment;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.projection.ReadModel;
import org.convergenceledger.query.projection.Schemas;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auditor's independent replay, as a command: rebuilds the convergence projection straight from the event
 * store (read only; never from Kafka) into a fresh schema of a PostgreSQL database of the auditor's choosing, with
 * the very fold the live service runs (then COPY), and prints the projection's digest — the one
 * GET /api/audit/projection-digest gives for the live view. With --compare-with it fetches the live digest first,
 * replays up to the same position and says whether the two agree (exit 0) or not (exit 1).
 *
 * <pre>java -jar query-service-exec.jar replay --event-store=jdbc:postgresql://host/ledger_command [options]</pre>
 */
public final class ReplayCommand {

    static final String USAGE = """
            usage: java -jar query-service-exec.jar replay [options]
              --event-store=JDBC_URL        the ledger's event store, read only (default %s)
              --event-store-user=NAME       (default postgres; password in $LEDGER_EVENT_STORE_PASSWORD, default postgres)
              --into=JDBC_URL               a PostgreSQL database to build the fresh schema in (default %s)
              --into-user=NAME              (default postgres; password in $LEDGER_INTO_PASSWORD, default postgres)
              --schema=NAME                 the schema to create (default replay_<UTC time>); must not exist
              --up-to-sequence=N            replay the events up to global sequence N (default: all)
              --compare-with=URL            a query service: replay up to its live position and compare digests
                                            (an AUDITOR key in $LEDGER_AUDITOR_KEY)
              --keep                        keep the schema afterwards to examine the rebuilt tables
            """;
    static final String DEFAULT_EVENT_STORE = "jdbc:postgresql://localhost:15432/ledger_command";
    static final String DEFAULT_INTO = "jdbc:postgresql://localhost:15432/ledger_query";
    private static final List<String> FLAGS = List.of("event-store", "event-store-user", "into", "into-user", "schema",
            "up-to-sequence", "compare-with", "keep");
    /** Secrets come from the environment: a command line is visible to every user of the machine (ps). */
    private static final Map<String, String> SECRETS = Map.of("event-store-password", "LEDGER_EVENT_STORE_PASSWORD",
            "into-password", "LEDGER_INTO_PASSWORD", "key", "LEDGER_AUDITOR_KEY");

    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    private ReplayCommand(PrintStream out) {
        this.out = out;
    }

    /** Runs the command; returns the process exit code: 0 done (and equal), 1 digests differ, 2 could not run. */
    public static int run(String[] args) {
        // No Spring here to read the service's logging settings: the libraries' DEBUG chatter would bury the answer.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        ReplayCommand command = new ReplayCommand(System.out);
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException bad) {
            System.err.println(bad.getMessage());
            System.err.printf(USAGE, DEFAULT_EVENT_STORE, DEFAULT_INTO);
            return 2;
        }
        try {
            return command.replay(options);
        } catch (Exception failure) {
            System.err.println("replay failed: " + rootMessage(failure));
            return 2;
        }
    }

    private static String environment(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? otherwise : value;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String[] pair = arg.substring(2).split("=", 2);
            if (SECRETS.containsKey(pair[0])) {
                throw new IllegalArgumentException("--" + pair[0] + " is not taken on the command line, where every"
                        + " user of the machine can read it: set " + SECRETS.get(pair[0]) + " instead");
            }
            if (!FLAGS.contains(pair[0])) {
                throw new IllegalArgumentException("unknown option: --" + pair[0]);
            }
            if (pair.length == 1 && !pair[0].equals("keep")) {
                throw new IllegalArgumentException("--" + pair[0] + " needs a value (--" + pair[0] + "=...)");
            }
            options.put(pair[0], pair.length == 2 ? pair[1] : "true");
        }
        String schema = options.get("schema");
        if (schema != null && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("--schema must be a plain lower-case identifier: " + schema);
        }
        if (options.containsKey("up-to-sequence") && !options.get("up-to-sequence").matches("\\d{1,18}")) {
            throw new IllegalArgumentException("--up-to-sequence must be a non-negative number");
        }
        if (options.containsKey("up-to-sequence") && options.containsKey("compare-with")) {
            // Digests compare only at the same position, and --compare-with takes the live one's.
            throw new IllegalArgumentException("--compare-with replays up to the live position: leave out "
                    + "--up-to-sequence");
        }
        return options;
    }

    private int replay(Map<String, String> options) throws Exception {
        JsonNode live = null;
        if (options.containsKey("compare-with")) {
            live = exactLiveDigest(options.get("compare-with"),
                    System.getenv("LEDGER_AUDITOR_KEY"));
            out.printf("live projection digest %s up to global sequence %d (%s)%n", live.path("digest").asText(),
                    live.path("upToSequence").asLong(), options.get("compare-with"));
        }
        long upTo = live != null ? live.path("upToSequence").asLong()
                : options.containsKey("up-to-sequence") ? Long.parseLong(options.get("up-to-sequence"))
                : Long.MAX_VALUE;
        String schema = options.getOrDefault("schema", "replay_"
                + DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        String into = options.getOrDefault("into", DEFAULT_INTO);
        double jvmStart = (System.currentTimeMillis()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;

        long started = System.nanoTime();
        HikariDataSource target = new HikariDataSource();
        target.setJdbcUrl(into);
        target.setUsername(options.getOrDefault("into-user", "postgres"));
        target.setPassword(environment("LEDGER_INTO_PASSWORD", "postgres"));
        target.setMaximumPoolSize(3);
        target.setPoolName("replay-into");
        EventStore store = EventStore.connect(LedgerJson.newObjectMapper(),
                options.getOrDefault("event-store", DEFAULT_EVENT_STORE),
                options.getOrDefault("event-store-user", "postgres"),
                environment("LEDGER_EVENT_STORE_PASSWORD", "postgres"));
        ReadModel.Built built;
        ProjectionDigest.Digest digest;
        double buildSeconds;
        try {
            JdbcTemplate jdbc = new JdbcTemplate(target);
            if (Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)", Boolean.class, schema))) {
                throw new IllegalStateException("schema " + schema + " exists already: choose a new --schema");
            }
            Schemas.fresh(target, schema);
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(target));
            try {
                long buildStarted = System.nanoTime();
                built = ViewBuild.build(BulkTarget.inSchema(target, schema, 2), store,
                        EventStore.Selection.upTo(upTo), Moment.LIVE);
                buildSeconds = (System.nanoTime() - buildStarted) / 1e9;
                digest = transaction.execute(status -> {
                    jdbc.queryForObject("SELECT set_config('search_path', ?, true)", String.class,
                            Schemas.quoted(schema));
                    return ProjectionDigest.compute(jdbc, Projections.ACTIVITY_VIEW_TABLES);
                });
            } finally {
                if (!options.containsKey("keep")) {
                    jdbc.execute("DROP SCHEMA IF EXISTS " + Schemas.quoted(schema) + " CASCADE");
                }
            }
        } finally {
            store.destroy();
            target.close();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("replayed %d events from the event store into schema %s%s in %.1f s (build %.1f s: %.0f events/s;"
                        + " JVM start %.1f s before)%n", built.events(), schema,
                options.containsKey("keep") ? " (kept)" : " (dropped)", seconds, buildSeconds,
                built.events() / Math.max(buildSeconds, 1e-9), jvmStart);
        out.printf("rows %s%n", digest.rows());
        out.printf("time ms %s%n", built.millis());
        out.printf("projection digest %s up to global sequence %d%n", digest.digest(), built.lastSequence());
        boolean same = live != null && live.path("digest").asText().equals(digest.digest());
        if (live == null) {
            return 0;
        }
        out.println(same ? "MATCH: the live projection is exactly what the stored events imply"
                : "DIFFERENT: the live projection is not what the stored events up to that position imply");
        return same ? 0 : 1;
    }

    /** The live digest once it covers exactly a prefix of the log (no partition running ahead); 30 s at most. */
    private JsonNode exactLiveDigest(String baseUrl, String auditorKey) throws IOException, InterruptedException {
        if (auditorKey == null || auditorKey.isBlank()) {
            throw new IllegalArgumentException("--compare-with reads an audit endpoint: give an AUDITOR key in "
                    + "LEDGER_AUDITOR_KEY");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "")
                        + "/api/audit/projection-digest")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + auditorKey).GET().build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            JsonNode live = json.readTree(response.body());
            if (live.path("exact").asBoolean()) {
                return live;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the live projection kept events beyond its complete prefix for "
                        + "30 s; retry when it has caught up");
            }
            Thread.sleep(500);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
