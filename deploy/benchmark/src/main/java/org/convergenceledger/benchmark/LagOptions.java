package org.convergenceledger.benchmark;

/**
 * How the lag to the query service is sampled ({@link LagWatchers}): the options of the programs that measure it,
 * parsed with {@link Options#each}, with the same names and defaults in each.
 */
final class LagOptions {

    /** The options' lines of a usage text (two spaces of indentation, as the programs' other options). */
    static final String USAGE = """
              --watchers N                 threads polling the query service for the lag (default 2)
              --lag-in-flight N            a commit is sampled for the lag when fewer than N samples are
                                           being followed (default 2: one per watcher, so each sample is
                                           polled every interval and the lag's resolution is one interval)
              --lag-sample-gap-ms N        at least N ms between two samples (default 50), so the polling
                                           stays a small load next to the commands it measures
              --poll-interval-ms N         pause between two polls of one sample (default 10: the polling is at most
                                           watchers × 100 GETs/s, and the lag's resolution about 10 ms)
              --lag-timeout-seconds N      give up on a sample after N seconds, counted as a timeout (default 30)
            """;

    int watchers = 2;
    int inFlight = 2;
    int sampleGapMs = 50;
    int pollIntervalMs = 10;
    int timeoutSeconds = 30;

    /** Takes the option if it is one of these; false when it is not. */
    boolean accept(String name, String value) throws Options.BadArguments {
        switch (name) {
            case "watchers" -> watchers = Options.positive(name, value);
            case "lag-in-flight" -> inFlight = Options.positive(name, value);
            case "lag-sample-gap-ms" -> sampleGapMs = Options.nonNegative(name, value);
            case "poll-interval-ms" -> pollIntervalMs = Options.nonNegative(name, value);
            case "lag-timeout-seconds" -> timeoutSeconds = Options.positive(name, value);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** These settings with at least {@code minInFlight} samples followed and at most {@code maxGapMs} between two. */
    LagOptions raised(int minInFlight, int maxGapMs) {
        LagOptions raised = new LagOptions();
        raised.watchers = watchers;
        raised.inFlight = Math.max(inFlight, minInFlight);
        raised.sampleGapMs = Math.min(sampleGapMs, maxGapMs);
        raised.pollIntervalMs = pollIntervalMs;
        raised.timeoutSeconds = timeoutSeconds;
        return raised;
    }

    /** The sampler in words, for a program's header. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "a commit is sampled when fewer than %d are followed and %d ms "
                + "after the last sample; %d watcher thread(s) poll each at most every %d ms; give up after %d s",
                inFlight, sampleGapMs, watchers, pollIntervalMs, timeoutSeconds);
    }
}
