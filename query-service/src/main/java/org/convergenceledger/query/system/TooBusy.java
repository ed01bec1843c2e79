package org.convergenceledger.query.system;

import java.time.Duration;

/** A scan refused because as many run already as the service allows; answered 429 with Retry-After. */
public class TooBusy extends RuntimeException {

    private final Duration retryAfter;

    public TooBusy(String what, Duration retryAfter) {
        super(what + ": as many long reads run already as this service allows; retry in " + retryAfter.toSeconds()
                + " s");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
