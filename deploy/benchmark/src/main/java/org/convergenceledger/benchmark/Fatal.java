package org.convergenceledger.benchmark;

/** What ends a run because the system is unreachable or broken: printed as it is, exit status 1. */
final class Fatal extends Exception {
    Fatal(String message) {
        super(message);
    }
}
