package org.convergenceledger.query.audit;

import java.util.Map;
import java.util.Optional;
import org.convergenceledger.query.system.ProjectionPosition;
import org.convergenceledger.query.system.ProjectionReplay;
import org.convergenceledger.query.system.Projections;
import org.convergenceledger.query.system.ReadSnapshot;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An auditor's second opinion on the projection. GET /api/audit/projection-digest fingerprints the live projection;
 * GET /api/audit/projection-digest/replayed rebuilds it independently from the event store up to the same position
 * (or ?upToSequence=) and fingerprints that. Equal digests: the live view is exactly what the stored facts imply.
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

    private final ProjectionDigest digest;
    private final ProjectionPosition position;
    private final ReadSnapshot snapshot;
    private final ProjectionReplay replay;

    ProjectionDigests(ProjectionDigest digest, ProjectionPosition position, ReadSnapshot snapshot,
                      ProjectionReplay replay) {
        this.digest = digest;
        this.position = position;
        this.snapshot = snapshot;
        this.replay = replay;
    }

    @GetMapping("/api/audit/projection-digest")
    DigestAnswer live() {
        return snapshot.read(() -> {
            ProjectionDigest.Digest live = digest.compute();
            Optional<ProjectionPosition.Position> at = position.of(Projections.ACTIVITY_VIEW);
            return new DigestAnswer(live.digest(), at.map(ProjectionPosition.Position::globalSequence).orElse(0L),
                    at.map(ProjectionPosition.Position::exact).orElse(true), 0, live.rows(), "live projection");
        });
    }

    @GetMapping("/api/audit/projection-digest/replayed")
    DigestAnswer replayed(@RequestParam(required = false) Long upToSequence) {
        long upTo = upToSequence != null ? upToSequence : livePosition();
        ProjectionReplay.Replayed<ProjectionDigest.Digest> replayed =
                replay.replay(ProjectionReplay.Bound.sequence(upTo), digest::compute);
        return new DigestAnswer(replayed.result().digest(), upTo, true, replayed.eventsReplayed(),
                replayed.result().rows(),
                "independent replay from the event store");
    }

    private long livePosition() {
        return Optional.ofNullable(position.asOfSequence(Projections.ACTIVITY_VIEW)).orElse(0L);
    }
}
