package org.convergenceledger.benchmark;

import java.io.PrintStream;
import java.util.function.Predicate;

/**
 * The programs' common start: parse the command line (2 on bad arguments), print the usage for --help, run, and map
 * what ends a run to the exit status (0 done, 1 system unreachable or broken).
 */
final class Launch {

    private static final PrintStream OUT = System.out;

    interface Parser<O> {
        O parse(String[] args) throws Options.BadArguments;
    }

    interface Program<O> {
        void run(O options) throws Exception;
    }

    /**
     * @param name  the program's name in its messages, e.g. "convergence benchmark"
     * @param help  whether the parsed options ask for the usage
     */
    static <O> void main(String name, String[] args, Parser<O> parser, Predicate<O> help, String usage,
                         Program<O> program) {
        O options;
        try {
            options = parser.parse(args);
        } catch (Options.BadArguments e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println(name + ": --help lists the options");
            System.exit(2);
            return;
        }
        if (help.test(options)) {
            OUT.print(usage);
            return;
        }
        try {
            try {
                program.run(options);
            } catch (IllegalStateException e) {
                // a worker thread of a phase (Phase) that found the system gone
                if (e.getCause() instanceof Fatal fatal) {
                    throw fatal;
                }
                throw e;
            }
        } catch (Fatal e) {
            OUT.flush();
            System.err.println();
            System.err.println(name + ": " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            System.err.println(name + ": interrupted");
            System.exit(1);
        } catch (Exception e) {
            OUT.flush();
            System.err.println(name + ": failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the HttpClient's threads are not daemons everywhere; do not wait for them
    }

    private Launch() {
    }
}
