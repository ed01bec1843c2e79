package org.convergenceledger.command.ingestion;

import org.springframework.http.ProblemDetail;

/**
 * What became of one command message: accepted (the activity's new version and the global sequence of the event it
 * stored) or rejected (the problem details HTTP would give).
 */
record Outcome(ReceivedCommand command, String activityId, Long version, Long globalSequence, ProblemDetail problem) {

    static Outcome accepted(ReceivedCommand command, String activityId, long version) {
        return new Outcome(command, activityId, version, null, null);
    }

    static Outcome rejected(ReceivedCommand command, ProblemDetail problem) {
        return new Outcome(command, command.record().key(), null, null, problem);
    }

    boolean accepted() {
        return problem == null;
    }

    Outcome withGlobalSequence(Long sequence) {
        return new Outcome(command, activityId, version, sequence, problem);
    }

    /** The problem's code (invalid-input, not-found…), as the meters and the dead letters name it. */
    String problemCode() {
        Object code = problem.getProperties() == null ? null : problem.getProperties().get("code");
        return code == null ? null : code.toString();
    }
}
