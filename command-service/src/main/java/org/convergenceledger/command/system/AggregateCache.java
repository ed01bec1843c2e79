package org.convergenceledger.command.system;

import java.util.Map;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * The activities most recently used, kept in memory so a command does not read its activity's stream again: Axon's
 * caching repository puts an aggregate here when its unit of work saves it and removes it when that unit of work
 * rolls back. A batch whose commit fails empties the cache (its units of work had ended at their savepoints). At
 * most {@code capacity} activities; the least recently used goes first. One command service owns the store (the
 * deployment runs one): a second writer would make cached activities stale, and its appends would then conflict.
 */
public class AggregateCache implements Cache, GroupCommit.Listener {

    private final Map<Object, Object> entries;

    public AggregateCache(int capacity) {
        this.entries = LeastRecentlyUsed.map(capacity);
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public synchronized void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public synchronized boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    public synchronized boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public synchronized void removeAll() {
        entries.clear();
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <V> void computeIfPresent(Object key, java.util.function.UnaryOperator<V> update) {
        entries.computeIfPresent(key, (k, value) -> update.apply((V) value));
    }

    /** Entries leave only by size or removal here, and nothing listens for that. */
    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return () -> true;
    }

    public synchronized int size() {
        return entries.size();
    }

    @Override
    public void batchRolledBack() {
        removeAll();
    }
}
