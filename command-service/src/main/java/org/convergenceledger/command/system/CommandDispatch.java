package org.convergenceledger.command.system;

import org.convergenceledger.web.Correlation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.convergenceledger.events.LedgerMetadata;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends a command received over HTTP with its envelope (who: the authenticated caller and its key id; when it
 * happened; idempotency key) and answers it.
 * Every command runs in a batch of {@link GroupCommit} (its own savepoint of a transaction shared with the commands
 * that arrived meanwhile), and its answer is given once that batch has committed.
 * With an Idempotency-Key, the key is claimed first, then the command runs and its answer is stored, all in the
 * command's savepoint: a retry of the same request gets the first answer and stores nothing, a copy racing it
 * (queued behind it) too, without ever running the command; a refused command releases the key with its rollback.
 */
@Component
public class CommandDispatch {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String OCCURRED_AT_HEADER = "Occurred-At";
    /** Present on a fact dated inside a closed reporting period: why it is recorded all the same. */
    public static final String CORRECTION_HEADER = "Correction-Reason";
    private static final String KEY_PATTERN = "[A-Za-z0-9._:-]{1,200}";

    private final CommandGateway commandGateway;
    private final JdbcTemplate jdbc;
    private final GroupCommit groupCommit;
    private final ObjectMapper json;
    private final CommandTargets targets;
    private final CommandMeters meters;

    CommandDispatch(CommandGateway commandGateway, JdbcTemplate jdbc, GroupCommit groupCommit, ObjectMapper json,
                    CommandTargets targets, CommandMeters meters) {
        this.commandGateway = commandGateway;
        this.jdbc = jdbc;
        this.groupCommit = groupCommit;
        this.json = json;
        this.targets = targets;
        this.meters = meters;
    }

    /** The answer to a command, as stored for an idempotent retry: status, JSON body, and for a creation where. */
    public record Answer(int status, JsonNode body, URI location) {
    }

    /**
     * @param request  the HTTP request, for its headers and path
     * @param body     the request body as received, fingerprinted with the path for idempotency
     * @param command  the command to send
     * @param answer   turns the command handler's result into the answer
     */
    public ResponseEntity<JsonNode> dispatch(HttpServletRequest request, Object body, Object command,
                                             Function<Object, CommandOutcome> answer) {
        return toResponse(counted(command, () -> groupCommit.run(target(command), work(caller(),
                new Sent(request.getHeader(IDEMPOTENCY_KEY), request.getHeader(OCCURRED_AT_HEADER),
                        request.getHeader(CORRECTION_HEADER)),
                request.getMethod() + " " + request.getRequestURI(), body, command, answer))));
    }

    /**
     * What the sender says of a command beside the command itself, whatever carried it: its idempotency key, when
     * the fact happened, and for a correction of a closed reporting period, why (all optional).
     */
    public record Sent(String idempotencyKey, String occurredAt, String correctionReason) {
    }

    /**
     * The one way a command is sent, whatever carried it (HTTP, Kafka): with the caller's envelope, and with an
     * idempotency key claimed first, the command run and its answer stored in one transaction.
     *
     * @param target what the request addressed (method and path, or the Kafka topic), fingerprinted with the body
     */
    public Answer dispatch(Caller caller, String sentKey, String occurredAt, String target, Object body,
                           Object command, Function<Object, CommandOutcome> answer) {
        return counted(command, () -> groupCommit.run(target(command), work(caller,
                new Sent(sentKey, occurredAt, null), target, body, command, answer)));
    }

    /**
     * The same, without waiting: the answer comes once the command's batch has committed. Commands submitted one
     * after the other run in that order (Kafka ingestion submits a partition's messages so, and they share batches).
     */
    public CompletableFuture<Answer> submit(Caller caller, Sent sent, String target, Object body, Object command,
                                            Function<Object, CommandOutcome> answer) {
        CompletableFuture<Answer> answered = counted(command, () -> groupCommit.submit(target(command),
                work(caller, sent, target, body, command, answer)), false);
        answered.whenComplete((done, failure) -> {
            if (failure == null) {
                meters.accepted(command);
            } else {
                meters.refusedOrFailed(command, failure);
            }
        });
        return answered;
    }

    /** Runs the command's dispatch and counts what became of it (CommandMeters). */
    private <T> T counted(Object command, Supplier<T> dispatched) {
        return counted(command, dispatched, true);
    }

    /** The same; only a refusal is counted when the answer is still to come (a future). */
    private <T> T counted(Object command, Supplier<T> dispatched, boolean answered) {
        try {
            T answer = dispatched.get();
            if (answered) {
                meters.accepted(command);
            }
            return answer;
        } catch (RuntimeException failure) {
            meters.refusedOrFailed(command, failure);
            throw failure;
        }
    }

    /** The aggregate the command addresses (its @TargetAggregateIdentifier), which picks its group-commit lane. */
    private String target(Object command) {
        return targets.identifierOf(command);
    }

    /**
     * What runs in the command's savepoint; the envelope and the fingerprint are made by the sender's thread, and the
     * work runs under the sender's correlation id on the lane's thread.
     */
    private Supplier<Answer> work(Caller caller, Sent sent, String target, Object body, Object command,
                                  Function<Object, CommandOutcome> answer) {
        MetaData envelope = envelope(caller, sent);
        return Correlation.carried((String) envelope.get(LedgerMetadata.CORRELATION_ID),
                uncorrelatedWork(caller, sent, target, body, command, answer, envelope));
    }

