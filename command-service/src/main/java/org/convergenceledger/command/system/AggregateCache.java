package org.convergenceledger.command.system;

import java.util.Map;
import java.util.Set;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * The activities most recently used, kept in memory so a command does not read its activity's stream again: Axon's
 * caching repository puts an aggregate here when its unit of work saves it and removes it when that unit of work
 * rolls back. A batch whose commit fails empties the cache (its units of work had ended at their savepoints). At
 * most {@code capacity} activities; the least recently used goes first.
 *
 * <p>The activities a batch saved are announced to the other instances once it commits ({@link AppendAnnouncer}).
 * Another instance of the service may append to a cached activity: it is forgotten when that is announced
 * ({@link OtherInstances}). A command that ran in between, on the remembered state, is told apart: the cache notes
 * when it served the thread's current attempt, and {@link GroupCommit} runs a command that failed on remembered
 * state once more (its unit of work's rollback has removed the entry, so the second attempt reads the store).
 */
public class AggregateCache implements Cache, GroupCommit.Listener, OtherInstances.Memory {

    private final Map<Object, Object> entries;
    private final ThreadLocal<Boolean> servedThisAttempt = new ThreadLocal<>();
    /** On a group-commit lane's thread: the activities its current batch saved, announced once it commits. */
    private final ThreadLocal<Set<String>> savedThisBatch = new ThreadLocal<>();
    /** On a lane's thread: the activities its current attempt saved, forgotten if the attempt's savepoint fails. */
    private final ThreadLocal<Set<Object>> savedThisAttempt = new ThreadLocal<>();
    private final AppendAnnouncer announcer;

    public AggregateCache(int capacity, AppendAnnouncer announcer) {
        this.entries = LeastRecentlyUsed.map(capacity);
        this.announcer = announcer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        V entry = (V) entries.get(key);
        if (entry != null) {
            servedThisAttempt.set(Boolean.TRUE);
        }
        return entry;
    }

    /** A command's attempt starts on this (lane's) thread: nothing served it from memory yet. */
    void attemptStarts() {
        servedThisAttempt.remove();
        if (savedThisBatch.get() == null) {
            savedThisBatch.set(new java.util.HashSet<>());
            savedThisAttempt.set(new java.util.HashSet<>());
        }
        savedThisAttempt.get().clear();
    }

    /**
     * The attempt failed after its unit of work had saved (and cached) an activity — the command's answer could
     * not be stored, say — and its savepoint undid the events: the cached state is one the store does not hold.
     */
    synchronized void attemptRolledBack() {
        Set<Object> saved = savedThisAttempt.get();
        if (saved != null) {
            saved.forEach(entries::remove);
            saved.clear();
        }
    }

    /** Whether this thread's current attempt used a remembered activity. */
    boolean servedThisAttempt() {
        return Boolean.TRUE.equals(servedThisAttempt.get());
    }

    @Override
    public synchronized void put(Object key, Object value) {
        entries.put(key, value);
        Set<String> saved = savedThisBatch.get();
        if (saved != null) {
            saved.add(key.toString());
            savedThisAttempt.get().add(key);
        }
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
        forgetSaved();
    }

    /** The batch's activities are stored: the other instances are told (AppendAnnouncer). */
    @Override
    public void batchCommitted() {
        Set<String> saved = savedThisBatch.get();
        if (saved != null && !saved.isEmpty()) {
            announcer.committed(saved);
            saved.clear();
        }
    }

    private void forgetSaved() {
        Set<String> saved = savedThisBatch.get();
        if (saved != null) {
            saved.clear();
        }
    }

    @Override
    public synchronized void appendedElsewhere(String aggregateType, Set<String> aggregateIds) {
        aggregateIds.forEach(entries::remove);
    }

    @Override
    public void forgetAll() {
        removeAll();
    }
}
