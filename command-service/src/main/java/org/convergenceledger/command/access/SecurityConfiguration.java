package org.convergenceledger.command.access;

import org.convergenceledger.command.system.Caller;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.convergenceledger.web.BearerKeys;
import org.convergenceledger.web.LedgerSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Which role each endpoint of the command service needs (docs/api.md "Identity and roles" has the whole matrix, and
 * AccessMatrixIT walks it). Anything not listed is refused: a new endpoint must be placed here to be reachable.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

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
        return LedgerSecurity.statelessWithKeys(http, new BearerKeys<>(callers::byApiKey,
                        (Caller caller) -> caller.role().name(), json), json)
                .authorizeHttpRequests(endpoints -> LedgerSecurity.operationsAndDescription(endpoints)
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
