package org.convergenceledger.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedException;

/** The one error format, problem+json with a {@code code}, for both services: made here, and written here for what
 * answers before MVC (the security filters, the firewall, the error page). */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static ProblemDetail problem(HttpStatus status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("/problems/" + code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        return problem;
    }

    /** Writes the problem straight to a servlet response; a 401 also names the scheme to use. */
    public static void write(ObjectMapper json, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (problem.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        json.writeValue(response.getOutputStream(), problem);
    }

    /**
     * The firewall's refusal. A path is checked before any filter runs; a header only when it is read, which can be
     * deep in Spring MVC (reading a body reads every header), so a service's exception advice answers it too.
     */
    public static ProblemDetail rejected(RequestRejectedException rejected) {
        return problem(HttpStatus.BAD_REQUEST, "rejected-request", "Request refused",
                "the request's path or headers are not acceptable: " + rejected.getMessage());
    }
}
