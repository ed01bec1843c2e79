package org.convergenceledger.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convergenceledger.command.CommandServiceApplication;
import org.convergenceledger.query.QueryServiceApplication;
import org.convergenceledger.stack.LedgerBrokerAccess;
import org.convergenceledger.stack.LocalKafka;
import org.convergenceledger.stack.LocalPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole system, once per test JVM: one PostgreSQL (two databases), one KRaft broker, and both services started
 * from their real application classes with their real configuration, on free ports. Tests may stop and restart Kafka
 * or the query service; the next test finds them running again.
 */
final class LedgerSystem {

    private static LedgerSystem instance;
    static final int STREAM_READERS = 40;

    private LocalPostgres postgres;
    private final LocalKafka kafka;
    private ConfigurableApplicationContext commandService;
    private ConfigurableApplicationContext queryService;

    /** PostgreSQL's and Kafka's data for this run (over a GB): deleted at the end unless -Dledger.it.keep=true. */
    private final Path home;
    private final Path keysFile;
    private Path signingKeyFile;
    private Path previousSigningKeyFile;
    private final java.util.Map<String, String> kafkaLogins;
    private java.util.Map<String, String> keys;

    /** The command service keeps its port across restarts: the query service relays its proofs from it. */
    private final int commandPort = freePort();

    /** A port that was free a moment ago, for a service this run starts. */
    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LedgerSystem(Path home) {
        this.home = home;
        keysFile = home.resolve("keys.env");
        signingKeyFile = home.resolve("signing-key.pem");
        postgres = LocalPostgres.start(home.resolve("postgres"), 0);
        postgres.createDatabaseIfMissing("ledger_command");
        postgres.createDatabaseIfMissing("ledger_query");
        kafka = LocalKafka.start(home.resolve("kafka"), 0);
        // Closed as local.sh's broker is: topics made up front, a login and its rights for each service.
        kafkaLogins = LedgerBrokerAccess.passwords(home.resolve("kafka-logins.env"));
        LedgerBrokerAccess.grant(kafka, kafkaLogins, LocalKafka.DEFAULT_PARTITIONS);
        commandService = startCommandService();
        queryService = startQueryService();
    }

