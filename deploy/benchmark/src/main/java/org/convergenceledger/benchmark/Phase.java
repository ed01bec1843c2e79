package org.convergenceledger.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs N worker threads until a deadline or until a number of units (an activity, a raw insert) has been taken,
 * and times the whole: from the moment all workers are released to the moment the last one finished its unit.
 */
final class Phase {

    /** What a worker does; {@link #unit} is called once per unit of work, with the unit's number. */
    interface Worker {
        /** Before the clock starts (open a connection…). */
        default void prepare() throws Exception {
        }

        void unit(long number) throws Exception;

        /** After the clock stopped. */
        default void close() {
        }
    }

    interface WorkerFactory {
        Worker create(int index);
    }

    /** How long the phase ran, and how many units were started. */
    record Timing(double seconds, long units) {
    }

    /**
     * A phase sized by time that may run past its seconds while {@code wanted} says more is needed (e.g. too few
     * samples yet), up to {@code maxSeconds} in all.
     */
    record Extension(java.util.function.BooleanSupplier wanted, long maxSeconds) {
    }

    static Timing run(int threads, long seconds, long units, WorkerFactory factory) throws Exception {
        return run(threads, seconds, units, factory, null);
    }

    static Timing run(int threads, long seconds, long units, WorkerFactory factory, Extension extension)
            throws Exception {
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Worker worker = factory.create(i);
            worker.prepare();
            workers.add(worker);
        }
        AtomicLong taken = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        List<Throwable> crashes = new ArrayList<>();
        long[] deadline = new long[2]; // the planned end, and the latest end of an extension
        for (int i = 0; i < threads; i++) {
            Worker worker = workers.get(i);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    while (true) {
                        if (units > 0) {
                            long number = taken.getAndIncrement();
                            if (number >= units) {
                                break;
                            }
                            worker.unit(number);
                        } else {
                            long now = System.nanoTime();
                            if (now - deadline[0] >= 0 && (extension == null || now - deadline[1] >= 0
                                    || !extension.wanted().getAsBoolean())) {
                                break;
                            }
                            worker.unit(taken.getAndIncrement());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    synchronized (crashes) {
                        crashes.add(e);
                    }
                }
            }, "worker-" + i);
            running.add(thread);
            thread.start();
        }
        long started = System.nanoTime();
        deadline[0] = started + seconds * 1_000_000_000L;
        deadline[1] = started + (extension == null ? seconds : Math.max(seconds, extension.maxSeconds()))
                * 1_000_000_000L;
        start.countDown(); // happens-before: the deadlines are visible to every worker after await()
        for (Thread thread : running) {
            thread.join();
        }
        long ended = System.nanoTime();
        workers.forEach(Worker::close);
        if (!crashes.isEmpty()) {
            Exception failure = new IllegalStateException("a worker thread failed: " + crashes.get(0), crashes.get(0));
            throw failure;
        }
        long done = units > 0 ? Math.min(taken.get(), units) : taken.get();
        return new Timing((ended - started) / 1e9, done);
    }

    private Phase() {
    }
}
