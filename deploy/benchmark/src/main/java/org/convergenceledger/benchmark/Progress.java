package org.convergenceledger.benchmark;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Prints a line every few seconds from a daemon thread until closed (long phases of the benchmark programs). */
final class Progress implements AutoCloseable {

    private final Thread thread;

    interface Line {
        String get() throws InterruptedException;
    }

    Progress(int seconds, Line line) {
        thread = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                    System.out.println(line.get());
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "progress");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The progress of a load of activities: "[load 10 s] 1,401/3,000 activities sent, 3,481 commands ok (348/s
     * lately), 0 errors; store head …, query applied …".
     *
     * @param activitiesWord what the count of activities is: "sent", "done"
     */
    static Progress ofLoad(int seconds, int activities, LongSupplier activitiesSoFar, String activitiesWord,
                           LongSupplier commandsOk, Errors errors, CatchUp catchUp) {
        long startedAt = System.nanoTime();
        long[] last = {startedAt, 0};
        return new Progress(seconds, () -> {
            long now = System.nanoTime();
            long commands = commandsOk.getAsLong();
            double recent = (commands - last[1]) / ((now - last[0]) / 1e9);
            last[0] = now;
            last[1] = commands;
            return String.format(Locale.ROOT, "[load %3.0f s] %,d/%,d activities %s, %,d commands ok (%.0f/s "
                            + "lately), %d errors; %s", (now - startedAt) / 1e9,
                    Math.min(activitiesSoFar.getAsLong(), activities), activities, activitiesWord, commands, recent,
                    errors.total(), catchUp.positions());
        });
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }
}
