package org.convergenceledger.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node KRaft Kafka broker ({@code process.roles=broker,controller}) running in this JVM.
 *
 * <p>{@code dataDir} is the broker's {@code log.dirs} and metadata log directory; it is formatted on first start
 * only (when it has no {@code meta.properties}). Keep nothing else in it: Kafka treats every sub-directory as a
 * topic partition. The client listener binds 127.0.0.1:PORT and is advertised as {@code localhost:PORT}; the
 * controller listener has its own port (PORT+1 when PORT is fixed, another free port when it is 0).
 *
 * <p>Closed: every client logs in (SASL/SCRAM-SHA-256 on the client listener) and may do only what an ACL grants
 * it ({@link #upsertUser}, {@link #allow}; {@link LedgerBrokerAccess} grants the ledger's services). The broker's own
 * principal "broker" is the only super user; its password is made on first start and kept in
 * {@code <dataDir>.broker-password} (mode 0600).
 *
 * <p>Retention is unlimited ({@code log.retention.ms=-1}): the topics carry a ledger's events, which a local
 * stack must not drop after Kafka's default 7 days.
 */
public final class LocalKafka implements AutoCloseable {

    public static final int DEFAULT_PARTITIONS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    private static final int NODE_ID = 1;
    /** The broker's own principal, its only super user. */
    public static final String BROKER_USER = "broker";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int numPartitions;
    private final String brokerPassword;
    private KafkaRaftServer server;
    private boolean closed;

    private LocalKafka(Path dataDir, int port, int controllerPort, int numPartitions) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.numPartitions = numPartitions;
        this.brokerPassword = brokerPassword(dataDir);
    }

    /** Starts a broker on {@code port} (0: a free port) with {@value #DEFAULT_PARTITIONS} partitions per new topic. */
    public static LocalKafka start(Path dataDir, int port) {
        return start(dataDir, port, DEFAULT_PARTITIONS);
    }

    /** Starts a broker on {@code port} (0: a free port); auto-created topics get {@code numPartitions} partitions. */
    public static LocalKafka start(Path dataDir, int port, int numPartitions) {
        StackSupport.checkPort(port);
        if (port == 65535) {
            throw new IllegalArgumentException("the controller listens on port+1: choose a lower port than " + port);
        }
        if (numPartitions < 1) {
            throw new IllegalArgumentException("numPartitions must be at least 1: " + numPartitions);
        }
        int brokerPort = port == 0 ? StackSupport.freePort() : port;
        int controllerPort = port == 0 ? otherFreePort(brokerPort) : port + 1;
        LocalKafka kafka = new LocalKafka(dataDir.toAbsolutePath().normalize(), brokerPort, controllerPort, numPartitions);
        kafka.start();
        return kafka;
    }

    /** {@code localhost:PORT} */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    /** Starts the broker again, on the same ports with the same data. No-op when it runs. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (server != null) {
            return;
        }
        StackSupport.quietLoggers(StackSupport.QUIET_BROKER_LOGGERS);
        StackSupport.requireFree(port, "the Kafka broker");
        StackSupport.requireFree(controllerPort, "the Kafka controller");
        long t0 = System.nanoTime();
        Properties props = brokerProperties();
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        boolean formatted = formatIfNeeded(config);
        KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            raftServer.startup();
        } catch (RuntimeException | Error e) {
            shutdownQuietly(raftServer);
            throw new IllegalStateException("Kafka did not start on port " + port + " (data " + dataDir + ")", e);
        }
        server = raftServer;
        awaitReady();
        LOG.info("Kafka started on {} (controller port {}) in {} ms ({} storage {})", bootstrapServers(), controllerPort,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), formatted ? "new" : "reused", dataDir);
    }

    /** Shuts the broker down and waits for it; data and ports are kept for {@link #start()}. No-op when stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long t0 = System.nanoTime();
        KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
        LOG.info("Kafka on {} stopped in {} ms", bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Creates the topic with {@code partitions} partitions (replication factor 1) unless it exists. */
    public void createTopicIfMissing(String name, int partitions) {
        if (!isRunning()) {
            throw new IllegalStateException("Kafka is not running");
        }
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
                LOG.info("created topic {} with {} partitions", name, partitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + name, e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + name, e);
        }
    }

    /** Stops the broker for good. */
    @Override
    public synchronized void close() {
        stop();
        closed = true;
    }

    // ------------------------------------------------------------------------------------------------------------

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "CLIENT");
        // Nobody reaches the broker without logging in. Clients log in with SCRAM (credentials kept, salted, in the
        // cluster's metadata); the broker itself, to its controller and to itself, with PLAIN as the super user
        // "broker", whose password exists only in this configuration (and the file beside the data directory).
        p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-256,PLAIN");
        String brokerLogin = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + BROKER_USER + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\"" + brokerPassword
                + "\";";
        p.put("listener.name.controller.plain.sasl.jaas.config", brokerLogin);
        p.put("listener.name.client.plain.sasl.jaas.config", brokerLogin);
        p.put("listener.name.client.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        // What each principal may do is granted topic by topic (LedgerBrokerAccess); nothing is allowed otherwise.
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + BROKER_USER);
        p.put("allow.everyone.if.no.acl.found", "false");
        // Connections log in again every minute: a login deleted (an agency's, revoked) stops working within it.
        p.put("connections.max.reauth.ms", "60000");
        p.put("log.dirs", dataDir.toString());
        p.put("metadata.log.dir", dataDir.toString());
        p.put("num.partitions", Integer.toString(numPartitions));
        p.put("auto.create.topics.enable", "true");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.ms", "-1");
        // A 2-core box: fewer threads than the defaults (3 network, 8 io, 1 recovery per dir).
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "2");
        // Make a stop/start quick: no controlled-shutdown retries against ourselves.
        p.put("controlled.shutdown.enable", "true");
        p.put("controlled.shutdown.max.retries", "1");
        return p;
    }

    /** Formats the storage (what {@code kafka-storage.sh format} does) unless it holds a meta.properties. */
    private boolean formatIfNeeded(KafkaConfig config) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return false;
        }
        try {
            Files.createDirectories(dataDir);
            try (PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream())) {
                new Formatter()
                        .setPrintStream(quiet)
                        .setNodeId(NODE_ID)
                        .setClusterId(Uuid.randomUuid().toString())
                        .setControllerListenerName("CONTROLLER")
                        .setMetadataLogDirectory(config.metadataLogDir())
                        .setDirectories(List.of(dataDir.toString()))
                        .run();
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not format Kafka storage in " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not format Kafka storage in " + dataDir, e);
        }
    }

    /** startup() returns once the broker asked to be unfenced; wait until a client sees it. */
    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("Kafka on " + bootstrapServers() + " did not become ready", last);
    }

    /** An admin client logged in as the broker's super user. */
    public Admin admin() {
        Map<String, Object> config = new HashMap<>(superUserProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(config);
    }

    /** The client properties that log in as the broker's super user (for the stack's own setup, and tests). */
    public Map<String, Object> superUserProperties() {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
                        + "\" password=\"" + brokerPassword + "\";");
    }

    /** Creates or changes a SCRAM-SHA-256 login. */
    public void upsertUser(String user, String password) {
        call("set the login of " + user, admin -> admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                        password))).all());
    }

    /** Grants {@code principal} ("User:name") these operations on a resource (ACLs are idempotent). */
    public void allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation... operations) {
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
        call("grant " + principal + " " + List.of(operations) + " on " + type + " " + name,
                admin -> admin.createAcls(bindings).all());
    }

    private void call(String what, java.util.function.Function<Admin, org.apache.kafka.common.KafkaFuture<?>> call) {
        try (Admin admin = admin()) {
            call.apply(admin).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out: " + what, e);
        }
    }

    /** The super user's password: made once, kept beside the data directory, readable by its owner only. */
    private static String brokerPassword(Path dataDir) {
        Path file = dataDir.resolveSibling(dataDir.getFileName() + ".broker-password");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            String password = StackSupport.newPassword();
            StackSupport.writeOwnerOnly(file, password + "\n");
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the broker's password in " + file, e);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("while shutting down a broker that failed to start", e);
        }
    }

    private static int otherFreePort(int notThis) {
        for (int i = 0; i < 20; i++) {
            int p = StackSupport.freePort();
            if (p != notThis) {
                return p;
            }
        }
        throw new IllegalStateException("no second free port");
    }
}
