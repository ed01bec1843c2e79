package org.convergenceledger.command.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.convergenceledger.web.WebEdge;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What a hostile client meets before any controller, beyond the edge both services share ({@link WebEdge}: the
 * firewall's and Tomcat's refusals and /error as problems): oversized bodies (413). Reads take no body, so only the
 * command service has this.
 */
@Configuration(proxyBeanMethods = false)
@Import(WebEdge.class)
class HostileRequests {

    /** Commands are a few kilobytes; a megabyte is far beyond any honest one. */
    static final long MAX_BODY_BYTES = 1024 * 1024;

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
}
