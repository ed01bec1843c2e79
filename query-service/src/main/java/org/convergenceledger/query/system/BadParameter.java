package org.convergenceledger.query.system;

/** A query parameter that cannot be understood; answered with 400 naming it. */
public class BadParameter extends RuntimeException {

    private final String parameter;

    public BadParameter(String parameter, String message) {
        super("Parameter '" + parameter + "' " + message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
