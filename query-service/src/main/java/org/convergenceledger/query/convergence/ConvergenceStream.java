package org.convergenceledger.query.convergence;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.convergenceledger.query.projection.ProjectionPosition;
import org.convergenceledger.query.projection.Projections;
import org.convergenceledger.query.system.TooBusy;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * GET /api/convergence/stream: server-sent events, one "convergence-changed" message per applied batch that
 * touched the view, naming the activities, axes, regions and agencies concerned and the position reached, so a
 * dashboard refreshes what it shows without polling. A new subscriber first gets a "hello" with the position.
 *
 * <p>Every message has an id; a client that lost its connection comes back with {@code Last-Event-ID} (browsers'
 * EventSource do it by themselves) and gets the messages it missed, from the last 1,000 kept in memory — or, if it
 * missed more than that or the service restarted meanwhile, one "reset" message telling it to read everything
 * again. Messages are sent by a thread of their own, never the projection's: a slow or stuck reader delays only
 * the stream, not the view. At most ledger.query.stream.max-subscribers readers at once (past that, 429 with
 * Retry-After); a comment every 5 s finds readers gone and frees their places.
 */
@RestController
class ConvergenceStream implements DisposableBean {

    /** Long enough to outlive a dashboard session; the browser's EventSource reconnects by itself after it. */
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final int KEPT = 1000;

    private record Message(long number, String name, Map<String, Object> data) {
    }

    /** Those who receive messages; {@code readers} also counts those being greeted, so the limit holds. */
    private final Map<SseEmitter, Runnable> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger readers = new AtomicInteger();
    private final ProjectionPosition position;
    private final int maxSubscribers;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "convergence-stream");
        thread.setDaemon(true);
        return thread;
    });
    /** This run's messages are numbered from 1; an id from another run (or none kept) means "read everything". */
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final Deque<Message> recent = new ArrayDeque<>();
    private long numbered;

    ConvergenceStream(ProjectionPosition position,
                      @Value("${ledger.query.stream.max-subscribers:200}") int maxSubscribers) {
        this.position = position;
        this.maxSubscribers = maxSubscribers;
        // A reader that went away (a closed tab, a page left) is only noticed when something is written to it: a
        // comment every 5 s finds it, frees its place, and keeps proxies from closing a quiet stream.
        sender.scheduleWithFixedDelay(this::keepAlive, 5, 5, TimeUnit.SECONDS);
    }

    private void keepAlive() {
        sendToAll(() -> SseEmitter.event().comment("keep-alive"));
    }

    /**
     * On the sender's thread. An event is built for each reader (a builder is spent once sent). A reader the send
     * fails on is gone: its place is freed.
     */
    private void sendToAll(java.util.function.Supplier<SseEmitter.SseEventBuilder> event) {
        subscribers.forEach((subscriber, leave) -> {
            try {
                subscriber.send(event.get());
            } catch (IOException | IllegalStateException gone) {
                leave.run();
                subscriber.completeWithError(gone);
            }
        });
    }

    @GetMapping(path = "/api/convergence/stream", produces = "text/event-stream")
    SseEmitter subscribe(@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        if (readers.incrementAndGet() > maxSubscribers) {
            readers.decrementAndGet();
            throw TooBusy.because("the change stream already has " + maxSubscribers + " readers, as many as this"
                    + " service serves at once", Duration.ofSeconds(10));
        }
        SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
        AtomicBoolean left = new AtomicBoolean();
        Runnable leave = () -> {
            subscribers.remove(emitter);
            if (left.compareAndSet(false, true)) {
                readers.decrementAndGet();
            }
        };
        emitter.onCompletion(leave);
        emitter.onTimeout(leave);
        emitter.onError(failure -> leave.run());
        // On the sender's thread, so that what was missed comes before anything newer, in order.
        sender.execute(() -> greet(emitter, lastEventId, leave));
        return emitter;
    }

    private void greet(SseEmitter emitter, String lastEventId, Runnable leave) {
        try {
            Long asOf = position.asOfSequence(Projections.ACTIVITY_VIEW);
            // The hello has an id too: a reader that loses its connection before any change still comes back
            // with a place in the stream, and is sent what changed while it was away.
            emitter.send(SseEmitter.event().name("hello").id(currentId())
                    .data(Map.of("asOfSequence", asOf == null ? 0L : asOf)));
            if (lastEventId != null) {
                List<Message> missed = missedSince(lastEventId);
                if (missed == null) {
                    emitter.send(SseEmitter.event().id(currentId()).name("reset").data(Map.of(
                            "asOfSequence", asOf == null ? 0L : asOf,
                            "reason", "more changed than this service keeps to resend: read the view again")));
                } else {
                    for (Message message : missed) {
                        emitter.send(event(message));
                    }
                }
            }
            subscribers.put(emitter, leave);
        } catch (IOException | IllegalStateException gone) {
            leave.run();
            emitter.completeWithError(gone);
        }
    }

    /** The messages after the one named, or null if they cannot all be given. */
    private synchronized List<Message> missedSince(String lastEventId) {
        int dot = lastEventId.lastIndexOf('.');
        if (dot < 0 || !lastEventId.substring(0, dot).equals(run)) {
            return null;
        }
        long last;
        try {
            last = Long.parseLong(lastEventId.substring(dot + 1));
        } catch (NumberFormatException unreadable) {
            return null;
        }
        if (last > numbered || (last < numbered && (recent.isEmpty() || recent.peekFirst().number() > last + 1))) {
            return null;
        }
        List<Message> missed = new ArrayList<>();
        for (Message message : recent) {
            if (message.number() > last) {
                missed.add(message);
            }
        }
        return missed;
    }

    private synchronized String currentId() {
        return run + "." + numbered;
    }

    void publish(ConvergenceChanges.Change change) {
        Long asOf = position.asOfSequence(Projections.ACTIVITY_VIEW);
        announce("convergence-changed", Map.of(
                "asOfSequence", asOf == null ? 0L : asOf,
                "activities", change.activities(),
                "axes", change.axes(),
                "regions", change.regions(),
                "agencies", change.agencies(),
                "pairsChanged", change.pairsChanged()));
    }

    /** Changes may have gone unannounced (ChangesAcrossInstances lost its connection): readers read everything. */
    void everythingMayHaveChanged() {
        Long asOf = position.asOfSequence(Projections.ACTIVITY_VIEW);
        announce("reset", Map.of("asOfSequence", asOf == null ? 0L : asOf,
                "reason", "changes may have gone unannounced: read the view again"));
    }

    /** A message of the given name to every reader, numbered and kept for resending like the view's changes. */
    void announce(String name, Map<String, Object> data) {
        Message message;
        synchronized (this) {
            message = new Message(++numbered, name, data);
            recent.addLast(message);
            if (recent.size() > KEPT) {
                recent.removeFirst();
            }
        }
        sender.execute(() -> sendToAll(() -> event(message)));
    }

    private SseEmitter.SseEventBuilder event(Message message) {
        return SseEmitter.event().id(run + "." + message.number()).name(message.name()).data(message.data());
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
        subscribers.keySet().forEach(SseEmitter::complete);
    }
}
