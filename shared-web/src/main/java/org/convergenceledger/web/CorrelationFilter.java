package org.convergenceledger.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every HTTP request its correlation id (the sender's X-Correlation-Id, or a new one) for the request's log
 * lines and the events it causes, and answers it in the same header, so a sender without one can quote it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class CorrelationFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = Correlation.accepted(request.getHeader(Correlation.HTTP_HEADER));
        response.setHeader(Correlation.HTTP_HEADER, id);
        try (Correlation.Scope scope = Correlation.open(id)) {
            chain.doFilter(request, response);
        }
    }
}
