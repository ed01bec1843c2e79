package org.convergenceledger.query.audit;

import java.util.Map;
import java.util.Optional;
import org.convergenceledger.query.projection.EventStore;
import org.convergenceledger.query.projection.Moment;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.projection.ReadModel;
import org.convergenceledger.query.projection.ViewReplay;
import org.convergenceledger.query.system.NotFound;
import org.convergenceledger.query.system.ScanDatabase;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An auditor's second opinion on the projection. GET /api/audit/projection-digest fingerprints the live projection;
 * GET /api/audit/projection-digest/replayed rebuilds it independently from the event store up to the same position
 * (or ?upToSequence=) and fingerprints that. Equal digests: the live view is exactly what the stored facts imply.
 * Both read every row: they run as scans.
 */
@RestController
class ProjectionDigests {

    /**
     * @param exact true when the fingerprinted rows hold exactly the events up to upToSequence: always for a replay;
     *              for the live projection only while no partition has run ahead of the complete prefix, so two
     *              digests are comparable when both are exact
     */
    record DigestAnswer(String digest, long upToSequence, boolean exact, long eventsReplayed, Map<String, Long> rows,
                        String source) {
    }

    private final ScanDatabase scans;
    private final ViewReplay replay;
    private final ReadModel activityView;

    ProjectionDigests(ScanDatabase scans, ViewReplay replay, java.util.List<ReadModel> models) {
        this.scans = scans;
        this.replay = replay;
        this.activityView = models.stream().filter(model -> model.name().equals(Projections.ACTIVITY_VIEW))
                .findFirst().orElseThrow(() -> new NotFound("read model", Projections.ACTIVITY_VIEW));
    }

    @GetMapping("/api/audit/projection-digest")
    DigestAnswer live() {
        return scans.read("projection digest", jdbc -> {
            ProjectionDigest.Digest live = ProjectionDigest.compute(jdbc.getJdbcTemplate(), activityView.tables());
            Optional<ProjectionPosition.Position> at = ProjectionPosition.of(jdbc.getJdbcTemplate(),
                    Projections.ACTIVITY_VIEW);
            return new DigestAnswer(live.digest(), at.map(ProjectionPosition.Position::globalSequence).orElse(0L),
                    at.map(ProjectionPosition.Position::exact).orElse(true), 0, live.rows(), "live projection");
        });
    }

    @GetMapping("/api/audit/projection-digest/replayed")
    DigestAnswer replayed(@RequestParam(required = false) Long upToSequence) {
        long upTo = upToSequence != null ? upToSequence : livePosition();
        ViewReplay.Replayed<ProjectionDigest.Digest> replayed = replay.replay(activityView, "replayed digest",
                EventStore.Selection.upTo(upTo), Moment.LIVE,
                jdbc -> ProjectionDigest.compute(jdbc.getJdbcTemplate(), activityView.tables()));
        return new DigestAnswer(replayed.result().digest(), upTo, true, replayed.built().events(),
                replayed.result().rows(), "independent replay from the event store");
    }

    private long livePosition() {
        return scans.read("projection position", jdbc -> ProjectionPosition.of(jdbc.getJdbcTemplate(),
                Projections.ACTIVITY_VIEW).map(ProjectionPosition.Position::globalSequence).orElse(0L));
    }
}
