package org.convergenceledger.benchmark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Latencies (ns) by kind ("propose", "commit"…) of one worker thread, merged after the phase; percentiles in ms. */
final class Latencies {

    /** Percentiles in ms; NaN when there was nothing to measure. */
    record Summary(int count, double p50, double p95, double p99, double max) {
    }

    private final Map<String, List<Long>> byKind = new LinkedHashMap<>();

    void add(String kind, long nanos) {
        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(nanos);
    }

    void add(long nanos) {
        add("", nanos);
    }

    static Latencies merge(Collection<Latencies> parts) {
        Latencies all = new Latencies();
        parts.forEach(part -> part.byKind.forEach((kind, values) -> all.byKind.computeIfAbsent(kind,
                k -> new ArrayList<>()).addAll(values)));
        return all;
    }

    /** The percentiles of these kinds together; none named: of every kind. */
    Summary summary(String... kinds) {
        long[] sorted = (kinds.length == 0 ? byKind.keySet().stream() : Arrays.stream(kinds))
                .filter(byKind::containsKey).flatMap(kind -> byKind.get(kind).stream()).mapToLong(Long::longValue)
                .sorted().toArray();
        return new Summary(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), rank(sorted, 100));
    }

    private static double rank(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, index)] / 1e6;
    }
}
