package org.convergenceledger.command.ingestion;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** The global sequence of the event each accepted command stored, as its result tells the agency. */
final class GlobalSequences {

    private final JdbcTemplate jdbc;

    GlobalSequences(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The outcomes, the accepted ones with their global sequence: one query for the whole list. */
    List<Outcome> added(List<Outcome> outcomes) {
        List<Outcome> accepted = outcomes.stream().filter(Outcome::accepted).toList();
        if (accepted.isEmpty()) {
            return outcomes;
        }
        Map<String, Long> sequences = new HashMap<>();
        jdbc.query("SELECT e.aggregateidentifier, e.sequencenumber, e.globalindex FROM domainevententry e"
                        + " JOIN unnest(?::text[], ?::bigint[]) AS w(id, seq)"
                        + " ON e.aggregateidentifier = w.id AND e.sequencenumber = w.seq",
                row -> {
                    sequences.put(row.getString(1) + "#" + row.getLong(2), row.getLong(3));
                },
                accepted.stream().map(Outcome::activityId).toArray(String[]::new),
                accepted.stream().map(Outcome::version).toArray(Long[]::new));
        return outcomes.stream().map(outcome -> outcome.accepted()
                ? outcome.withGlobalSequence(sequences.get(outcome.activityId() + "#" + outcome.version()))
                : outcome).toList();
    }
}
