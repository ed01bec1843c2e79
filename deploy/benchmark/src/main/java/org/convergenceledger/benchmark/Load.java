package org.convergenceledger.benchmark;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** The load driver: N threads released together; each records its own latencies, so recording never makes them wait. */
final class Load {

    interface Worker {
        void unit(long number) throws Exception;

        /** After the clock stopped (close a connection…). */
        default void close() throws Exception {
        }
    }

    /** Makes worker {@code index} before the clock starts; it records into {@code mine}. */
    interface Workers {
        Worker create(int index, Latencies mine) throws Exception;
    }

    interface Call {
        Ledger.Reply send() throws IOException, InterruptedException;
    }

    /** {@code units}: units started; {@code latencies}: every worker's, merged. */
    record Result(double seconds, long units, Latencies latencies) {
        double perSecond(long count) {
            return seconds > 0 ? count / seconds : Double.NaN;
        }
    }

    /** By time (units 0) or by count; by time it runs on, up to 3 × its seconds, while {@code more} wants samples. */
    static Result run(int threads, long seconds, long units, BooleanSupplier more, Workers workers) throws Exception {
        List<Latencies> recorded = new ArrayList<>();
        List<Worker> made = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            recorded.add(new Latencies());
            made.add(workers.create(i, recorded.get(i)));
        }
        AtomicLong taken = new AtomicLong();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        long[] ends = new long[2]; // the planned end, and the latest one when more is wanted
        List<Thread> running = new ArrayList<>();
        for (Worker worker : made) {
            running.add(new Thread(() -> {
                try {
                    go.await();
                    while (crash.get() == null) {
                        long now = System.nanoTime();
                        if (units == 0 && now - ends[0] >= 0
                                && (more == null || now - ends[1] >= 0 || !more.getAsBoolean())) {
                            break;
                        }
                        long number = taken.getAndIncrement();
                        if (units > 0 && number >= units) {
                            break;
                        }
                        worker.unit(number);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    crash.compareAndSet(null, e);
                }
            }, "worker-" + running.size()));
        }
        running.forEach(Thread::start);
        long started = System.nanoTime();
        ends[0] = started + seconds * 1_000_000_000L;
        ends[1] = started + 3 * seconds * 1_000_000_000L;
        go.countDown(); // happens-before: the ends are visible to every worker after await()
        for (Thread thread : running) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        for (Worker worker : made) {
            worker.close();
        }
        if (crash.get() != null) {
            throw new IllegalStateException("a worker thread failed: " + crash.get(), crash.get());
        }
        return new Result(elapsed, units > 0 ? Math.min(taken.get(), units) : taken.get(),
                Latencies.merge(recorded));
    }

    /** Sends one command: a 2xx is timed under its kind, anything else is counted as an error (and not timed). */
    static boolean timed(String kind, Call call, Latencies mine, Tally errors) throws InterruptedException {
        long start = System.nanoTime();
        try {
            Ledger.Reply reply = call.send();
            if (reply.status() / 100 == 2) {
                mine.add(kind, System.nanoTime() - start);
                return true;
            }
            errors.record(kind + " " + reply.status(), reply.text());
        } catch (IOException e) {
            errors.record(kind + " " + e.getClass().getSimpleName(), e.getMessage() != null ? e.getMessage() : "");
            if (e instanceof ConnectException) {
                Thread.sleep(50); // the service is gone: do not spin on refused connections
            }
        }
        return false;
    }
}
