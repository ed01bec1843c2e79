package org.convergenceledger.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;

/**
 * The infrastructure as one process, for deploy/local.sh: PostgreSQL and a Kafka broker with their data under
 * {@code --data-dir} ({@code postgres/} and {@code kafka/}), the given databases created, the broker closed to all but
 * the ledger's services (their logins in {@code kafka-logins.env}, see {@link LedgerBrokerAccess}). Prints
 * {@code READY postgres=PORT kafka=localhost:PORT} to stdout and writes the same line to {@code --ready-file}
 * once everything accepts connections, then runs until SIGTERM/SIGINT, on which both are shut down cleanly.
 *
 * <pre>
 * --data-dir DIR          required
 * --postgres-port N       default 15432 (0: a free port)
 * --kafka-port N          default 19092 (0: a free port; the controller uses N+1)
 * --kafka-partitions N    partitions of auto-created topics, default 3
 * --databases a,b         default ledger_command,ledger_query
 * --ready-file FILE       optional
 * </pre>
 */
public final class LocalStack {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private LocalStack() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LocalStack: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        configureLogging();
        long t0 = System.nanoTime();
        List<AutoCloseable> started = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("shutting down");
            deleteQuietly(options.readyFile);
            shutdown(started);
            stopped.countDown();
        }, "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            deleteQuietly(options.readyFile);
            Files.createDirectories(options.dataDir);
            LocalPostgres postgres = LocalPostgres.start(options.dataDir.resolve("postgres"), options.postgresPort, false);
            synchronized (started) {
                started.add(postgres);
            }
            for (String db : options.databases) {
                postgres.createDatabaseIfMissing(db);
            }
            LocalKafka kafka = LocalKafka.start(options.dataDir.resolve("kafka"), options.kafkaPort, options.kafkaPartitions);
            synchronized (started) {
                started.add(kafka);
            }
            // The services' logins and what they may do; local.sh hands each service its own.
            LedgerBrokerAccess.grant(kafka, LedgerBrokerAccess.passwords(options.dataDir.resolve("kafka-logins.env")),
                    options.kafkaPartitions);
            String ready = "READY postgres=" + postgres.port() + " kafka=" + kafka.bootstrapServers();
            if (options.readyFile != null) {
                Path parent = options.readyFile.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Path tmp = Files.createTempFile(parent, ".ready", ".tmp");
                Files.writeString(tmp, ready + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, options.readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            LOG.info("stack ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            System.out.println(ready);
            System.out.flush();
        } catch (Throwable e) { // anything: report it and leave no server behind
            LOG.error("LocalStack failed to start: {}", e.getMessage(), e);
            System.err.println("LocalStack failed to start: " + e.getMessage());
            System.exit(1); // runs the hook, which stops what did start
            return;
        }
        try {
            stopped.await(); // until SIGTERM/SIGINT run the hook
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void shutdown(List<AutoCloseable> started) {
        List<AutoCloseable> copy;
        synchronized (started) {
            copy = new ArrayList<>(started);
            started.clear();
        }
        // Kafka first (it may still be flushing), PostgreSQL last.
        for (int i = copy.size() - 1; i >= 0; i--) {
            try {
                copy.get(i).close();
            } catch (Exception e) {
                LOG.error("while stopping {}", copy.get(i).getClass().getSimpleName(), e);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete {}", file, e);
            }
        }
    }

    /** Without a logback.xml logback logs everything at DEBUG: INFO for us, WARN for the broker. */
    private static void configureLogging() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context && System.getProperty("logback.configurationFile") == null) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
            context.getLogger("org.apache.kafka").setLevel(Level.WARN);
        }
        StackSupport.quietLoggers(StackSupport.QUIET_BROKER_LOGGERS);
    }

    static final class Options {
        static final String USAGE = "usage: LocalStack --data-dir DIR [--postgres-port 15432] [--kafka-port 19092] "
                + "[--kafka-partitions 3] [--databases ledger_command,ledger_query] [--ready-file FILE]";

        Path dataDir;
        int postgresPort = 15432;
        int kafkaPort = 19092;
        int kafkaPartitions = LocalKafka.DEFAULT_PARTITIONS;
        List<String> databases = List.of("ledger_command", "ledger_query");
        Path readyFile;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String name = arg;
                String value;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(arg.startsWith("--") ? "missing value for " + arg : "unexpected " + arg);
                }
                switch (name) {
                    case "--data-dir" -> o.dataDir = Path.of(value).toAbsolutePath().normalize();
                    case "--postgres-port" -> o.postgresPort = port(name, value);
                    case "--kafka-port" -> o.kafkaPort = port(name, value);
                    case "--kafka-partitions" -> o.kafkaPartitions = number(name, value);
                    case "--databases" -> o.databases = value.isBlank() ? List.of()
                            : List.of(value.trim().split("\\s*,\\s*"));
                    case "--ready-file" -> o.readyFile = Path.of(value).toAbsolutePath().normalize();
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (o.dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            return o;
        }

        private static int port(String name, String value) {
            int p = number(name, value);
            if (p > 65534) {
                throw new IllegalArgumentException(name + " must be a port below 65535: " + value);
            }
            return p;
        }

        private static int number(String name, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a non-negative number: " + value);
            }
        }
    }
}
