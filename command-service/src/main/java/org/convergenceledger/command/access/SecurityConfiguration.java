package org.convergenceledger.command.access;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import org.convergenceledger.command.system.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Which role each endpoint of the command service needs (README "Identity and roles" has the whole matrix, and
 * AccessMatrixIT walks it). Anything not listed is refused: a new endpoint must be placed here to be reachable.
 */
@Configuration(proxyBeanMethods = false)
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

    /** Spring Security's strict firewall, with the header checks of {@link HeaderText} in place of its regexes. */
    @Bean
    WebSecurityCustomizer strictFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderText::isAllowedName);
        firewall.setAllowedHeaderValues(HeaderText::isAllowedValue);
        firewall.setAllowedParameterNames(HeaderText::isAllowedName);
        return web -> web.httpFirewall(firewall);
    }

    @Bean
    SecurityFilterChain ledgerSecurity(HttpSecurity http, Callers callers, ObjectMapper json) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, failure) -> Problems.write(json, response,
                Problems.problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required",
                        "this endpoint needs an API key: Authorization: Bearer cl_…"));
        AccessDeniedHandler forbidden = (request, response, denied) -> Problems.write(json, response,
                Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Not allowed for this key",
                        "the key's role may not use " + request.getMethod() + " " + request.getRequestURI()));
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthentication(callers, json), AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .authorizeHttpRequests(endpoints -> endpoints
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .requestMatchers(GET, "/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        // The API's description and Swagger UI: what anyone may read in the README too.
                        .requestMatchers(GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        // Signed tree heads and proofs are made to be checked by outsiders with the public key.
                        .requestMatchers(GET, "/api/audit/public-key", "/api/audit/checkpoints",
                                "/api/audit/checkpoints/**", "/api/audit/proofs/**", "/api/audit/witnesses").permitAll()
                        // A co-signature proves itself: kept only if a registered witness's key verifies it.
                        .requestMatchers(POST, "/api/audit/checkpoints/*/cosignatures").permitAll()
                        .requestMatchers(GET, "/api/audit/**").hasRole("AUDITOR")
                        .requestMatchers(POST, "/api/admin/**").hasRole("ADMIN")
                        .requestMatchers(GET, "/api/admin/**").hasRole("ADMIN")
                        .requestMatchers(DELETE, "/api/admin/**").hasRole("ADMIN")
                        .requestMatchers(POST, "/api/iati/import").hasRole("AGENCY")
                        .requestMatchers(POST, "/api/activities", "/api/activities/**").hasRole("AGENCY")
                        .requestMatchers(POST, "/api/convergence/duplications/*/*/decision",
                                "/api/convergence/closed-periods").hasRole("COORDINATOR")
                        .anyRequest().denyAll())
                .build();
    }
}
