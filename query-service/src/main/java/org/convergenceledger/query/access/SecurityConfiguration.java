package org.convergenceledger.query.access;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.convergenceledger.events.access.Credentials;
import org.convergenceledger.web.BearerKeys;
import org.convergenceledger.web.LedgerSecurity;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Which role each endpoint of the query service needs. The convergence view, activities, agencies and axes are
 * public: no key needed, and so is their IATI export. The audit endpoints need AUDITOR, administration ADMIN;
 * anything else is refused.
 * A presented key that is not valid and live is refused with 401 even on a public endpoint.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

    @Bean
    SecurityFilterChain ledgerSecurity(HttpSecurity http, AccessKeys keys, ObjectMapper json) throws Exception {
        return LedgerSecurity.statelessWithKeys(http, new BearerKeys<>(presented -> Credentials.keyIdOf(presented)
                        .flatMap(keys::live).filter(live -> Credentials.matches(presented, live.credentialHash())),
                        (AccessKeys.Key key) -> key.role().name(), json), json)
                .authorizeHttpRequests(endpoints -> LedgerSecurity.operationsAndDescription(endpoints)
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
}
