package org.convergenceledger.query.system;

/** A read of something the ledger has never heard of; answered 404. */
public class NotFound extends RuntimeException {

    public NotFound(String what, String id) {
        super("No " + what + " with id '" + id + "'");
    }
}
