package org.convergenceledger.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine a phase used, and how much of that was this program (the load generator shares the cores
 * with the system it measures when both run on one machine): this JVM's CPU time (the JVM's own count) beside the
 * machine's busy time (Linux /proc/stat; elsewhere unknown, NaN).
 */
final class CpuShare {

    /** Cores busy on average over the phase: all processes, and this program alone. */
    record Use(double machineCores, double generatorCores) {
        double generatorShare() {
            return machineCores > 0 ? generatorCores / machineCores : Double.NaN;
        }
    }

    private final long startNanos;
    private final long startProcessCpu;
    private final long startBusyTicks;

    private CpuShare() {
        startNanos = System.nanoTime();
        startProcessCpu = processCpuNanos();
        startBusyTicks = busyTicks();
    }

    static CpuShare start() {
        return new CpuShare();
    }

    Use stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double generator = (processCpuNanos() - startProcessCpu) / 1e9 / seconds;
        long busy = busyTicks();
        // /proc/stat counts in USER_HZ, 100 per second on Linux.
        double machine = busy < 0 || startBusyTicks < 0 ? Double.NaN : (busy - startBusyTicks) / 100.0 / seconds;
        return new Use(machine, generator);
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** user + nice + system + irq + softirq + steal of the first line of /proc/stat; -1 where there is none. */
    private static long busyTicks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(cpu[field]);
            }
            return busy;
        } catch (IOException | RuntimeException notLinux) {
            return -1;
        }
    }
}
