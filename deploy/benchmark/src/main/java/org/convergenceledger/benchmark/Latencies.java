package org.convergenceledger.benchmark;

import java.util.Arrays;
import java.util.Collection;

/** Latencies in nanoseconds, appended by one thread, merged after the phase; percentiles by nearest rank. */
final class Latencies {

    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    static Latencies merge(Collection<Latencies> parts) {
        Latencies all = new Latencies();
        int total = parts.stream().mapToInt(Latencies::size).sum();
        all.values = new long[Math.max(total, 1)];
        for (Latencies part : parts) {
            System.arraycopy(part.values, 0, all.values, all.size, part.size);
            all.size += part.size;
        }
        return all;
    }

    static Latencies merge(Latencies a, Latencies b) {
        return merge(java.util.List.of(a, b));
    }

    Summary summary() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return new Summary(size, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                size == 0 ? Double.NaN : sorted[size - 1] / 1e6);
    }

    private static double rank(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }

    /** Percentiles in milliseconds; NaN when there was nothing to measure. */
    record Summary(int count, double p50, double p95, double p99, double max) {
    }
}
