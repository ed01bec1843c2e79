package org.convergenceledger.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service run as local.sh runs it: its executable jar in a JVM of its own, configured through the environment
 * (secrets included, never on the command line), its output in a log file. It can be killed with SIGKILL, as a
 * crash or the OOM killer would, and started again on the same port.
 */
final class ServiceProcess {

    private final String name;
    private final Path jar;
    private final Map<String, String> environment;
    private final Path log;
    private final int port;
    private Process process;

    private ServiceProcess(String name, Path jar, Map<String, String> environment, Path log, int port) {
        this.name = name;
        this.jar = jar;
        this.environment = environment;
        this.log = log;
        this.port = port;
    }

    static ServiceProcess start(String name, Path jar, Map<String, String> environment, Path logDirectory) {
        ServiceProcess service = new ServiceProcess(name, jar, environment, logDirectory.resolve(name + ".log"),
                LedgerSystem.freePort());
        service.startAgain();
        return service;
    }

    /** The running JVM's process id (Axon names a token's owner by it: pid@host). */
    long pid() {
        return process.pid();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the JVM and waits until the service says UP. */
    void startAgain() {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: mvn package builds it");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return "UP".equals(Http.get(url() + "/actuator/health").json().path("status").asText());
            } catch (RuntimeException | AssertionError notYet) {
                return false;
            }
        });
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, connections drop mid-transaction. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, as local.sh stop does. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
