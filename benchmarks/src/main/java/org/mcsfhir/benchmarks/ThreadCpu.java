package org.mcsfhir.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of a server process and of its threads of one name, read from Linux's {@code /proc} (user + system clock
 * ticks, 100 per second): what a background thread costs, whatever the machine's load does to wall-clock times.
 */
final class ThreadCpu {

    private static final double MS_PER_TICK = 10;

    private ThreadCpu() {}

    /** {threads named {@code name}, whole process} CPU milliseconds so far; zeros where /proc is not there. */
    static double[] of(long pid, String name) throws IOException {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return new double[2];
        }
        double named = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path task : threads.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (comm(stat).equals(name)) {
                        named += cpuMs(stat);
                    }
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        // the process's own line counts its ended threads too
        return new double[] {named, cpuMs(Files.readString(tasks.getParent().resolve("stat")))};
    }

    /** {@code pid (comm) state ...}: the name may hold spaces, so it is what lies between the outer brackets. */
    private static String comm(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** utime (field 14) + stime (field 15), counted from the field after the name. */
    private static double cpuMs(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MS_PER_TICK;
    }
}
