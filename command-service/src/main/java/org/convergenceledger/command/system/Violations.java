package org.convergenceledger.command.system;

import java.util.ArrayList;
import java.util.List;

/** Collects every broken rule of one command, so the sender learns all of them at once. */
public final class Violations {

    private final List<InvalidInput.FieldViolation> found = new ArrayList<>();

    public Violations require(boolean rule, String field, String message) {
        if (!rule) {
            found.add(new InvalidInput.FieldViolation(field, message));
        }
        return this;
    }

    public boolean hasViolationOn(String field) {
        return found.stream().anyMatch(v -> v.field().equals(field));
    }

    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidInput(found);
        }
    }
}
