package org.convergenceledger.benchmark;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;

/** One level of the command path: each worker proposes an activity, then commits it, again and again. */
final class CommandPath {

    /** {@code endedAtNanos}: when the last worker finished, before waiting for the lag samples still followed. */
    record Result(int threads, double seconds, long activities, long commands, Latencies.Summary all,
                  Latencies.Summary propose, Latencies.Summary commit, Errors errors, Latencies.Summary lag,
                  long lagTimeouts, long lagPolls, Errors pollErrors, long endedAtNanos) {

        double commandsPerSecond() {
            return seconds > 0 ? commands / seconds : 0;
        }
    }

    static Result run(LedgerHttp http, Options options, String runTag, String label, int threads, long seconds,
                      long activities) throws Exception {
        Errors errors = new Errors();
        List<Latencies> proposeTimes = new ArrayList<>();
        List<Latencies> commitTimes = new ArrayList<>();
        LagWatchers watchers = new LagWatchers(http, options.watchers, options.lagInFlight, options.lagSampleGapMs, options.pollIntervalMs,
                options.lagTimeoutSeconds, label);
        Phase.Timing timing;
        long ended;
        try {
            timing = Phase.run(threads, seconds, activities, index -> {
                Latencies proposes = new Latencies();
                Latencies commits = new Latencies();
                synchronized (proposeTimes) {
                    proposeTimes.add(proposes);
                    commitTimes.add(commits);
                }
                return number -> {
                    String activityId = LedgerHttp.AGENCY + ":" + runTag + "-" + label + "-" + number;
                    if (!timed("propose", () -> http.propose(activityId), proposes, errors)) {
                        return;
                    }
                    if (timed("commit", () -> http.commit(activityId), commits, errors)) {
                        watchers.accepted(activityId, System.nanoTime());
                    }
                };
            });
        } finally {
            ended = System.nanoTime();
            watchers.finish();
        }
        Latencies proposes = Latencies.merge(proposeTimes);
        Latencies commits = Latencies.merge(commitTimes);
        long commands = proposes.size() + (long) commits.size();
        return new Result(threads, timing.seconds(), timing.units(), commands,
                Latencies.merge(proposes, commits).summary(), proposes.summary(), commits.summary(), errors,
                watchers.lag(), watchers.timeouts(), watchers.polls(), watchers.pollErrors(), ended);
    }

    interface Call {
        LedgerHttp.Reply send() throws IOException, InterruptedException;
    }

    /** Sends one command; a 2xx is timed, anything else is counted as an error. */
    static boolean timed(String kind, Call call, Latencies times, Errors errors) throws InterruptedException {
        long start = System.nanoTime();
        try {
            LedgerHttp.Reply reply = call.send();
            long elapsed = System.nanoTime() - start;
            if (reply.ok()) {
                times.add(elapsed);
                return true;
            }
            errors.record(kind + " " + reply.status(), reply.body());
            return false;
        } catch (IOException e) {
            String detail = e.getMessage() != null ? e.getMessage()
                    : e instanceof ConnectException ? "connection refused: the command service is not answering"
                    : e.toString();
            errors.record(kind + " " + e.getClass().getSimpleName(), detail);
            if (e instanceof ConnectException) {
                Thread.sleep(50); // the service is gone: do not spin at full speed on refused connections
            }
            return false;
        }
    }

    private CommandPath() {
    }
}
