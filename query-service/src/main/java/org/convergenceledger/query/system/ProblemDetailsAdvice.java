package org.convergenceledger.query.system;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.convergenceledger.web.ProblemResponses;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every error of the query API as RFC 7807 problem details, naming the parameter or the unknown id. */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(int.class, Integer.class, long.class, Long.class);

    @ExceptionHandler(NotFound.class)
    ProblemDetail notFound(NotFound unknown) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, unknown.getMessage());
        problem.setTitle("Not found");
        return problem;
    }

    @ExceptionHandler(TooBusy.class)
    ResponseEntity<ProblemDetail> tooBusy(TooBusy busy) {
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.TOO_MANY_REQUESTS, "too-busy",
                "Too busy", busy.getMessage());
        problem.setProperty("retryAfterSeconds", busy.retryAfter().toSeconds());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(busy.retryAfter().toSeconds())).body(problem);
    }

    @ExceptionHandler(BadParameter.class)
    ProblemDetail badParameter(BadParameter bad) {
        return invalidParameter(bad.parameter(), bad.getMessage());
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException mismatch, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String parameter = mismatch instanceof MethodArgumentTypeMismatchException argument
                ? argument.getName() : mismatch.getPropertyName();
        Class<?> expected = mismatch.getRequiredType();
        String expectation;
        if (expected != null && expected.isEnum()) {
            expectation = "must be one of " + Arrays.stream(expected.getEnumConstants())
                    .map(Object::toString).collect(Collectors.joining(", "));
        } else if (expected != null && WHOLE_NUMBERS.contains(expected)) {
            expectation = "must be a whole number";
        } else {
            expectation = "has the wrong form";
        }
        return ResponseEntity.badRequest().body(invalidParameter(parameter,
                "Parameter '" + parameter + "' " + expectation + ", not '" + mismatch.getValue() + "'"));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException missing, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        return ResponseEntity.badRequest().body(invalidParameter(missing.getParameterName(),
                "Parameter '" + missing.getParameterName() + "' is required"));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException invalid, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        var firstInvalid = invalid.getParameterValidationResults().get(0);
        String parameter = firstInvalid.getMethodParameter().getParameterName();
        String reasons = firstInvalid.getResolvableErrors().stream()
                .map(MessageSourceResolvable::getDefaultMessage)
                .collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().body(
                invalidParameter(parameter, "Parameter '" + parameter + "' " + reasons));
    }

    private static ProblemDetail invalidParameter(String parameter, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid parameter");
        problem.setProperty("parameter", parameter);
        return problem;
    }
}
