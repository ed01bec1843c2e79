package org.convergenceledger.command.ingestion;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.convergenceledger.command.access.BrokerLogins;
import org.convergenceledger.command.system.Caller;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.CommandOutcome;
import org.convergenceledger.command.system.Problems;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.web.Correlation;
import org.springframework.http.HttpStatus;

/**
 * Turns an agency's message into a command on the one dispatch path HTTP uses. The topic names the sender (the
 * broker lets only agency-&lt;CODE&gt; write ledger.commands.&lt;CODE&gt;); a revoked login's messages still waiting
 * are refused; the coordinators' topic speaks for that role.
 */
final class AgencyCommands {

    private final String topicPrefix;
    private final BrokerLogins logins;
    private final CommandDispatch dispatch;
    private final ObjectMapper json;

    AgencyCommands(String topicPrefix, BrokerLogins logins, CommandDispatch dispatch, ObjectMapper json) {
        this.topicPrefix = topicPrefix;
        this.logins = logins;
        this.dispatch = dispatch;
        this.json = json;
    }

    /**
     * Refuses at once what can be refused without the ledger; submits the rest to the group commit, under the
     * message's correlation id. Never throws: a failure is the future's.
     */
    CompletableFuture<Outcome> submit(ReceivedCommand command) {
        try (Correlation.Scope scope = Correlation.open(command.correlationId())) {
            return submitted(command);
        } catch (RuntimeException failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    private CompletableFuture<Outcome> submitted(ReceivedCommand command) {
        String topic = command.record().topic();
        String agency = topic.substring(topicPrefix.length());
        Optional<Instant> revoked = logins.revokedAt(agency);
        if (revoked.isPresent()) {
            return CompletableFuture.completedFuture(Outcome.rejected(command, Problems.problem(
                    HttpStatus.UNAUTHORIZED, "unauthenticated", "Login revoked", "the Kafka login of " + agency
                            + " was revoked at " + revoked.get() + ": its messages are no longer taken")));
        }
        // The coordinators' topic (ledger.commands.COORDINATOR; no agency may bear that code) speaks for the role.
        Caller caller = AccessRole.COORDINATOR.name().equals(agency)
                ? new Caller("kafka:" + BrokerLogins.username(agency), AccessRole.COORDINATOR, null)
                : new Caller("kafka:" + BrokerLogins.username(agency), AccessRole.AGENCY, agency);
        CommandMessages.Parsed parsed;
        try {
            parsed = CommandMessages.parse(command.record().key(), command.record().value(), json);
        } catch (IOException unreadable) {
            return CompletableFuture.completedFuture(Outcome.rejected(command, Problems.malformed(unreadable)));
        }
        boolean proposal = parsed.command() instanceof ProposeActivity;
        CommandDispatch.Sent sent = new CommandDispatch.Sent(command.idempotencyKey(),
                command.header(ReceivedCommand.OCCURRED_AT), command.header(ReceivedCommand.CORRECTION_REASON));
        return dispatch.submit(caller, sent, "KAFKA " + topic + " " + parsed.type(), parsed.body(), parsed.command(),
                        result -> proposal
                                ? CommandOutcome.created(URI.create("/api/activities/" + parsed.target()),
                                        Map.of("activityId", parsed.target(), "version", 0L))
                                : CommandOutcome.ok(Map.of("activityId", parsed.target(), "version", result)))
                .thenApply(answer -> Outcome.accepted(command, parsed.target(),
                        answer.body().path("version").asLong()));
    }
}
