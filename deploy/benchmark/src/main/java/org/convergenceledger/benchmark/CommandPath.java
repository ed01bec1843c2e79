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

    /** The command-path benchmark's level: activities of agency BENCH for young people, by time or by count. */
    static Result run(LedgerHttp http, Options options, String runTag, String label, int threads, long seconds,
                      long activities) throws Exception {
        return run(http, options.lag, LedgerHttp.AGENCY, "YOUTH", runTag, label, threads, seconds, activities, 0);
    }

    /**
     * @param agency      the activities' lead agency (registered, with a key)
     * @param targetGroup their target group
     * @param minSamples  a phase sized by time goes on (up to three times its seconds) until that many commits have
     *                    been sampled for the lag; 0: not
     */
    static Result run(LedgerHttp http, LagOptions lag, String agency, String targetGroup, String runTag,
                      String label, int threads, long seconds, long activities, int minSamples) throws Exception {
        Errors errors = new Errors();
        List<Latencies> proposeTimes = new ArrayList<>();
        List<Latencies> commitTimes = new ArrayList<>();
        LagWatchers watchers = new LagWatchers(http, lag, label);
        Phase.Extension extension = minSamples > 0
                ? new Phase.Extension(() -> watchers.sampled() < minSamples, 3 * seconds) : null;
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
                    String activityId = agency + ":" + runTag + "-" + label + "-" + number;
                    if (!timed("propose", () -> http.propose(activityId, agency, targetGroup), proposes, errors)) {
                        return;
                    }
                    if (timed("commit", () -> http.commit(activityId, agency), commits, errors)) {
                        watchers.accepted(activityId, System.nanoTime());
                    }
                };
            }, extension);
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

    /**
     * Prints a phase's failed commands by kind, with the first answer of each; ends the run when not one command
     * succeeded (the command service is broken for this workload).
     */
    static void reportErrors(String phase, long succeeded, Errors errors) throws Fatal {
        if (errors.total() > 0) {
            System.out.println(Report.indent(Report.describe(errors)));
        }
        if (succeeded == 0) {
            throw new Fatal("no command succeeded " + phase + ": the command service is broken for this "
                    + "workload.\n" + Report.describe(errors));
        }
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
