package org.convergenceledger.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The auditors' independent replay as they run it: {@code java -jar query-service-exec.jar replay …} in its own
 * JVM, its output read and parsed — the line {@code replayed N events … in T s (build B s: R events/s; JVM start J s
 * before)}, the digests and MATCH or DIFFERENT.
 */
final class ReplayRun {

    private static final Pattern REPLAYED = Pattern.compile("replayed (\\d+) events .* in ([0-9.]+) s \\(build "
            + "([0-9.]+) s: ([0-9.]+) events/s; JVM start ([0-9.]+) s before\\)");
    private static final Pattern LIVE_DIGEST = Pattern.compile("live projection digest (\\S+) up to global sequence "
            + "(\\d+)");
    private static final Pattern DIGEST = Pattern.compile("^projection digest (\\S+) up to global sequence (\\d+)");

    /**
     * {@code events}, the seconds and the rate are from the command's own line (NaN / -1 when it printed none);
     * {@code match}: null when it printed neither MATCH nor DIFFERENT.
     */
    record Result(int exitCode, double wallSeconds, long events, double totalSeconds, double buildSeconds,
                  double eventsPerSecond, double jvmStartSeconds, String liveDigest, String digest, Boolean match,
                  List<String> output) {
        boolean parsed() {
            return events >= 0;
        }
    }

    /** A log line of the command's default console format at INFO or DEBUG: "17:45:22.672 [main] INFO …". */
    private static final Pattern INFO_LOG = Pattern.compile(
            "^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\[[^]]*] (INFO|DEBUG|TRACE) ");

    private ReplayRun() {
    }

    static boolean isInfoLog(String line) {
        return INFO_LOG.matcher(line).find();
    }

    /** The java launcher of this JVM: the replay runs on the same JDK. */
    static String java() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : "java";
    }

    /**
     * @param arguments the command's options after {@code replay}
     * @param secrets   passwords and keys, handed over in the environment (the command refuses them as options)
     * @param onLine    given each output line as it arrives (stdout and stderr together)
     */
    static Result run(String jar, List<String> arguments, java.util.Map<String, String> secrets, int timeoutSeconds,
                      Consumer<String> onLine) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-Duser.language=en", "-Duser.country=US", "-jar",
                jar, "replay"));
        command.addAll(arguments);
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(secrets);
        Process process = builder.start();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    onLine.accept(line);
                }
            } catch (IOException e) {
                onLine.accept("(reading the replay's output failed: " + e + ")");
            }
        }, "replay-output");
        reader.setDaemon(true);
        reader.start();
        int exit;
        if (process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            exit = process.exitValue();
        } else {
            process.destroyForcibly().waitFor();
            exit = -1;
            onLine.accept("(the replay did not end within " + timeoutSeconds + " s: stopped)");
        }
        double wall = (System.nanoTime() - start) / 1e9;
        reader.join(TimeUnit.SECONDS.toMillis(5));
        List<String> lines;
        synchronized (output) {
            lines = List.copyOf(output);
        }
        return parse(exit, wall, lines);
    }

    static Result parse(int exit, double wall, List<String> lines) {
        long events = -1;
        double total = Double.NaN;
        double build = Double.NaN;
        double rate = Double.NaN;
        double jvm = Double.NaN;
        String live = null;
        String digest = null;
        Boolean match = null;
        for (String line : lines) {
            Matcher m = REPLAYED.matcher(line);
            if (m.find()) {
                events = Long.parseLong(m.group(1));
                total = Double.parseDouble(m.group(2));
                build = Double.parseDouble(m.group(3));
                rate = Double.parseDouble(m.group(4));
                jvm = Double.parseDouble(m.group(5));
            }
            m = LIVE_DIGEST.matcher(line);
            if (m.find()) {
                live = m.group(1);
            } else if ((m = DIGEST.matcher(line)).find()) {
                digest = m.group(1);
            }
            if (line.startsWith("MATCH")) {
                match = true;
            } else if (line.startsWith("DIFFERENT")) {
                match = false;
            }
        }
        return new Result(exit, wall, events, total, build, rate, jvm, live, digest, match, lines);
    }
}
