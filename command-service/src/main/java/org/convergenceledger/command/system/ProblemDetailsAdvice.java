package org.convergenceledger.command.system;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one error format of the command service, RFC 7807 problem details: 400 malformed or invalid (every bad field
 * named), 404 unknown activity, 409 refused transition or concurrent change (with the current state or version),
 * 403 an authenticated caller acting on what is not theirs, 422 an idempotency key reused for another request. Bad input never becomes a 500.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(InvalidInput.class)
    ProblemDetail invalid(InvalidInput invalid) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input",
                invalid.getMessage());
        problem.setProperty("errors", invalid.violations());
        return problem;
    }

    @ExceptionHandler(TransitionRefused.class)
    ProblemDetail refused(TransitionRefused refused) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, refused.code(), "Refused by the activity's state",
                refused.getMessage());
        problem.setProperty("currentState", refused.currentState());
        return problem;
    }

    @ExceptionHandler(NotPermitted.class)
    ProblemDetail notPermitted(NotPermitted refused) {
        return problem(HttpStatus.FORBIDDEN, "not-permitted", "Not permitted for this agency", refused.getMessage());
    }

    @ExceptionHandler(NotFound.class)
    ProblemDetail notFound(NotFound missing) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "not-found", "Unknown " + missing.kind(),
                missing.getMessage());
        problem.setProperty(missing.kind() + "Id", missing.id());
        return problem;
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail notFound(AggregateNotFoundException missing) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "not-found", "Unknown activity",
                "No activity " + missing.getAggregateIdentifier() + " in the ledger");
        problem.setProperty("activityId", missing.getAggregateIdentifier());
        return problem;
    }

    @ExceptionHandler(ConflictingAggregateVersionException.class)
    ProblemDetail staleVersion(ConflictingAggregateVersionException conflict) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "version-conflict", "Changed since you read it",
                "Expected version " + conflict.getExpectedVersion() + " but the activity is at version "
                        + conflict.getActualVersion());
        problem.setProperty("expectedVersion", conflict.getExpectedVersion());
        problem.setProperty("currentVersion", conflict.getActualVersion());
        return problem;
    }

    @ExceptionHandler(AggregateStreamCreationException.class)
    ProblemDetail alreadyExists(AggregateStreamCreationException exists) {
        return problem(HttpStatus.CONFLICT, "already-exists", "Already in the ledger",
                "This identifier is already used in the ledger; choose another or act on the existing one");
    }

    @ExceptionHandler(ConcurrencyException.class)
    ProblemDetail concurrentChange(ConcurrencyException conflict) {
        return problem(HttpStatus.CONFLICT, "concurrent-change", "Concurrent change",
                "Another change to the same activity was stored at the same moment; read it and retry");
    }

    @ExceptionHandler(IdempotencyKeyReused.class)
    ProblemDetail keyReused(IdempotencyKeyReused reused) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency key reused",
                reused.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception failure) {
        log.error("Unexpected failure", failure);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The ledger could not handle this request; nothing was stored");
    }

    /** Malformed JSON, unknown fields, wrong types, impossible dates: named by their path in the body. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException unreadable,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        Throwable cause = unreadable.getCause();
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
        } else {
            message = "a JSON body is required";
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                field + ": " + message);
        problem.setProperty("errors", List.of(new InvalidInput.FieldViolation(field, message)));
        return ResponseEntity.badRequest().body(problem);
    }

    static ProblemDetail problem(HttpStatus status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("/problems/" + code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        return problem;
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
            case "List" -> "an array";
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
