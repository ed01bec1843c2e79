package org.convergenceledger.query.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.embedded.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The query service's reads answer odd paths in the one error format too: Spring Security's firewall refusals
 * (encoded slashes, dot segments, parameters), what Tomcat refuses itself (a NUL), and whatever reaches /error —
 * problem+json, never an HTML page. The command service has the same, plus a body size limit (reads take no body).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class HostileRequests {

    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }

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
        return (request, response, rejected) -> ProblemResponses.write(json, response, ProblemResponses.problem(
                HttpStatus.BAD_REQUEST, "rejected-request", "Request refused",
                "the request's path or headers are not acceptable: " + rejected.getMessage()));
    }

    /** Whatever reaches the container's error page answers as a problem too. */
    @RestController
    static class Errors implements ErrorController {

        @RequestMapping("/error")
        ProblemDetail error(HttpServletRequest request) {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            HttpStatus status = code instanceof Integer number && HttpStatus.resolve(number) != null
                    ? HttpStatus.valueOf(number) : HttpStatus.INTERNAL_SERVER_ERROR;
            return ProblemResponses.problem(status, status.is4xxClientError() ? "bad-request" : "internal-error",
                    status.getReasonPhrase(), status.is4xxClientError() ? "the request was refused: "
                            + status.getReasonPhrase() : "the ledger could not answer this request");
        }
    }
}
