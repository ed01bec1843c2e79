package org.convergenceledger.command.system;

/**
 * The caller is authenticated but may not do this to this target: another agency's activity, a partner role that
 * does not cover the action. Answered with 403; nothing is stored.
 */
public class NotPermitted extends RuntimeException {

    public NotPermitted(String message) {
        super(message);
    }
}
