package org.convergenceledger.query.system;

import java.time.Duration;

/**
 * A request refused because as many of its kind run already as the service allows (scans, stream readers);
 * answered 429 with Retry-After.
 */
public class TooBusy extends RuntimeException {

    private final Duration retryAfter;

    public TooBusy(String what, Duration retryAfter) {
        this(what + ": as many long reads run already as this service allows; retry in " + retryAfter.toSeconds()
                + " s", retryAfter, true);
    }

    private TooBusy(String message, Duration retryAfter, boolean unused) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** Refused for the reason given, in words. */
    public static TooBusy because(String reason, Duration retryAfter) {
        return new TooBusy(reason + "; retry in " + retryAfter.toSeconds() + " s", retryAfter, true);
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
