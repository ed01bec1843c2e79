package org.convergenceledger.benchmark;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts by kind ("commit 409", "propose IOException", "429"…), each with the first detail seen of it. */
final class Tally {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firstSeen = new ConcurrentHashMap<>();

    void record(String kind, String detail) {
        counts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        String flat = detail == null ? "" : detail.replaceAll("\\s+", " ").strip();
        firstSeen.putIfAbsent(kind, flat.length() <= 300 ? flat : flat.substring(0, 300) + "…");
    }

    long count(String kind) {
        return counts.containsKey(kind) ? counts.get(kind).get() : 0;
    }

    long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** One indented line per kind, sorted: "kind: N× e.g. the first detail"; empty when there were none. */
    String describe() {
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(counts).forEach((kind, n) -> lines.append("    ").append(kind).append(": ").append(n.get())
                .append("× e.g. ").append(firstSeen.get(kind)).append('\n'));
        return lines.toString();
    }
}