    static synchronized LedgerSystem get() {
        if (instance == null) {
            try {
                instance = new LedgerSystem(Files.createTempDirectory("ledger-it"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::shutdown, "ledger-it-shutdown"));
        }
        instance.ensureRunning();
        return instance;
    }

    Path signingKeyFile() {
        return signingKeyFile;
    }

    /**
     * Restarts the command service with another signing key, and the key that signed before it (null: none given);
     * from then on that key is this system's.
     */
    synchronized void restartCommandServiceWithKeys(Path key, Path previous) {
        commandService.close();
        signingKeyFile = key;
        previousSigningKeyFile = previous;
        commandService = startCommandService();
    }

    String commandUrl() {
        return "http://localhost:" + port(commandService);
    }

    String queryUrl() {
        return "http://localhost:" + port(queryService);
    }

    /** The initial API key of ADMIN, AUDITOR or an agency code, from the file the command service wrote. */
    String key(String holder) {
        return initial("KEY_", holder);
    }

    private synchronized String initial(String prefix, String holder) {
        if (keys == null) {
            try {
                keys = new java.util.HashMap<>();
                for (String line : Files.readAllLines(keysFile)) {
                    if (!line.startsWith("#") && line.contains("=")) {
                        keys.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no initial keys in " + keysFile, e);
            }
        }
        String key = keys.get(prefix + holder);
        if (key == null) {
            throw new IllegalArgumentException("no " + prefix + holder + " in " + keysFile);
        }
        return key;
    }

    JdbcTemplate commandDatabase() {
        return commandService.getBean(JdbcTemplate.class);
    }

    /** A bean of the running command service, for tests that must hold something it guards. */
    <T> T commandBean(Class<T> type) {
        return commandService.getBean(type);
    }

    /** A bean of the running command service by name, where several share its type. */
    <T> T commandBean(String name, Class<T> type) {
        return commandService.getBean(name, type);
    }

    JdbcTemplate queryDatabase() {
        return queryService.getBean(JdbcTemplate.class);
    }

    /** A bean of the running query service by name, for tests that read what it has (its request mappings, say). */
    <T> T queryBean(String name, Class<T> type) {
        return queryService.getBean(name, type);
    }

    LocalKafka kafka() {
        return kafka;
    }

    /** The SCRAM login of a principal, as Kafka clients take it (sasl.jaas.config). */
    static String scram(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Client properties that log in as an agency (its initial Kafka login, from the file the service wrote). */
    java.util.Map<String, Object> agencyLogin(String agency) {
        return java.util.Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
                "sasl.jaas.config", scram("agency-" + agency, initial("KAFKA_PASSWORD_", agency)));
    }

    /** A consumer that sees every topic (the broker's super user), in a group of its own, from each topic's start. */
    org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> kafkaConsumer() {
        java.util.Properties config = new java.util.Properties();
        config.putAll(kafka.superUserProperties());
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("group.id", "it-" + System.nanoTime());
        config.put("auto.offset.reset", "earliest");
        return new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    LocalPostgres postgres() {
        return postgres;
    }

    /** Stops PostgreSQL (fast shutdown: open connections are cut) and starts it again on its port and data. */
    synchronized void restartPostgres() {
        Path data = postgres.dataDirectory();
        int port = postgres.port();
        postgres.close();
        postgres = LocalPostgres.start(data, port);
    }

    /** The password of a service's broker login (LedgerBrokerAccess.COMMAND_SERVICE or QUERY_SERVICE). */
    String kafkaPassword(String principal) {
        return kafkaLogins.get(principal);
    }

    void stopCommandService() {
        commandService.close();
    }

    void startCommandServiceAgain() {
        commandService = startCommandService();
    }

    void restartQueryService() {
        queryService.close();
        queryService = startQueryService();
    }

    void stopQueryService() {
        queryService.close();
    }

    void startQueryServiceAgain() {
        queryService = startQueryService();
    }

    private void ensureRunning() {
        if (!kafka.isRunning()) {
            kafka.start();
        }
        if (!commandService.isActive()) {
            commandService = startCommandService();
        }
        if (!queryService.isActive()) {
            queryService = startQueryService();
        }
    }

    private ConfigurableApplicationContext startCommandService() {
        return new SpringApplicationBuilder(CommandServiceApplication.class)
                .properties(CommandServiceApplication.CONFIG_NAME)
                .run(arguments(
                        "--spring.datasource.url=" + postgres.jdbcUrl("ledger_command"),
                        "--spring.datasource.username=" + postgres.username(),
                        "--spring.datasource.password=" + postgres.password(),
                        "--ledger.publishing.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--axon.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--ledger.kafka.password=" + kafkaLogins.get(LedgerBrokerAccess.COMMAND_SERVICE),
                        // Short enough that the outage test sees publishing resume within seconds.
                        "--ledger.publishing.send-timeout=3s",
                        // The DESIGN.md scenario, loaded by the service's own loader as local.sh does.
                        "--ledger.scenario.load=true",
                        "--ledger.audit.checkpoint-interval=500ms",
                        // Outside the database, as local.sh keeps it (made on first start, mode 0600).
                        "--ledger.audit.signing-key-file=" + signingKeyFile,
                        "--ledger.audit.previous-signing-key-file="
                                + (previousSigningKeyFile == null ? "" : previousSigningKeyFile),
                        // The initial keys (admin, auditor, one per scenario agency), as local.sh has them issued.
                        "--ledger.access.initial-keys-file=" + keysFile,
                        "--server.port=" + commandPort));
    }

    private ConfigurableApplicationContext startQueryService() {
        return QueryServiceApplication.builder()
                .run(arguments(
                        "--spring.datasource.url=" + postgres.jdbcUrl("ledger_query"),
                        "--spring.datasource.username=" + postgres.username(),
                        "--spring.datasource.password=" + postgres.password(),
                        "--axon.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        // Few, so that ConvergenceIT can reach the limit.
                        "--ledger.query.stream.max-subscribers=" + STREAM_READERS,
                        // FreshnessIT waits for an agency's status change to be announced.
                        "--ledger.query.freshness.check-interval=1s",
                        "--axon.kafka.properties[sasl.jaas.config]=" + scram(LedgerBrokerAccess.QUERY_SERVICE,
                                kafkaLogins.get(LedgerBrokerAccess.QUERY_SERVICE)),
                        // The auditors' independent replay reads the event store directly.
                        "--ledger.audit.event-store.url=" + postgres.jdbcUrl("ledger_command"),
                        "--ledger.audit.event-store.username=" + postgres.username(),
                        "--ledger.audit.event-store.password=" + postgres.password(),
                        "--ledger.command-service-url=http://localhost:" + commandPort,
                        "--server.port=0"));
    }

    private static String[] arguments(String... specific) {
        List<String> arguments = new ArrayList<>(List.of(specific));
        arguments.add("--spring.main.banner-mode=off");
        return arguments.toArray(String[]::new);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private void shutdown() {
        if (queryService.isActive()) {
            queryService.close();
        }
        commandService.close();
        kafka.close();
        postgres.close();
        if (!Boolean.getBoolean("ledger.it.keep")) {
            try (var paths = Files.walk(home)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.err.println("could not delete " + home + ": " + e.getMessage());
            }
        }
    }
}
