package org.convergenceledger.query.convergence;

import java.time.Instant;
import java.util.List;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.BadParameter;
import org.convergenceledger.query.system.ReadSnapshot;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/convergence/freshness: which agencies went silent or let activities run late, so a steering committee
 * sees who stopped reporting. The thresholds default to ledger.query.freshness.* and can be given per request.
 */
@RestController
class FreshnessController {

    record FreshnessJson(Instant at, int silentAfterDays, int overdueAfterDays,
                         List<Freshness.AgencyFreshness> agencies, Long asOfSequence) {
    }

    private final Freshness freshness;
    private final ReadSnapshot snapshot;
    private final ProjectionPosition position;

    FreshnessController(Freshness freshness, ReadSnapshot snapshot, ProjectionPosition position) {
        this.freshness = freshness;
        this.snapshot = snapshot;
        this.position = position;
    }

    @GetMapping("/api/convergence/freshness")
    FreshnessJson freshness(@RequestParam(required = false) Integer silentAfterDays,
                            @RequestParam(required = false) Integer overdueAfterDays) {
        if (silentAfterDays != null && silentAfterDays < 1) {
            throw new BadParameter("silentAfterDays", "must be at least 1");
        }
        if (overdueAfterDays != null && overdueAfterDays < 0) {
            throw new BadParameter("overdueAfterDays", "must not be negative");
        }
        Freshness.Thresholds defaults = freshness.defaults();
        Freshness.Thresholds thresholds = new Freshness.Thresholds(
                silentAfterDays == null ? defaults.silentAfterDays() : silentAfterDays,
                overdueAfterDays == null ? defaults.overdueAfterDays() : overdueAfterDays);
        Instant now = Instant.now();
        return snapshot.read(() -> new FreshnessJson(now, thresholds.silentAfterDays(),
                thresholds.overdueAfterDays(), freshness.at(now, thresholds),
                position.asOfSequence(Projections.AUDIT_HISTORY)));
    }
}