    private Supplier<Answer> uncorrelatedWork(Caller caller, Sent sent, String target, Object body, Object command,
                                              Function<Object, CommandOutcome> answer, MetaData envelope) {
        if (sent.idempotencyKey() == null) {
            return () -> toAnswer(answer.apply(send(command, envelope)));
        }
        // Each sender's keys are its own: the same key from two agencies is two requests.
        String key = caller.recordedAs() + "/" + sent.idempotencyKey();
        // The same body sent as a correction (or with another reason) is another request.
        String fingerprint = fingerprint(sent.correctionReason() == null ? target
                : target + " correction: " + sent.correctionReason(), body);
        // Claimed first, in the command's own savepoint of its batch: no read before. A copy of the request in the
        // same or a later batch finds the claim (with the answer stored beside it) and is given that answer; a
        // refused command releases the claim with its savepoint.
        return () -> {
            int claimed = jdbc.update("INSERT INTO idempotent_request (idempotency_key, request_hash, "
                    + "response_status, response_body) VALUES (?, ?, 0, '') ON CONFLICT DO NOTHING", key, fingerprint);
            if (claimed == 0) {
                return earlierAnswer(key, fingerprint).orElseThrow(() ->
                        new IllegalStateException("idempotency key " + key + " claimed but not found"));
            }
            CommandOutcome result = answer.apply(send(command, envelope));
            jdbc.update("UPDATE idempotent_request SET response_status = ?, response_body = ?, location = ? "
                            + "WHERE idempotency_key = ?", result.status(), write(result.body()),
                    result.location() == null ? null : result.location().toString(), key);
            return toAnswer(result);
        };
    }

    /**
     * Sends a command whose answer must not be stored for replay (it carries a secret): refused with an
     * Idempotency-Key, otherwise sent with the caller's envelope like any other.
     */
    public Object sendOnce(HttpServletRequest request, Object command) {
        if (request.getHeader(IDEMPOTENCY_KEY) != null) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation(IDEMPOTENCY_KEY,
                    "not accepted here: the answer holds a secret that is shown once and never stored")));
        }
        MetaData envelope = envelope(caller(), new Sent(null, request.getHeader(OCCURRED_AT_HEADER), null));
        return counted(command, () -> groupCommit.run(target(command), Correlation.carried(
                (String) envelope.get(LedgerMetadata.CORRELATION_ID), () -> send(command, envelope))));
    }

    // Every endpoint that reaches here requires a role (see SecurityConfiguration), so a caller is always there.
    private static Caller caller() {
        return Caller.current().orElseThrow(() -> new IllegalStateException("a command without an authenticated caller"));
    }

    private Object send(Object command, MetaData envelope) {
        return commandGateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(envelope));
    }

    private Optional<Answer> earlierAnswer(String key, String fingerprint) {
        List<Answer> found = jdbc.query(
                "SELECT request_hash, response_status, response_body, location FROM idempotent_request "
                        + "WHERE idempotency_key = ?",
                (row, n) -> {
                    if (!row.getString("request_hash").equals(fingerprint)) {
                        throw new IdempotencyKeyReused(key);
                    }
                    String location = row.getString("location");
                    return new Answer(row.getInt("response_status"), read(row.getString("response_body")),
                            location == null ? null : URI.create(location));
                }, key);
        return found.stream().findFirst();
    }

    private static MetaData envelope(Caller caller, Sent sent) {
        Map<String, Object> entries = new HashMap<>();
        entries.put(LedgerMetadata.RECORDED_BY, caller.recordedAs());
        entries.put(LedgerMetadata.KEY_ID, caller.keyId());
        entries.put(LedgerMetadata.OCCURRED_AT, occurredAt(sent.occurredAt()));
        // Tracing, beside the facts: the events keep it in their metadata, outside their hash.
        entries.put(LedgerMetadata.CORRELATION_ID, Correlation.currentOrNew());
        if (sent.correctionReason() != null) {
            String reason = sent.correctionReason().strip();
            if (reason.isEmpty() || reason.length() > 2000) {
                throw new InvalidInput(List.of(new InvalidInput.FieldViolation(CORRECTION_HEADER,
                        "must say why the correction is made, at most 2000 characters")));
            }
            entries.put(LedgerMetadata.CORRECTION, "true");
            entries.put(LedgerMetadata.CORRECTION_REASON, reason);
        }
        String key = sent.idempotencyKey();
        if (key != null) {
            if (!key.matches(KEY_PATTERN)) {
                throw new InvalidInput(List.of(new InvalidInput.FieldViolation(IDEMPOTENCY_KEY,
                        "must be 1 to 200 letters, digits or . _ : -")));
            }
            entries.put(LedgerMetadata.IDEMPOTENCY_KEY, key);
        }
        return MetaData.from(entries);
    }

    private static String occurredAt(String header) {
        if (header == null) {
            return Instant.now().toString();
        }
        try {
            return Instant.parse(header).toString();
        } catch (DateTimeParseException e) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation(OCCURRED_AT_HEADER,
                    "must be a UTC instant such as 2024-03-01T09:00:00Z")));
        }
    }

    private String fingerprint(String target, Object body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(target.getBytes(StandardCharsets.UTF_8));
            sha256.update(json.writeValueAsBytes(body));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint the request", e);
        }
    }

    private Answer toAnswer(CommandOutcome outcome) {
        return new Answer(outcome.status(), json.valueToTree(outcome.body()), outcome.location());
    }

    private static ResponseEntity<JsonNode> toResponse(Answer answer) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(answer.status())
                .contentType(MediaType.APPLICATION_JSON);
        if (answer.location() != null) {
            builder.location(answer.location());
        }
        return builder.body(answer.body());
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store the answer", e);
        }
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored answer is not JSON", e);
        }
    }
}
