package org.convergenceledger.command.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.web.embedded.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What a hostile client meets before any controller: oversized bodies (413), paths with encoded slashes, dot
 * segments or parameters (Spring Security's firewall, 400), and whatever else the container refuses — all in the
 * one error format, problem+json, never an HTML page or Boot's default error JSON.
 */
@Configuration(proxyBeanMethods = false)
class HostileRequests {

    /** Commands are a few kilobytes; a megabyte is far beyond any honest one. */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    // Tomcat would refuse %2F itself with an HTML page; let it through to the firewall, which answers below.
    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }

    // What Tomcat refuses itself (a NUL in the path, a malformed request line) never reaches Spring: its host
    // reports it through this valve, as a problem instead of an HTML page.
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> containerErrorsAsProblems() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** Tomcat's error report, written as problem+json. Public with a no-argument constructor: Tomcat makes it. */
    public static class ProblemErrorReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable failure) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write("{\"type\":\"/problems/bad-request\",\"title\":\"Request refused\","
                        + "\"status\":" + status + ",\"detail\":\"the server refused the request before it reached "
                        + "the ledger (a malformed path or request line)\",\"code\":\"bad-request\"}");
            } catch (IOException | IllegalStateException ignored) {
                // the connection is gone: nothing to tell
            }
        }
    }

    @Bean
    RequestRejectedHandler rejectedRequests(ObjectMapper json) {
        return (request, response, rejected) -> Problems.write(json, response, rejected(rejected));
    }

    /**
     * The firewall's refusal as a problem. A path is checked before any filter runs; a header only when it is read,
     * which can be deep in Spring MVC (reading a body reads every header), so ProblemDetailsAdvice answers it too.
     */
    static ProblemDetail rejected(RequestRejectedException rejected) {
        return Problems.problem(HttpStatus.BAD_REQUEST, "rejected-request", "Request refused",
                "the request's path or headers are not acceptable: " + rejected.getMessage());
    }

    /** Refuses a declared body over the limit before reading a byte of it. */
    @Component
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class BodySizeLimit extends OncePerRequestFilter {

        private final ObjectMapper json;

        BodySizeLimit(ObjectMapper json) {
            this.json = json;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                Problems.write(json, response, Problems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large",
                        "Request body too large", "body: at most " + MAX_BODY_BYTES + " bytes, this one has "
                                + request.getContentLengthLong()));
                return;
            }
            // A body sent in chunks has no declared length: the JSON reader stops it at LedgerJson's limit.
            chain.doFilter(request, response);
        }
    }

    /** Whatever reaches the container's error page (an unknown path among them) answers as a problem too. */
    @RestController
    static class Errors implements ErrorController {

        @RequestMapping("/error")
        ProblemDetail error(HttpServletRequest request) {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            HttpStatus status = code instanceof Integer number && HttpStatus.resolve(number) != null
                    ? HttpStatus.valueOf(number) : HttpStatus.INTERNAL_SERVER_ERROR;
            return Problems.problem(status, status.is4xxClientError() ? "bad-request" : "internal-error",
                    status.getReasonPhrase(), status.is4xxClientError() ? "the request was refused: "
                            + status.getReasonPhrase() : "the ledger could not handle this request");
        }
    }
}
