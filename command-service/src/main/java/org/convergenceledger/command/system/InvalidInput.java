package org.convergenceledger.command.system;

import java.util.List;

/** A command whose content breaks a rule of the ledger; every offending field is named. Answered with 400. */
public class InvalidInput extends RuntimeException {

    public record FieldViolation(String field, String message) {
    }

    private final List<FieldViolation> violations;

    public InvalidInput(List<FieldViolation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.message()).reduce((a, b) -> a + "; " + b)
                .orElse("invalid input"));
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
