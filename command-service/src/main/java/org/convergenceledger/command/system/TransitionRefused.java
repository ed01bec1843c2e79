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

    /** The problem's title: what kind of refusal this is. */
    public String title() {
        return "Refused by the activity's state";
    }

    /** More members of the problem, beside currentState. */
    public java.util.Map<String, Object> details() {
        return java.util.Map.of();
    }
}
