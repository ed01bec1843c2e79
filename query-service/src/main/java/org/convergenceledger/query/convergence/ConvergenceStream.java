package org.convergenceledger.query.convergence;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArraySet;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * GET /api/convergence/stream: server-sent events, one "convergence-changed" message per applied batch that
 * touched the view, naming the activities, axes, regions and agencies concerned and the position reached, so a
 * dashboard refreshes what it shows without polling. A new subscriber first gets a "hello" with the position.
 */
@RestController
class ConvergenceStream {

    /** Long enough to outlive a dashboard session; the browser's EventSource reconnects by itself after it. */
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final CopyOnWriteArraySet<SseEmitter> subscribers = new CopyOnWriteArraySet<>();
    private final ProjectionPosition position;

    ConvergenceStream(ProjectionPosition position) {
        this.position = position;
    }

    @GetMapping(path = "/api/convergence/stream", produces = "text/event-stream")
    SseEmitter subscribe() throws IOException {
        SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
        emitter.onCompletion(() -> subscribers.remove(emitter));
        emitter.onTimeout(() -> subscribers.remove(emitter));
        emitter.onError(failure -> subscribers.remove(emitter));
        subscribers.add(emitter);
        emitter.send(SseEmitter.event().name("hello")
                .data(Map.of("asOfSequence", String.valueOf(position.asOfSequence(Projections.ACTIVITY_VIEW)))));
        return emitter;
    }

    void publish(ConvergenceChanges.Change change) {
        if (subscribers.isEmpty()) {
            return;
        }
        Long asOf = position.asOfSequence(Projections.ACTIVITY_VIEW);
        Map<String, Object> message = Map.of(
                "asOfSequence", asOf == null ? 0L : asOf,
                "activities", change.activities(),
                "axes", change.axes(),
                "regions", change.regions(),
                "agencies", change.agencies(),
                "pairsChanged", change.pairsChanged());
        for (SseEmitter subscriber : subscribers) {
            try {
                subscriber.send(SseEmitter.event().name("convergence-changed").data(message));
            } catch (IOException | IllegalStateException gone) {
                subscribers.remove(subscriber);
            }
        }
    }
}
