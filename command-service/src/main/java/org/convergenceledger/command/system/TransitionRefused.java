package org.convergenceledger.command.system;

/** A command the current state of its target does not allow. Answered with 409 and that state. */
public class TransitionRefused extends RuntimeException {

    private final String code;
    private final String currentState;

    public TransitionRefused(String code, String currentState, String message) {
        super(message);
        this.code = code;
        this.currentState = currentState;
    }

    public String code() {
        return code;
    }

    public String currentState() {
        return currentState;
    }
}
