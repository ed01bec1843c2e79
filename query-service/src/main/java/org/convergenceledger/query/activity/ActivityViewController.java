package org.convergenceledger.query.activity;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;
import org.convergenceledger.events.common.ActivityState;
import org.convergenceledger.query.projection.Moment;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.NotFound;
import org.convergenceledger.query.system.QueryProperties;
import org.convergenceledger.query.system.ReadSnapshot;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.util.UriUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ActivityViewController {

    /** Where a read of a moved activity goes: the new identifier's, with the same query. */
    private static java.net.URI movedLocation(HttpServletRequest request, String newId) {
        // Built, not rewritten from the request's path: a client may have sent the old id with ':' encoded.
        return java.net.URI.create("/api/activities/" + UriUtils.encodePathSegment(newId, StandardCharsets.UTF_8)
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
    }

    record ActivityDocument(@JsonUnwrapped ActivityJson activity, Long asOfSequence) {
    }

    record ActivityPage(List<ActivityJson> items, int page, int size, long total, Long asOfSequence) {
    }

    private final ActivityViewRepository views;
    private final ProjectionPosition position;
    private final ReadSnapshot snapshot;
    private final QueryProperties properties;
    private final ActivityAsOf history;

    ActivityViewController(ActivityViewRepository views, ProjectionPosition position, ReadSnapshot snapshot,
                           QueryProperties properties, ActivityAsOf history) {
        this.history = history;
        this.views = views;
        this.position = position;
        this.snapshot = snapshot;
        this.properties = properties;
    }

    /**
     * The activity now, or with knownAt (asOf) and/or validAt as it was known then about then. An identifier the
     * activity moved away from answers 308 with the new one's Location (the query kept); so does a past moment at
     * which it had already moved.
     */
    @GetMapping("/api/activities/{id}")
    ResponseEntity<ActivityDocument> activity(@PathVariable String id, @RequestParam Map<String, String> parameters,
                                              HttpServletRequest request) {
        Moment moment = Moment.of(parameters);
        ActivityDocument document;
        if (!moment.live()) {
            document = snapshot.read(() -> history.of(id, moment)
                    .map(known -> new ActivityDocument(ActivityJson.of(known.view()), known.lastGlobalSequence()))
                    .orElseThrow(() -> new NotFound("activity at " + describe(moment), id)));
        } else {
            document = snapshot.read(() -> new ActivityDocument(
                    ActivityJson.of(views.find(id).orElseThrow(() -> new NotFound("activity", id))),
                    position.asOfSequence(Projections.ACTIVITY_VIEW)));
        }
        String movedTo = document.activity().movedTo();
        if (movedTo != null) {
            return ResponseEntity.status(HttpStatus.PERMANENT_REDIRECT)
                    .location(movedLocation(request, movedTo)).body(document);
        }
        return ResponseEntity.ok(document);
    }

    @GetMapping("/api/activities")
    ActivityPage activities(
            @RequestParam(required = false) String agency,
            @RequestParam(required = false) String axis,
            @RequestParam(required = false) String region,
            @RequestParam(required = false) ActivityState state,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) int size) {
        int pageSize = Math.min(size, properties.maxPageSize());
        var filter = new ActivityViewRepository.Filter(blankToNull(agency), blankToNull(axis), blankToNull(region),
                state);
        return snapshot.read(() -> {
            ActivityViewRepository.Page found = views.search(filter, page, pageSize);
            return new ActivityPage(found.items().stream().map(ActivityJson::of).toList(), page, pageSize,
                    found.total(), position.asOfSequence(Projections.ACTIVITY_VIEW));
        });
    }

    private static String describe(Moment moment) {
        return (moment.knownAt() != null ? "known at " + moment.knownAt() : "")
                + (moment.knownAt() != null && moment.validAt() != null ? ", " : "")
                + (moment.validAt() != null ? "valid at " + moment.validAt() : "");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
