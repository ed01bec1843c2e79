package org.convergenceledger.benchmark;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Failures of one phase, by kind ("commit 409", "propose IOException"), with the first answer seen of each. */
final class Errors {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firstSeen = new ConcurrentHashMap<>();

    void record(String kind, String detail) {
        counts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        firstSeen.putIfAbsent(kind, abbreviate(detail));
    }

    /** Adds another phase's failures to these. */
    void addAll(Errors other) {
        other.counts.forEach((kind, n) -> counts.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(n.get()));
        other.firstSeen.forEach(firstSeen::putIfAbsent);
    }

    long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Kind → "count× first detail", sorted by kind. */
    Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        counts.forEach((kind, count) -> out.put(kind, count.get() + "× e.g. " + firstSeen.get(kind)));
        return out;
    }

    private static String abbreviate(String detail) {
        if (detail == null) {
            return "";
        }
        String flat = detail.replaceAll("\\s+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
