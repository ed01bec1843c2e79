package org.convergenceledger.command.system;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reads that go through the whole store — the verification, the export — run at most a few at a time. One that
 * cannot start within the wait is refused with 429 and Retry-After instead of queueing: on two cores a pile of them
 * would take the CPU and the connections the commands need.
 */
@Component
public class LongReads {

    /** A long read refused because as many run already as the service allows; answered 429 with Retry-After. */
    public static class TooBusy extends RuntimeException {

        private final Duration retryAfter;

        TooBusy(String what, Duration retryAfter) {
            super(what + ": as many long reads run already as this service allows; retry in "
                    + retryAfter.toSeconds() + " s");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** Held while a long read runs; released once, when it ends (a streamed export ends after the controller). */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore running;
    private final Duration wait;

    LongReads(@Value("${ledger.audit.long-reads:2}") int concurrent,
              @Value("${ledger.audit.long-read-wait:2s}") Duration wait) {
        this.running = new Semaphore(concurrent, true);
        this.wait = wait;
    }

    /** A permit to run one long read, or {@link TooBusy}. */
    public Permit admit(String what) {
        boolean admitted;
        try {
            admitted = running.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new TooBusy(what, Duration.ofSeconds(Math.max(1, wait.toSeconds() * 2)));
        }
        boolean[] released = {false};
        return () -> {
            synchronized (released) {
                if (!released[0]) {
                    released[0] = true;
                    running.release();
                }
            }
        };
    }

    public <T> T run(String what, Supplier<T> read) {
        try (Permit permit = admit(what)) {
            return read.get();
        }
    }
}
