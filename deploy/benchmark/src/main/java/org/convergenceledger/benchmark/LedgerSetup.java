package org.convergenceledger.benchmark;

import static org.convergenceledger.benchmark.Report.firstLine;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the programs that load the convergence portfolio (Workload) do before measuring: check that both services
 * answer and report the positions a catch-up needs, and register the 12 agencies and the six axes.
 */
final class LedgerSetup {

    private static final PrintStream OUT = System.out;

    private LedgerSetup() {
    }

    /**
     * Fails with one message naming every part of the system that does not answer, or the health detail missing;
     * prints the database server's settings (the first database that answers).
     *
     * @param projections the query projections whose position the program reads
     */
    static void preflight(LedgerHttp http, CatchUp catchUp, String commandUrl, String queryUrl,
                          List<String> projections, RawInsert... databases) throws Fatal, InterruptedException {
        List<String> problems = new ArrayList<>();
        http.checkHealth("command-service", commandUrl, problems);
        http.checkHealth("query-service", queryUrl, problems);
        if (!problems.isEmpty()) {
            throw new Fatal("the system is not reachable, nothing was measured:\n  - "
                    + String.join("\n  - ", problems)
                    + "\nStart it with `deploy/local.sh start` (it returns once both services are healthy), or point "
                    + "--command-url and --query-url at the running system.");
        }
        if (catchUp.storeHead() == null) {
            throw new Fatal("the command service's health has no publishing.storeHead: this benchmark needs it to "
                    + "know when the query side has caught up");
        }
        for (String projection : projections) {
            if (!catchUp.appliedByProjection().containsKey(projection)) {
                throw new Fatal("the query service's health has no projectionLag." + projection
                        + ".lastAppliedGlobalSequence");
            }
        }
        OUT.println("preflight        both services answer UP");
        String server = null;
        String problem = null;
        for (RawInsert database : databases) {
            try {
                server = database.serverSettings();
                break;
            } catch (SQLException e) {
                problem = problem != null ? problem : firstLine(e.getMessage());
            }
        }
        OUT.println("database server  " + (server != null ? server : "(not readable: " + problem + ")"));
    }

    /** The agencies BENCHA…BENCHL and the six axes: created, or there already (409). */
    static void registerPortfolio(LedgerHttp http) throws Fatal, InterruptedException {
        try {
            for (int i = 0; i < Workload.AGENCY_CODES.size(); i++) {
                String code = Workload.AGENCY_CODES.get(i);
                requireCreatedOrExists("register agency " + code, http.registerAgency(code,
                        "Benchmark agency " + (char) ('A' + i), "PUBLIC_AGENCY"));
            }
            for (Map.Entry<String, String> axis : Workload.AXES.entrySet()) {
                requireCreatedOrExists("define axis " + axis.getKey(), http.defineAxis(axis.getKey(), axis.getValue()));
            }
        } catch (IOException e) {
            throw new Fatal("setting up the benchmark agencies and axes failed: " + e);
        }
        OUT.println("set-up           agencies " + String.join(", ", Workload.AGENCY_CODES) + " and axes "
                + String.join(", ", Workload.AXES.keySet()) + " present");
    }

    static void requireCreatedOrExists(String what, LedgerHttp.Reply reply) throws Fatal {
        if (reply.status() != 201 && reply.status() != 409 && reply.status() != 200) {
            throw new Fatal(what + ": the command service answered " + reply.status() + ": "
                    + firstLine(reply.body()));
        }
    }
}
