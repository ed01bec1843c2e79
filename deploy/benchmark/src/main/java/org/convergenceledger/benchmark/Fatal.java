package org.convergenceledger.benchmark;

/** A failure that ends a benchmark run: printed as it is, exit status 1. */
final class Fatal extends Exception {
    Fatal(String message) {
        super(message);
    }
}
