package org.convergenceledger.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads "Authorization: Bearer cl_…" and, when the service knows the key as a live one, makes its holder the
 * request's principal with ROLE_{its role}. No header: the request goes on anonymous, and the endpoint rules decide.
 * A header that is not a valid, live key is refused with 401 at once, even on a public endpoint: a client that
 * believes it is authenticated should learn that it is not. Each service says how it finds a key (the command
 * service from its key store, the query service from the keys it learnt from the ledger's events).
 *
 * @param <P> the principal a key stands for
 */
public final class BearerKeys<P> extends OncePerRequestFilter {

    private final Function<String, Optional<P>> holderOf;
    private final Function<P, String> roleOf;
    private final ObjectMapper json;

    /**
     * @param holderOf the principal of a presented key (what follows "Bearer "), empty when it is not a live key
     * @param roleOf   the principal's role name, without the ROLE_ prefix
     */
    public BearerKeys(Function<String, Optional<P>> holderOf, Function<P, String> roleOf, ObjectMapper json) {
        this.holderOf = holderOf;
        this.roleOf = roleOf;
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
        Optional<P> holder = header.startsWith("Bearer ") ? holderOf.apply(header.substring(7).strip())
                : Optional.empty();
        if (holder.isEmpty()) {
            ProblemResponses.write(json, response, ProblemResponses.problem(HttpStatus.UNAUTHORIZED,
                    "unauthenticated", "Authentication required",
                    "the Authorization header does not hold a valid, unrevoked API key (Bearer cl_…)"));
            return;
        }
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(holder.get(),
                null, List.of(new SimpleGrantedAuthority("ROLE_" + roleOf.apply(holder.get())))));
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
