package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Report.firstLine;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One read of the query service timed as a dashboard would see it: a few warm-up calls, then sequential timed calls,
 * request sent → whole body received. Only 200s are timed; a 429 (too many long reads at once) is counted apart
 * from the other failures.
 */
final class TimedReads {

    /** {@code bytes}: the last 200's body size (-1 without one); {@code busy}: 429 answers, not in {@code errors}. */
    record Read(String label, String path, Latencies.Summary latency, long bytes, long errors, long busy,
                String firstError) {
        /** Every answer that was not a 200, 429s included. */
        long failures() {
            return errors + busy;
        }
    }

    /** One GET: its status (-1 for a transport failure, with the exception), the body and the time it took. */
    record Call(int status, byte[] body, long nanos, IOException failure) {
        String describe() {
            return failure != null ? failure.toString()
                    : status + " " + firstLine(new String(body, StandardCharsets.UTF_8));
        }
    }

    private TimedReads() {
    }

    /** Sends one GET to the query service; a refused connection ends the run (the service is gone). */
    static Call call(LedgerHttp http, String path) throws Fatal, InterruptedException {
        long start = System.nanoTime();
        try {
            LedgerHttp.Raw reply = http.query(path);
            return new Call(reply.status(), reply.body(), System.nanoTime() - start, null);
        } catch (ConnectException e) {
            throw new Fatal("the query service stopped answering during the reads (" + path + "): " + e);
        } catch (IOException e) {
            return new Call(-1, new byte[0], System.nanoTime() - start, e);
        }
    }

    /**
     * @param onFirst given the first 200's body (to describe the answer), or null
     */
    static Read time(LedgerHttp http, String label, String path, int warmups, int repeats, Consumer<byte[]> onFirst)
            throws Fatal, InterruptedException {
        Latencies times = new Latencies();
        long bytes = -1;
        long errors = 0;
        long busy = 0;
        String firstError = null;
        for (int i = 0; i < warmups + repeats; i++) {
            Call call = call(http, path);
            if (call.status() != 200) {
                if (call.status() == 429) {
                    busy++;
                } else {
                    errors++;
                }
                firstError = firstError != null ? firstError : call.describe();
                continue;
            }
            if (bytes < 0 && onFirst != null) {
                onFirst.accept(call.body());
            }
            bytes = call.body().length;
            if (i >= warmups) {
                times.add(call.nanos());
            }
        }
        return new Read(label, path, times.summary(), bytes, errors, busy, firstError);
    }
}
