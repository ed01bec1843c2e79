package org.convergenceledger.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;

/** Small helpers shared by {@link LocalPostgres}, {@link LocalKafka} and {@link LocalStack}. */
final class StackSupport {

    /**
     * Server-side Kafka loggers that are chatty at INFO. The client loggers ({@code org.apache.kafka.clients},
     * but for the admin client's config dump) are left alone: they belong to whoever uses the broker.
     */
    static final List<String> QUIET_BROKER_LOGGERS = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka.server",
            "org.apache.kafka.raft",
            "org.apache.kafka.controller",
            "org.apache.kafka.metadata",
            "org.apache.kafka.image",
            "org.apache.kafka.queue",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.storage",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.security",
            "org.apache.kafka.common.metrics",
            "org.apache.kafka.common.network",
            "org.apache.kafka.common.utils.AppInfoParser",
            // LocalKafka's own readiness/topic admin clients print their whole config at INFO each time
            "org.apache.kafka.clients.admin.AdminClientConfig",
            "org.apache.zookeeper");

    /** zonky logs each initdb/start/stop step at INFO; LocalPostgres logs one line per start and stop instead. */
    static final List<String> QUIET_POSTGRES_LOGGERS = List.of("io.zonky.test.db.postgres");

    private StackSupport() {
    }

    /**
     * Sets these loggers to WARN (unless a level is configured for them), programmatically, when logback is the slf4j binding. Done this way rather
     * than with a logback.xml in this jar, which would be picked up by every test classpath this jar lands on.
     * A logging system that resets logback afterwards (Spring Boot does, at context start) undoes it: there use
     * {@code logging.level.kafka=WARN} etc.
     */
    static void quietLoggers(List<String> names) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        for (String name : names) {
            ch.qos.logback.classic.Logger logger = context.getLogger(name);
            if (logger.getLevel() == null) { // a level configured explicitly (logback-test.xml) wins
                logger.setLevel(Level.WARN);
            }
        }
    }

    /** A port that was free a moment ago, on the loopback interface. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port", e);
        }
    }

    /**
     * Fails clearly when something already listens on {@code port} (on any address, IPv4 or IPv6). Binding the
     * wildcard address conflicts with a listener on any address; SO_REUSEADDR (Java's default on Linux) lets
     * sockets in TIME_WAIT from our own previous run pass.
     */
    static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " for " + what + " is already in use by another process ("
                    + e.getMessage() + "). Stop it or choose another port.", e);
        }
    }

    /** 192 random bits, in hex: a password the stack makes for itself. */
    static String newPassword() {
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.HexFormat.of().formatHex(random);
    }

    /** Writes a new file readable by its owner only (0600): the stack's passwords. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, content);
    }

    static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }
}
