package org.convergenceledger.command.iati;

import java.util.List;
import org.convergenceledger.events.iati.IatiSchema;

/** A file that is not IATI 2.03 (not XML, not valid against the schema): nothing of it is imported. Answered 400. */
class InvalidIatiFile extends RuntimeException {

    private final List<IatiSchema.Violation> violations;

    InvalidIatiFile(List<IatiSchema.Violation> violations) {
        super(violations.stream().findFirst().map(first -> "line " + first.line() + ", column " + first.column()
                + ": " + first.reason()).orElse("not an IATI 2.03 file")
                + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""));
        this.violations = List.copyOf(violations);
    }

    List<IatiSchema.Violation> violations() {
        return violations;
    }
}
