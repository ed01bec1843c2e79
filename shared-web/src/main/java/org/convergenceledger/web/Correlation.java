package org.convergenceledger.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The correlation id of the request or Kafka command being handled: in the logging MDC (key correlationId) while it
 * is handled, stored in the metadata of the events it causes, and published with them as a Kafka header, so one id
 * finds the request's, the command's and the projection's log lines (docs/observability.md).
 */
public final class Correlation {

    /** The MDC key, as the events' metadata names it (LedgerMetadata.CORRELATION_ID). */
    public static final String MDC_KEY = "correlationId";
    public static final String HTTP_HEADER = "X-Correlation-Id";
    /** The Kafka header, on commands and on ledger.events (LedgerMetadata.HEADER_CORRELATION_ID). */
    public static final String KAFKA_HEADER = "ledger-correlation-id";
    // What a sender may choose: enough for a UUID, a W3C trace id or a ticket number; nothing that breaks a log line.
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private Correlation() {
    }

    /** The sender's id when it is a plain token, else a new one: tracing never refuses a request. */
    public static String accepted(String presented) {
        String id = presented == null ? null : presented.strip();
        return id != null && ACCEPTED.matcher(id).matches() ? id : newId();
    }

    /** The id of what this thread handles, or a new one (a command the service sends itself, such as the scenario). */
    public static String currentOrNew() {
        String current = MDC.get(MDC_KEY);
        return current != null ? current : newId();
    }

    // A random (version 4) UUID from the thread's own generator: unique is all it must be, and SecureRandom, which
    // UUID.randomUUID() uses, is one lock shared by every request thread.
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong() & ~0xF000L | 0x4000L,
                random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L).toString();
    }

    /** Puts the id in the MDC until the scope is closed, then puts back what was there. */
    public static Scope open(String id) {
        String before = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        return () -> {
            if (before == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, before);
            }
        };
    }

    /** The work run under this id, on whichever thread runs it (a group-commit lane). */
    public static <T> Supplier<T> carried(String id, Supplier<T> work) {
        return () -> {
            try (Scope scope = open(id)) {
                return work.get();
            }
        };
    }

    /** An MDC entry's lifetime; closing it throws nothing. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
