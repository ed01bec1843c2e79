package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.convergenceledger.command.system.Caller;
import org.convergenceledger.command.system.AggregateCache;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.CommandOutcome;
import org.convergenceledger.command.system.GroupCommit;
import org.convergenceledger.command.system.Problems;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.activity.CommitActivity;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.activity.StartActivity;
import org.convergenceledger.events.common.Money;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Group commit against the real PostgreSQL: commands queued while their lane is busy share one transaction (one
 * batch of the service's batch-size meter per lane), a command refused by its rules, a second proposal under one id and a stale
 * If-Match each fail alone, two commands on one activity apply in order in one batch; a batch whose commit fails is
 * run again command by command, and what the failed batch left in the caches (activities, last hashes) is
 * forgotten, so the hash chain stays intact; a restarted service starts with no cached activity and loads from the
 * store; a command that failed on a remembered activity another instance had changed runs once more on the stored
 * one (without that second attempt, the start below is refused: checked by hand, 2026-11-30).
 */
class GroupCommitIT {

    private static LedgerSystem system;
    private static GroupCommit groupCommit;
    private static CommandDispatch dispatch;
    private static ObjectMapper json;
    private static JdbcTemplate store;
    private static final Caller ANAPEC = new Caller("group-commit-it", AccessRole.AGENCY, "ANAPEC");

    @BeforeAll
    static void startTheLedger() {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        groupCommit = system.commandBean(GroupCommit.class);
        dispatch = system.commandBean(CommandDispatch.class);
        json = system.commandBean(ObjectMapper.class);
        store = system.commandDatabase();
    }

    @Test
    void commandsQueuedTogetherCommitOnceAndARefusedOneFailsAlone() throws Exception {
        String first = Ledger.newActivityId("ANAPEC", "BATCH");
        String second = Ledger.newActivityId("ANAPEC", "BATCH");
        String refused = Ledger.newActivityId("ANAPEC", "BATCH-REFUSED");
        Map<String, Object> badPlan = new HashMap<>(Ledger.proposal(refused, "ANAPEC"));
        badPlan.put("axes", List.of("NO_SUCH_AXIS"));

        DistributionSummary batches = system.commandBean(MeterRegistry.class).get("ledger.commands.batch.size")
                .summary();
        long batchesBefore = batches.count();
        double commandsBefore = batches.totalAmount();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holding = holdTheDispatcher(release);
        List<CompletableFuture<CommandDispatch.Answer>> sent = new ArrayList<>();
        sent.add(send(propose(Ledger.proposal(first, "ANAPEC"))));                        // 0: accepted
        sent.add(send(propose(badPlan)));                                                 // 1: refused by the rules
        sent.add(send(propose(Ledger.proposal(first, "ANAPEC"))));                        // 2: the id is taken
        sent.add(send(commit(first, null)));                                              // 3: same activity, after 0
        sent.add(send(commit(first, 0L)));                                                // 4: stale If-Match
        sent.add(send(propose(Ledger.proposal(second, "ANAPEC"))));                       // 5: accepted
        release.countDown();
        holding.get(30, TimeUnit.SECONDS);

        assertThat(sent.get(0).get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        assertThat(statusOfFailure(sent.get(1))).isEqualTo(400);
        assertThat(statusOfFailure(sent.get(2))).isEqualTo(409);
        assertThat(sent.get(3).get().body().path("version").asLong()).isEqualTo(1);
        assertThat(statusOfFailure(sent.get(4))).isEqualTo(409);
        assertThat(sent.get(5).get().status()).isEqualTo(201);

        // The lanes' holding batches, then one batch per lane for the six commands (an activity's lane is fixed).
        long lanesUsed = java.util.stream.Stream.of(first, second, refused).map(groupCommit::laneOf).distinct().count();
        assertThat(batches.count() - batchesBefore).isEqualTo(groupCommit.lanes() + lanesUsed);
        assertThat(batches.totalAmount() - commandsBefore).isEqualTo(groupCommit.lanes() + 6);
        assertThat(store.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                Long.class, first)).isEqualTo(2);
        assertThat(store.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                Long.class, refused)).isZero();
        assertChainIntact(first);
    }

    @Test
    void aBatchWhoseCommitFailsIsRunAgainCommandByCommandAndForgetsWhatItCached() throws Exception {
        // A table whose unique constraint is checked at commit: two equal rows make that batch's commit fail.
        store.execute("CREATE TABLE IF NOT EXISTS group_commit_refusal (x int UNIQUE DEFERRABLE INITIALLY DEFERRED)");
        store.execute("TRUNCATE group_commit_refusal");
        String activity = Ledger.newActivityId("ANAPEC", "RERUN");

        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holding = holdTheDispatcher(release);
        CompletableFuture<CommandDispatch.Answer> proposed = send(propose(Ledger.proposal(activity, "ANAPEC")));
        CompletableFuture<Integer> doomed = groupCommit.submit(activity, () ->
                store.update("INSERT INTO group_commit_refusal VALUES (1), (1)"));
        release.countDown();
        holding.get(30, TimeUnit.SECONDS);

        // Run again alone, the proposal commits; the doomed work fails on its own commit.
        assertThat(proposed.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        assertThat(doomed).failsWithin(30, TimeUnit.SECONDS);
        assertThat(store.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                Long.class, activity)).isEqualTo(1);

        // The next command chains to the event that was stored, not to the one of the batch that was not.
        CommandDispatch.Answer committed = dispatch.dispatch(ANAPEC, null, null, "test", Map.of(),
                commit(activity, null), version -> CommandOutcome.ok(Map.of("version", version)));
        assertThat(committed.body().path("version").asLong()).isEqualTo(1);
        assertChainIntact(activity);
    }

    @Test
    void aRestartedServiceStartsWithNoCachedActivityAndReadsTheStore() throws Exception {
        String activity = Ledger.newActivityId("ANAPEC", "RESTART");
        assertThat(send(propose(Ledger.proposal(activity, "ANAPEC"))).get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        assertThat(send(commit(activity, null)).get(30, TimeUnit.SECONDS).body().path("version").asLong()).isEqualTo(1);
        assertThat(system.commandBean(AggregateCache.class).containsKey(activity)).isTrue();

        system.stopCommandService();
        system.startCommandServiceAgain();
        groupCommit = system.commandBean(GroupCommit.class);
        dispatch = system.commandBean(CommandDispatch.class);
        json = system.commandBean(ObjectMapper.class);
        store = system.commandDatabase();
        AggregateCache cache = system.commandBean(AggregateCache.class);
        assertThat(cache.containsKey(activity)).isFalse();

        // Loaded from the store, with its state and its version: a start after the commit is version 2 and chains on.
        CommandDispatch.Answer started = dispatch.dispatch(ANAPEC, null, null, "test", Map.of(),
                new StartActivity(activity, 1L, LocalDate.parse("2024-04-01")),
                version -> CommandOutcome.ok(Map.of("version", version)));
        assertThat(started.body().path("version").asLong()).isEqualTo(2);
        assertThat(cache.containsKey(activity)).isTrue();
        assertChainIntact(activity);
    }

    /**
     * What another instance of the service does to a remembered activity, made without its announcement: the cache
     * is put back to the activity as it was before a commitment. A start is then refused by the remembered state
     * (not committed) and a partner's joining conflicts with the stored sequence; both run once more on the stored
     * activity and are accepted, with the versions that follow the store's, and the chain stays intact.
     */
    @Test
    void aCommandThatFailedOnRememberedStateRunsOnceMoreOnTheStoredOne() throws Exception {
        AggregateCache cache = system.commandBean(AggregateCache.class);
        String refusedOnStale = Ledger.newActivityId("ANAPEC", "STALE");
        String conflictingOnStale = Ledger.newActivityId("ANAPEC", "STALE");
        for (String activity : List.of(refusedOnStale, conflictingOnStale)) {
            assertThat(send(propose(Ledger.proposal(activity, "ANAPEC"))).get(30, TimeUnit.SECONDS).status())
                    .isEqualTo(201);
            // The cache holds the live aggregate: kept aside, it is not the one the commitment (loaded from the
            // store) advances, as another instance's would not be either.
            Object beforeTheCommitment = cache.get(activity);
            assertThat(beforeTheCommitment).isNotNull();
            cache.remove(activity);
            assertThat(send(commit(activity, null)).get(30, TimeUnit.SECONDS).body().path("version").asLong())
                    .isEqualTo(1);
            cache.put(activity, beforeTheCommitment);
        }

        CommandDispatch.Answer started = dispatch.dispatch(ANAPEC, null, null, "test", Map.of(),
                new StartActivity(refusedOnStale, null, LocalDate.parse("2024-04-01")),
                version -> CommandOutcome.ok(Map.of("version", version)));
        CommandDispatch.Answer joined = dispatch.dispatch(ANAPEC, null, null, "test", Map.of(),
                new org.convergenceledger.events.activity.AddPartner(conflictingOnStale, null, "OFPPT",
                        org.convergenceledger.events.common.PartnerRole.IMPLEMENTING),
                version -> CommandOutcome.ok(Map.of("version", version)));

        assertThat(started.body().path("version").asLong()).isEqualTo(2);
        assertThat(joined.body().path("version").asLong()).isEqualTo(2);
        for (String activity : List.of(refusedOnStale, conflictingOnStale)) {
            assertThat(store.queryForList("SELECT sequencenumber FROM domainevententry WHERE aggregateidentifier = ?"
                    + " ORDER BY sequencenumber", Long.class, activity)).containsExactly(0L, 1L, 2L);
            assertChainIntact(activity);
        }
    }

    @Test
    void aStatementStuckInTheDatabaseIsCancelledAndTheRestOfItsBatchCommits() throws Exception {
        store.execute("CREATE OR REPLACE FUNCTION group_commit_stall() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN PERFORM pg_sleep(25); RETURN NEW; END $$");
        store.execute("DROP TRIGGER IF EXISTS group_commit_stall ON domainevententry");
        store.execute("CREATE TRIGGER group_commit_stall BEFORE INSERT ON domainevententry FOR EACH ROW "
                + "WHEN (NEW.aggregateidentifier LIKE 'ANAPEC:STUCK-%') EXECUTE FUNCTION group_commit_stall()");
        try {
            String stuck = Ledger.newActivityId("ANAPEC", "STUCK");
            String neighbour = Ledger.newActivityId("ANAPEC", "NEIGHBOUR");
            while (groupCommit.laneOf(neighbour) != groupCommit.laneOf(stuck)) {
                neighbour = Ledger.newActivityId("ANAPEC", "NEIGHBOUR");
            }
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> holding = holdTheDispatcher(release);
            CompletableFuture<CommandDispatch.Answer> first = send(propose(Ledger.proposal(stuck, "ANAPEC")));
            CompletableFuture<CommandDispatch.Answer> second = send(propose(Ledger.proposal(neighbour, "ANAPEC")));
            long released = System.nanoTime();
            release.countDown();
            holding.get(30, TimeUnit.SECONDS);

            // Cancelled by the lane's statement timeout (10 s), long before the trigger's 25 s: the neighbour, in the
            // same batch, is committed without waiting for it.
            assertThat(second.get(40, TimeUnit.SECONDS).status()).isEqualTo(201);
            assertThat(first).failsWithin(1, TimeUnit.SECONDS);
            assertThat((System.nanoTime() - released) / 1_000_000_000.0).isLessThan(20);
            assertThat(store.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                    Long.class, stuck)).isZero();
        } finally {
            store.execute("DROP TRIGGER IF EXISTS group_commit_stall ON domainevententry");
        }
    }

    /** Occupies every lane until released, so what is sent meanwhile queues and forms one batch per lane. */
    private static CompletableFuture<Void> holdTheDispatcher(CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(groupCommit.lanes());
        List<CompletableFuture<Object>> held = new ArrayList<>();
        for (int lane = 0; lane < groupCommit.lanes(); lane++) {
            held.add(groupCommit.submitToLane(lane, () -> {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
        }
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        return CompletableFuture.allOf(held.toArray(CompletableFuture[]::new));
    }

    private static CompletableFuture<CommandDispatch.Answer> send(Object command) {
        return dispatch.submit(ANAPEC, new CommandDispatch.Sent(null, null, null), "test", Map.of(), command, result -> result instanceof Long version
                ? CommandOutcome.ok(Map.of("version", version))
                : CommandOutcome.created(java.net.URI.create("/api/activities/x"), Map.of("version", 0L)));
    }

    private static ProposeActivity propose(Map<String, Object> body) {
        return json.convertValue(body, ProposeActivity.class);
    }

    private static CommitActivity commit(String activityId, Long expectedVersion) {
        return new CommitActivity(activityId, expectedVersion, new Money(new BigDecimal("1000000"), "MAD"),
                LocalDate.parse("2024-03-15"));
    }

    private static int statusOfFailure(CompletableFuture<?> answer) {
        try {
            answer.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException failed) {
            return Problems.describe(failed.getCause()).orElseThrow(() -> new AssertionError(
                    "not a refusal the sender is told about", failed.getCause())).getStatus();
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        } catch (CompletionException failed) {
            throw new AssertionError(failed);
        }
        throw new AssertionError("the command was accepted");
    }

    /** Each event's previousHash is the hash of the event before it, from the genesis hash on. */
    private static void assertChainIntact(String activityId) throws Exception {
        List<Map<String, Object>> events = store.queryForList("SELECT sequencenumber, metadata FROM domainevententry"
                + " WHERE aggregateidentifier = ? ORDER BY sequencenumber", activityId);
        String previous = "0".repeat(64);
        for (Map<String, Object> event : events) {
            var metadata = json.readTree((byte[]) event.get("metadata"));
            assertThat(metadata.path("previousHash").asText()).as("event %s", event.get("sequencenumber"))
                    .isEqualTo(previous);
            previous = metadata.path("hash").asText();
        }
        assertThat(events).isNotEmpty();
    }
}
