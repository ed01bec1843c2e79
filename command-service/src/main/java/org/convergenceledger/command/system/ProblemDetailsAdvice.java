package org.convergenceledger.command.system;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.convergenceledger.web.ProblemResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one error format of the command service, RFC 7807 problem details: 400 malformed or invalid (every bad field
 * named), 404 unknown activity, 409 refused transition or concurrent change (with the current state or version),
 * 403 an authenticated caller acting on what is not theirs, 422 an idempotency key reused for another request.
 * Bad input never becomes a 500. The mapping itself is {@link Problems}, shared with the Kafka ingestion.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler({InvalidInput.class, TransitionRefused.class, NotPermitted.class, NotFound.class,
            AggregateNotFoundException.class, ConflictingAggregateVersionException.class,
            AggregateStreamCreationException.class, ConcurrencyException.class, IdempotencyKeyReused.class})
    ProblemDetail refused(Exception refused) {
        return Problems.describe(refused).orElseThrow();
    }

    @ExceptionHandler(LongReads.TooBusy.class)
    ResponseEntity<ProblemDetail> tooBusy(LongReads.TooBusy busy) {
        ProblemDetail problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-busy",
                "Too many long reads at once", busy.getMessage());
        problem.setProperty("retryAfterSeconds", busy.retryAfter().toSeconds());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(busy.retryAfter().toSeconds())).body(problem);
    }

    @ExceptionHandler(RequestRejectedException.class)
    ProblemDetail rejected(RequestRejectedException rejected) {
        return ProblemResponses.rejected(rejected);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception failure) {
        log.error("Unexpected failure", failure);
        return Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The ledger could not handle this request; nothing was stored");
    }

    /** Malformed JSON, unknown fields, wrong types, impossible dates: named by their path in the body. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException unreadable,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        return ResponseEntity.badRequest().body(Problems.malformed(unreadable.getCause()));
    }
}
