package org.convergenceledger.benchmark;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.stream.Collectors;

/** Formatting shared by the benchmark programs: the machine line, numbers, key=value lines, error lists. */
final class Report {

    private Report() {
    }

    /** A run's tag, the middle part of its activity ids: r, date and time, three random characters. */
    static String newRunTag() {
        return "r" + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern(
                "yyyyMMdd-HHmmss")) + "-" + Integer.toString(
                java.util.concurrent.ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    }

    /** Appends p50, p95, p99 and max of a latency summary as {@code <prefix>_p50_ms=…} (no prefix: p50_ms=…). */
    static void latencies(StringBuilder b, String prefix, Latencies.Summary s) {
        String key = prefix.isEmpty() ? "" : prefix + "_";
        kv(b, key + "p50_ms", num(s.p50()));
        kv(b, key + "p95_ms", num(s.p95()));
        kv(b, key + "p99_ms", num(s.p99()));
        kv(b, key + "max_ms", num(s.max()));
    }

    static String machine() {
        Runtime runtime = Runtime.getRuntime();
        String memory = "memory unknown";
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = gib(os.getTotalMemorySize()) + " memory";
        }
        return String.format(Locale.ROOT, "%d cores, %s (this JVM: max heap %s), %s %s (%s), Java %s (%s)",
                runtime.availableProcessors(), memory, gib(runtime.maxMemory()), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"), System.getProperty("java.version"),
                System.getProperty("java.vendor"));
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    /** Appends " key=value" to a machine-parsable BENCHMARK line. */
    static void kv(StringBuilder b, String key, Object value) {
        b.append(' ').append(key).append('=').append(value);
    }

    static String num(double value) {
        return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** A rate (events/s, rows/s) as a whole number with thousands separators; "-" when not measured. */
    static String rate(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    static String triple(Latencies.Summary s) {
        return ms(s.p50()) + " / " + ms(s.p95()) + " / " + ms(s.p99());
    }

    static String describe(Errors errors) {
        return errors.describe().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    static String indent(String text) {
        return text.lines().map(line -> "    " + line).collect(Collectors.joining("\n"));
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.lines().findFirst().orElse("");
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
