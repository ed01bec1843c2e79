package org.convergenceledger.benchmark;

import java.lang.management.ManagementFactory;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** What the programs print: numbers, the machine, tables for people and BENCHMARK lines for scripts. */
final class Report {

    /** A line for scripts (grep '^BENCHMARK ', split on spaces): key=value, NaN for what was not measured. */
    static final class Line {
        private final StringBuilder text;

        Line(String name, String run) {
            text = new StringBuilder("BENCHMARK name=").append(name).append(" run=").append(run);
        }

        Line kv(String key, Object value) {
            text.append(' ').append(key).append('=').append(value instanceof Double d ? num(d) : value);
            return this;
        }

        /** p50, p95, p99 and max as {@code <prefix>_p50_ms=…}, or {@code p50_ms=…} without a prefix. */
        Line latencies(String prefix, Latencies.Summary s) {
            String key = prefix.isEmpty() ? "" : prefix + "_";
            return kv(key + "p50_ms", s.p50()).kv(key + "p95_ms", s.p95()).kv(key + "p99_ms", s.p99())
                    .kv(key + "max_ms", s.max());
        }

        /** The value given for a key; "NaN" when there is none. */
        String value(String key) {
            int at = text.indexOf(" " + key + "=");
            int end = text.indexOf(" ", at + 1);
            return at < 0 ? "NaN" : text.substring(at + key.length() + 2, end < 0 ? text.length() : end);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** A run's BENCHMARK lines: each printed when its phase ends, then all again (and completed) in the results. */
    static final class Lines {
        private final List<Line> lines = new ArrayList<>();

        Line add(Line line) {
            System.out.println(line);
            lines.add(line);
            return line;
        }

        /** Prints the results: these lines of tables and verdicts, then every BENCHMARK line. */
        void print(List<String> summary) {
            System.out.println("\n== Results ==");
            summary.forEach(System.out::println);
            System.out.println();
            lines.forEach(System.out::println);
        }
    }

    /** A table for people: columns as wide as their widest cell, the first and last left-aligned, the others right. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... headings) {
            rows.add(headings);
        }

        Table row(Object... cells) {
            rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
            return this;
        }

        List<String> lines() {
            int[] widths = new int[rows.get(0).length];
            rows.forEach(row -> Arrays.setAll(widths, i -> Math.max(widths[i], i < row.length ? row[i].length() : 0)));
            List<String> lines = new ArrayList<>();
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    boolean left = i == 0 || i == row.length - 1;
                    line.append(i == 0 ? "" : " | ").append(String.format("%" + (left ? "-" : "") + widths[i] + "s",
                            row[i]));
                }
                lines.add(line.toString().stripTrailing());
                if (lines.size() == 1) {
                    lines.add("-".repeat(lines.get(0).length()));
                }
            }
            return lines;
        }
    }

    /** A run's tag, the middle part of its activity ids: r, date and time, three random characters. */
    static String runTag() {
        return "r" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    }

    static String machine() {
        Runtime runtime = Runtime.getRuntime();
        long memory = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : -1;
        return String.format(Locale.ROOT, "%d cores, %.1f GiB memory (this JVM: max heap %.1f GiB), %s %s, Java %s",
                runtime.availableProcessors(), memory / 1073741824.0, runtime.maxMemory() / 1073741824.0,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
    }

    static String num(double value) {
        return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.3f", value);
    }

    static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** A rate (events/s, rows/s) as a whole number with thousands separators; "-" when not measured. */
    static String rate(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String ratio(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
