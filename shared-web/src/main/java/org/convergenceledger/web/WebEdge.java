package org.convergenceledger.web;

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
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a client meets at either service's edge before any controller, in the one error format: paths with encoded
 * slashes, dot segments or parameters (Spring Security's firewall, 400), what Tomcat refuses itself (a NUL in the
 * path, a malformed request line), whatever reaches /error — problem+json, never an HTML page or Boot's default
 * error JSON. Each service imports it; the command service adds its body limit and header checks.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class WebEdge {

    /**
     * The endpoint rules match paths with Spring's PathPattern. Without this bean Spring Security 6.5 matches each
     * rule through Spring MVC's HandlerMappingIntrospector, which the profile of the command path showed on every
     * request (a handler lookup per rule).
     */
    @Bean
    PathPatternRequestMatcher.Builder pathPatternRequestMatchers() {
        return PathPatternRequestMatcher.withDefaults();
    }

    // Tomcat would refuse %2F itself with an HTML page; let it through to the firewall, which answers below.
    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }

    // What Tomcat refuses itself never reaches Spring: its host reports it through this valve, as a problem.
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> containerErrorsAsProblems() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** Every request's correlation id, in its log lines and answered in X-Correlation-Id (see Correlation). */
    @Bean
    CorrelationFilter correlationFilter() {
        return new CorrelationFilter();
    }

    @Bean
    RequestRejectedHandler rejectedRequests(ObjectMapper json) {
        return (request, response, rejected) -> ProblemResponses.write(json, response,
                ProblemResponses.rejected(rejected));
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

    /** Whatever reaches the container's error page answers as a problem too (a member class: imported with this). */
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
