package org.convergenceledger.command.system;

/** Something the request names does not exist in the ledger. Answered with 404. */
public class NotFound extends RuntimeException {

    private final String kind;
    private final String id;

    public NotFound(String kind, String id, String message) {
        super(message);
        this.kind = kind;
        this.id = id;
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }
}
