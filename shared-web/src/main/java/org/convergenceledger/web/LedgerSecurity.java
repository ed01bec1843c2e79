package org.convergenceledger.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The security chain both services start from: stateless, no login forms, sessions or CSRF (API keys, no cookies),
 * the bearer-key filter, and 401/403 as problems. Each service then adds its own endpoint rules.
 */
public final class LedgerSecurity {

    private LedgerSecurity() {
    }

    public static HttpSecurity statelessWithKeys(HttpSecurity http, BearerKeys<?> keys, ObjectMapper json)
            throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(keys, AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, failure) -> ProblemResponses.write(json,
                                response, ProblemResponses.problem(HttpStatus.UNAUTHORIZED, "unauthenticated",
                                        "Authentication required",
                                        "this endpoint needs an API key: Authorization: Bearer cl_…")))
                        .accessDeniedHandler((request, response, denied) -> ProblemResponses.write(json, response,
                                ProblemResponses.problem(HttpStatus.FORBIDDEN, "forbidden",
                                        "Not allowed for this key", "the key's role may not use "
                                                + request.getMethod() + " " + request.getRequestURI()))));
    }

    /**
     * The rules both services start their endpoints with: error and async dispatches pass, health and info are
     * public (probes, load balancers), the rest of Actuator (metrics, the Prometheus scrape) is for ADMIN keys, and
     * the API's description and Swagger UI are public like the README.
     */
    public static AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry
            operationsAndDescription(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry endpoints) {
        return endpoints
                .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                .requestMatchers("/actuator/**").hasRole("ADMIN")
                .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                        "/swagger-ui/**").permitAll();
    }
}
