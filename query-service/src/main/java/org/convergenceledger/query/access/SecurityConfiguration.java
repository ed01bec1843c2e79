package org.convergenceledger.query.access;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.convergenceledger.events.access.Credentials;
import org.convergenceledger.query.system.ProblemResponses;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Which role each endpoint of the query service needs. The convergence view, activities, agencies and axes are
 * public: no key needed, and so is their IATI export. The audit endpoints need AUDITOR, administration ADMIN;
 * anything else is refused.
 * A presented key that is not valid and live is refused with 401 even on a public endpoint.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

    /**
     * The endpoint rules below match paths with Spring's PathPattern. Without this bean Spring Security 6.5 matches
     * each rule through Spring MVC's HandlerMappingIntrospector, which the profile of the command path showed on
     * every request (a handler lookup per rule).
     */
    @Bean
    PathPatternRequestMatcher.Builder pathPatternRequestMatchers() {
        return PathPatternRequestMatcher.withDefaults();
    }

    @Bean
    SecurityFilterChain ledgerSecurity(HttpSecurity http, AccessKeys keys, ObjectMapper json) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerKeys(keys, json), AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, failure) -> ProblemResponses.write(json,
                                response, ProblemResponses.problem(HttpStatus.UNAUTHORIZED, "unauthenticated",
                                        "Authentication required",
                                        "this endpoint needs an API key: Authorization: Bearer cl_…")))
                        .accessDeniedHandler((request, response, denied) -> ProblemResponses.write(json, response,
                                ProblemResponses.problem(HttpStatus.FORBIDDEN, "forbidden", "Not allowed for this key",
                                        "the key's role may not use " + request.getMethod() + " "
                                                + request.getRequestURI()))))
                .authorizeHttpRequests(endpoints -> endpoints
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .requestMatchers(GET, "/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        // The API's description and Swagger UI: what anyone may read in the README too.
                        .requestMatchers(GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(GET, "/api/audit/**").hasRole("AUDITOR")
                        .requestMatchers(GET, "/api/admin/**").hasRole("ADMIN")
                        .requestMatchers(POST, "/api/admin/**").hasRole("ADMIN")
                        .requestMatchers(GET, "/api/activities", "/api/activities/**", "/api/convergence/**",
                                "/api/agencies", "/api/agencies/**", "/api/axes", "/api/axes/**",
                                "/api/iati/**").permitAll()
                        // The dashboard: static files from the build, open to the public like the reads it makes.
                        .requestMatchers(GET, "/", "/index.html", "/dashboard/**").permitAll()
                        // The signer's public material, relayed for the dashboard's "verify" (see LedgerProofs).
                        .requestMatchers(GET, "/api/ledger/**").permitAll()
                        .anyRequest().denyAll())
                .build();
    }

    /** Makes a valid, live "Authorization: Bearer cl_…" key the request's caller, with ROLE_{its role}. */
    private static final class BearerKeys extends OncePerRequestFilter {

        private final AccessKeys keys;
        private final ObjectMapper json;

        BearerKeys(AccessKeys keys, ObjectMapper json) {
            this.keys = keys;
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
            String presented = header.startsWith("Bearer ") ? header.substring(7).strip() : "";
            var key = Credentials.keyIdOf(presented).flatMap(keys::live)
                    .filter(live -> Credentials.matches(presented, live.credentialHash()));
            if (key.isEmpty()) {
                ProblemResponses.write(json, response, ProblemResponses.problem(HttpStatus.UNAUTHORIZED,
                        "unauthenticated", "Authentication required",
                        "the Authorization header does not hold a valid, unrevoked API key (Bearer cl_…)"));
                return;
            }
            SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                    key.get(), null, List.of(new SimpleGrantedAuthority("ROLE_" + key.get().role().name()))));
            try {
                chain.doFilter(request, response);
            } finally {
                SecurityContextHolder.clearContext();
            }
        }
    }
}
