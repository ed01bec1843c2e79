package org.convergenceledger.command.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.convergenceledger.command.system.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads "Authorization: Bearer cl_…" and, when the key is one the ledger issued and has not revoked, makes its
 * holder the request's caller with ROLE_{its role}. No header: the request goes on anonymous, and the endpoint
 * rules decide. A header that is not a valid, live key is refused with 401 at once, even on a public endpoint: a
 * client that believes it is authenticated should learn that it is not.
 */
class ApiKeyAuthentication extends OncePerRequestFilter {

    private final Callers callers;
    private final ObjectMapper json;

    ApiKeyAuthentication(Callers callers, ObjectMapper json) {
        this.callers = callers;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Caller> caller = authenticate(header);
        if (caller.isEmpty()) {
            Problems.write(json, response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "Authentication required",
                    "the Authorization header does not hold a valid, unrevoked API key (Bearer cl_…)"));
            return;
        }
        var authentication = new UsernamePasswordAuthenticationToken(caller.get(), null,
                List.of(new SimpleGrantedAuthority("ROLE_" + caller.get().role().name())));
        SecurityContextHolder.getContext().setAuthentication(authentication);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    Optional<Caller> authenticate(String header) {
        if (!header.startsWith("Bearer ")) {
            return Optional.empty();
        }
        return callers.byApiKey(header.substring("Bearer ".length()).strip());
    }
}
