package org.convergenceledger.command.system;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.convergenceledger.web.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The one error format of the command service, RFC 7807 problem details, for whatever carried the command: the
 * HTTP advice answers with these, the Kafka ingestion publishes them as results and dead-letter reasons.
 */
public final class Problems {

    private Problems() {
    }

    /** The problem a refused command amounts to; empty for a failure that is not the sender's (a fault, an outage). */
    public static Optional<ProblemDetail> describe(Throwable failure) {
        // An if-chain, not a pattern switch: the baseline is Java 17.
        ProblemDetail problem = null;
        if (failure instanceof InvalidInput invalid) {
            problem = invalid(invalid);
        } else if (failure instanceof TransitionRefused refused) {
            problem = refused(refused);
        } else if (failure instanceof NotPermitted notPermitted) {
            problem = notPermitted(notPermitted);
        } else if (failure instanceof NotFound missing) {
            problem = notFound(missing);
        } else if (failure instanceof AggregateNotFoundException missing) {
            problem = notFound(missing);
        } else if (failure instanceof ConflictingAggregateVersionException conflict) {
            problem = staleVersion(conflict);
        } else if (failure instanceof AggregateStreamCreationException exists) {
            problem = alreadyExists(exists);
        } else if (failure instanceof ConcurrencyException conflict) {
            problem = concurrentChange(conflict);
        } else if (failure instanceof IdempotencyKeyReused reused) {
            problem = keyReused(reused);
        } else if (failure instanceof JsonMappingException || failure instanceof JsonParseException) {
            problem = malformed(failure);
        }
        return Optional.ofNullable(problem);
    }

    static ProblemDetail invalid(InvalidInput invalid) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input",
                invalid.getMessage());
        problem.setProperty("errors", invalid.violations());
        return problem;
    }

    static ProblemDetail refused(TransitionRefused refused) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, refused.code(), refused.title(), refused.getMessage());
        problem.setProperty("currentState", refused.currentState());
        refused.details().forEach(problem::setProperty);
        return problem;
    }

    static ProblemDetail notPermitted(NotPermitted refused) {
        return problem(HttpStatus.FORBIDDEN, "not-permitted", "Not permitted for this agency", refused.getMessage());
    }

    static ProblemDetail notFound(NotFound missing) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "not-found", "Unknown " + missing.kind(),
                missing.getMessage());
        problem.setProperty(missing.kind() + "Id", missing.id());
        return problem;
    }

    static ProblemDetail notFound(AggregateNotFoundException missing) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "not-found", "Unknown activity",
                "No activity " + missing.getAggregateIdentifier() + " in the ledger");
        problem.setProperty("activityId", missing.getAggregateIdentifier());
        return problem;
    }

    static ProblemDetail staleVersion(ConflictingAggregateVersionException conflict) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "version-conflict", "Changed since you read it",
                "Expected version " + conflict.getExpectedVersion() + " but the activity is at version "
                        + conflict.getActualVersion());
        problem.setProperty("expectedVersion", conflict.getExpectedVersion());
        problem.setProperty("currentVersion", conflict.getActualVersion());
        return problem;
    }

    static ProblemDetail alreadyExists(AggregateStreamCreationException exists) {
        return problem(HttpStatus.CONFLICT, "already-exists", "Already in the ledger",
                "This identifier is already used in the ledger; choose another or act on the existing one");
    }

    static ProblemDetail concurrentChange(ConcurrencyException conflict) {
        return problem(HttpStatus.CONFLICT, "concurrent-change", "Concurrent change",
                "Another change to the same activity was stored at the same moment; read it and retry");
    }

    static ProblemDetail keyReused(IdempotencyKeyReused reused) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency key reused",
                reused.getMessage());
    }

    /** Malformed JSON, unknown fields, wrong types, impossible dates: named by their path in the body. */
    public static ProblemDetail malformed(Throwable cause) {
        String field = cause instanceof JsonMappingException mapping ? path(mapping) : "body";
        String message;
        if (cause instanceof UnrecognizedPropertyException unknown) {
            field = path(unknown);
            message = "unknown field; known fields are " + unknown.getKnownPropertyIds();
        } else if (cause instanceof InvalidFormatException format) {
            message = "cannot read " + quote(format.getValue()) + " as " + typeName(format.getTargetType());
        } else if (cause instanceof MismatchedInputException mismatch) {
            message = "expected " + typeName(mismatch.getTargetType());
        } else if (cause instanceof StreamConstraintsException) {
            message = "nested too deeply or too large";
        } else if (cause instanceof JsonParseException) {
            message = "not well-formed JSON";
        } else if (cause instanceof JsonMappingException mapping && mapping.getCause() != null) {
            message = rootMessage(mapping);
        } else if (cause instanceof JsonMappingException mapping) {
            message = mapping.getOriginalMessage();
        } else {
            message = "a JSON body is required";
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                field + ": " + message);
        problem.setProperty("errors", List.of(new InvalidInput.FieldViolation(field, message)));
        return problem;
    }


    /** Writes a problem straight to a servlet response, for what answers before MVC (see ProblemResponses). */
    public static void write(ObjectMapper json, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        ProblemResponses.write(json, response, problem);
    }

    public static ProblemDetail problem(HttpStatus status, String code, String title, String detail) {
        return ProblemResponses.problem(status, code, title, detail);
    }

    private static String path(JsonMappingException mapping) {
        String path = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return path.isEmpty() ? "body" : path.startsWith(".") ? path.substring(1) : path;
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        return switch (type.getSimpleName()) {
            case "LocalDate" -> "an ISO date (yyyy-MM-dd) that exists";
            case "Instant" -> "a UTC instant";
            case "BigDecimal" -> "a decimal number";
            case "String" -> "a string";
            case "List", "ArrayList", "Set", "HashSet", "LinkedHashSet" -> "an array";
            case "long", "Long", "int", "Integer" -> "a whole number";
            default -> type.isEnum() ? "one of " + List.of(type.getEnumConstants()) : "an object ("
                    + type.getSimpleName() + ")";
        };
    }

    private static String quote(Object value) {
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().lines()
                .findFirst().orElse("");
    }
}
