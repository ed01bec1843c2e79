package org.convergenceledger.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 16 server (zonky's binaries from Maven Central, no system package), running as a child
 * process of this JVM.
 *
 * <p>Layout of {@code dataDir}: {@code pgdata/} is the cluster (created by initdb on first start only, reused
 * afterwards), {@code postgres.log} the server's own log (stdout/stderr of initdb, pg_ctl and the postmaster).
 *
 * <p>As root, zonky runs initdb/pg_ctl/postgres under {@code unshare -U} (a user namespace in which the process
 * is "nobody" without capabilities, while files keep the real owner): initdb's refusal to run as root is
 * side-stepped, and the data stays owned by root. That needs unprivileged user namespaces (not in a default
 * Docker container); {@link #start} says so when it fails. As a normal user the binaries run directly.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    private static final String USER = "postgres";
    /** The cluster is initialised with trust authentication on localhost: any password works. */
    private static final String PASSWORD = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final long LOG_ROTATE_BYTES = 16L * 1024 * 1024;
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private final EmbeddedPostgres postgres;
    private volatile boolean closed;

    private LocalPostgres(Path dataDir, Path logFile, int port, EmbeddedPostgres postgres) {
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.port = port;
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on {@code port} (0: a free port) with its data under {@code dataDir}. If {@code dataDir}
     * already holds a cluster it is reused: data survives stop/start. A postmaster orphaned on this data
     * directory by a JVM that died without stopping it is shut down first.
     */
    public static LocalPostgres start(Path dataDir, int port) {
        return start(dataDir, port, true);
    }

    /**
     * @param shutdownHook whether zonky registers a JVM shutdown hook stopping the server (a safety net for tests
     *                     that do not close it); {@link LocalStack} stops it itself, after Kafka.
     */
    static LocalPostgres start(Path dataDir, int port, boolean shutdownHook) {
        StackSupport.checkPort(port);
        StackSupport.quietLoggers(StackSupport.QUIET_POSTGRES_LOGGERS);
        long t0 = System.nanoTime();
        Path dir = dataDir.toAbsolutePath().normalize();
        Path pgData = dir.resolve("pgdata");
        Path log = dir.resolve("postgres.log");
        try {
            Files.createDirectories(dir);
            boolean reuse = Files.exists(pgData.resolve("PG_VERSION"));
            stopOrphanedPostmaster(pgData);
            int chosen = port == 0 ? StackSupport.freePort() : port;
            // Checked up front: with a taken port zonky would wait its whole startup timeout, or worse, find
            // another PostgreSQL answering on that port and take it for ours.
            StackSupport.requireFree(chosen, "PostgreSQL");
            rotate(log);

            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false) // initdb only if pgdata/postgresql.conf is missing; never delete
                    .setPort(chosen)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setRegisterShutdownHook(shutdownHook)
                    // initdb takes its locale from LANG/LC_*; an unset or uninstalled one makes it fail.
                    .setLocaleConfig("locale", "C")
                    .setOutputRedirector(Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(Redirect.appendTo(log.toFile()))
                    // zonky passes -F (fsync off) to the postmaster; a -c after it wins: keep data crash-safe.
                    .setServerConfig("fsync", "on")
                    // A ledger acknowledges a fact only once it is on disk: zonky's default (off) could lose the
                    // last acknowledged events in an OS crash, and would flatter the benchmarks' raw-insert limit.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200")
                    // Sized for a 2-core, 24 GiB machine holding a ledger of a few hundred thousand events: the
                    // read side's history fits in memory, sorts and hash aggregates of a convergence read stay in
                    // work_mem, a rebuild's index builds in maintenance_work_mem, and its bulk loads do not force
                    // checkpoints every few seconds.
                    .setServerConfig("shared_buffers", "1GB")
                    .setServerConfig("work_mem", "16MB")
                    .setServerConfig("maintenance_work_mem", "256MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("listen_addresses", "localhost")
                    // TCP only: no socket files left in /tmp, no clash between users or instances.
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("log_timezone", "UTC")
                    .setServerConfig("log_checkpoints", "off");
            Path binaries = binariesDirectory();
            if (binaries != null) {
                builder.setOverrideWorkingDirectory(binaries.toFile());
            }
            EmbeddedPostgres postgres;
            try {
                postgres = builder.start();
            } catch (IOException | RuntimeException | Error e) {
                throw new IllegalStateException("PostgreSQL did not start on port " + chosen + " (data " + pgData
                        + "). " + rootHint() + "Last lines of " + log + ":\n" + tail(log, 25), e);
            } finally {
                if (binaries != null) { // zonky made it writable for everybody: only ours
                    Files.setPosixFilePermissions(binaries, PosixFilePermissions.fromString("rwx------"));
                }
            }
            LocalPostgres started = new LocalPostgres(dir, log, chosen, postgres);
            LOG.info("PostgreSQL started on port {} in {} ms ({} cluster {}, log {})", chosen,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), reuse ? "reused" : "new", pgData, log);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + dir, e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://localhost:PORT/DATABASE} */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** The directory given to {@link #start} (holding {@code pgdata/} and {@code postgres.log}). */
    public Path dataDirectory() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Creates {@code database} (owned by {@link #username()}) unless it exists. */
    public void createDatabaseIfMissing(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl("postgres"));
        ds.setUser(USER);
        ds.setPassword(PASSWORD);
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE \"" + database + "\"");
                LOG.info("created database {}", database);
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created concurrently, fine
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + " on port " + port, e);
        }
    }

    /** Stops the server (pg_ctl stop -m fast) and keeps the data. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL on port " + port, e);
        }
        LOG.info("PostgreSQL on port {} stopped in {} ms", port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    // ------------------------------------------------------------------------------------------------------------

    /**
     * zonky unpacks its binaries into {@code java.io.tmpdir/embedded-pg}, shared by every user and made world
     * writable. Use a directory per user instead, and refuse one owned by someone else (root would otherwise run
     * binaries another user could have planted). {@code -Dot.epg.working-dir} still overrides, as in zonky.
     */
    private static Path binariesDirectory() throws IOException {
        if (System.getProperty("ot.epg.working-dir") != null) {
            return null;
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg-" + user).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
        String owner = Files.getOwner(dir).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(dir + " (PostgreSQL binaries) is owned by " + owner + ", not by "
                    + System.getProperty("user.name") + ": remove it or start the JVM with another -Djava.io.tmpdir");
        }
        return dir;
    }

    /**
     * A JVM killed without stopping PostgreSQL leaves its postmaster running on the data directory (pg_ctl
     * detaches it). Stop it (fast shutdown, SIGINT) before starting ours, unless a live LocalPostgres owns it.
     */
    private static void stopOrphanedPostmaster(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Path lockFile = pgData.resolve("epg-lock"); // zonky holds a FileLock on it while its server runs
        if (Files.exists(lockFile)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    throw new IllegalStateException("PostgreSQL data directory " + pgData
                            + " is in use by another running process (deploy/local.sh start?)");
                }
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("PostgreSQL data directory " + pgData + " is in use in this JVM", e);
            }
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            pid = -1;
        }
        Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        boolean isPostmaster = process.filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().command())
                .map(command -> Path.of(command).getFileName().toString().equals("postgres"))
                .orElse(false);
        if (!isPostmaster) {
            // Stale: nobody holds the lock and the pid is gone or reused by something else (a fresh container
            // reuses low pids). PostgreSQL would refuse to start if that pid is alive: remove the file.
            LOG.info("removing stale {} (pid {})", pidFile, pid);
            Files.deleteIfExists(pidFile);
            return;
        }
        LOG.warn("stopping PostgreSQL (pid {}) left running on {} by a previous run", pid, pgData);
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
            ProcessHandle handle = process.get();
            if (!waitForExit(handle, Duration.ofSeconds(30))) {
                handle.destroyForcibly();
                waitForExit(handle, Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping an orphaned postmaster", e);
        }
    }

    private static boolean waitForExit(ProcessHandle handle, Duration timeout) throws InterruptedException {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return !handle.isAlive();
        }
    }

    private static void rotate(Path log) throws IOException {
        if (Files.exists(log) && Files.size(log) > LOG_ROTATE_BYTES) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String rootHint() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "";
        }
        return "(Running as root: PostgreSQL is run through 'unshare -U', which needs user namespaces; check that "
                + "'unshare -U id -u' prints 65534, or run as a normal user.) ";
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
