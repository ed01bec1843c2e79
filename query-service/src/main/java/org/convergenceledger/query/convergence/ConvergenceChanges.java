package org.convergenceledger.query.convergence;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells every instance's stream what one applied batch changed in the convergence view, once the batch's
 * transaction has committed, so that a dashboard that refreshes on the message reads the new state. One instance
 * applies the events (it holds the projection's token), but dashboards are connected to all of them: the change
 * goes out as a PostgreSQL notification on channel ledger_convergence, which every instance hears, this one too
 * ({@link ChangesAcrossInstances}).
 */
@Component
public class ConvergenceChanges {

    static final String CHANNEL = "ledger_convergence";
    /** Below PostgreSQL's 8,000-byte limit of a notification's payload. */
    private static final int MAX_PAYLOAD = 7000;

    /** What changed in one batch; the dashboard refreshes the parts it shows. */
    record Change(Set<String> activities, Set<String> axes, Set<String> regions, Set<String> agencies,
                  boolean pairsChanged) {
    }

    private static final Logger log = LoggerFactory.getLogger(ConvergenceChanges.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final ConvergenceStream stream;

    ConvergenceChanges(DataSource dataSource, ObjectMapper json, ConvergenceStream stream) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.json = json;
        this.stream = stream;
    }

    public void record(List<ActivityChange> batch, boolean pairsChanged) {
        Set<String> activities = new TreeSet<>();
        Set<String> axes = new TreeSet<>();
        Set<String> regions = new TreeSet<>();
        Set<String> agencies = new TreeSet<>();
        for (ActivityChange change : batch) {
            activities.add(change.activityId());
            for (Contribution contribution : new Contribution[] {change.before(), change.after()}) {
                if (contribution != null) {
                    axes.addAll(contribution.axes());
                    regions.addAll(contribution.regions());
                    agencies.add(contribution.leadAgency());
                }
            }
        }
        Change change = new Change(activities, axes, regions, agencies, pairsChanged);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(committed -> announce(change));
        } else {
            announce(change);
        }
    }

    /** As one notification, or as several naming a part of the activities each when one would be too long. */
    private void announce(Change change) {
        String payload = write(change);
        if (payload.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD || change.activities().size() < 2) {
            try {
                // Its own transaction, after the batch's; its commit need not wait for the disk: it stores nothing.
                jdbc.queryForList("SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, ?)", CHANNEL,
                        payload);
            } catch (DataAccessException lost) {
                // The other instances' readers miss it until they reload; this one's are told to read again.
                log.warn("A convergence change could not be announced: {}", lost.toString());
                stream.everythingMayHaveChanged();
            }
            return;
        }
        List<String> ids = List.copyOf(change.activities());
        int half = ids.size() / 2;
        announce(new Change(new TreeSet<>(ids.subList(0, half)), change.axes(), change.regions(), change.agencies(),
                change.pairsChanged()));
        announce(new Change(new TreeSet<>(ids.subList(half, ids.size())), change.axes(), change.regions(),
                change.agencies(), change.pairsChanged()));
    }

    Change read(String payload) {
        try {
            return json.readValue(payload, Change.class);
        } catch (JsonProcessingException unreadable) {
            throw new IllegalArgumentException("not a convergence change: " + payload, unreadable);
        }
    }

    private String write(Change change) {
        try {
            return json.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a convergence change", e);
        }
    }
}
