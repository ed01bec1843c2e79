package org.convergenceledger.benchmark;

/** The programs' start and end: exit status 0 when the run completed, 1 system unreachable or broken, 2 bad usage. */
final class Launch {

    interface Program {
        void run(Options options) throws Exception;
    }

    static void main(String name, String[] args, Options options, Program program) {
        int status = 0;
        try {
            options.parse(args);
            if (options.help) {
                System.out.print(options.usage());
            } else {
                program.run(options);
            }
        } catch (Options.BadArguments e) {
            System.err.println(name + ": " + e.getMessage() + "\n" + name + ": --help lists the options");
            status = 2;
        } catch (Exception e) {
            // a worker thread that failed (the system gone) ends its phase with what it met as the cause
            Throwable cause = e instanceof IllegalStateException && e.getCause() != null ? e.getCause() : e;
            System.out.flush();
            System.err.println("\n" + name + ": " + (cause instanceof Fatal ? cause.getMessage() : "failed: " + cause));
            if (cause instanceof RuntimeException) {
                cause.printStackTrace(); // a bug, not the system
            }
            status = 1;
        }
        System.exit(status); // the HttpClient's threads are not daemons everywhere: do not wait for them
    }
}
