package org.convergenceledger.command.access;

import org.convergenceledger.command.system.Caller;
import java.util.Map;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.NotFound;
import org.convergenceledger.command.system.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.convergenceledger.events.access.AccessRole;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * ADMIN: an agency's login on the broker, issued (the password shown once) or revoked; {@code COORDINATOR} in place
 * of the agency code is the coordinators' login, for decisions sent on ledger.commands.COORDINATOR.
 */
@RestController
@RequestMapping("/api/admin/agencies/{agencyCode}/broker-login")
class BrokerLoginController {

    private final BrokerLogins logins;
    private final Registry registry;

    BrokerLoginController(BrokerLogins logins, Registry registry) {
        this.logins = logins;
        this.registry = registry;
    }

    @PostMapping
    ResponseEntity<?> issue(@PathVariable String agencyCode) {
        requireAgency(agencyCode);
        try {
            return ResponseEntity.status(HttpStatus.CREATED)
                    .body(logins.issue(agencyCode, Caller.current().map(Caller::keyId).orElse("unknown")));
        } catch (IllegalStateException broker) {
            return unavailable(broker);
        }
    }

    @PostMapping("/revocation")
    ResponseEntity<?> revoke(@PathVariable String agencyCode) {
        requireAgency(agencyCode);
        try {
            logins.revoke(agencyCode, Caller.current().map(Caller::keyId).orElse("unknown"));
            return ResponseEntity.ok(Map.of("agencyCode", agencyCode, "revoked", true));
        } catch (IllegalStateException broker) {
            return unavailable(broker);
        }
    }

    /** A registered agency, or COORDINATOR: the coordinators' login, whose topic speaks for that role. */
    private void requireAgency(String agencyCode) {
        if (!registry.isRegisteredAgency(agencyCode) && !AccessRole.COORDINATOR.name().equals(agencyCode)) {
            throw new NotFound("agency", agencyCode, "no agency " + agencyCode + " is registered");
        }
    }

    private static ResponseEntity<?> unavailable(IllegalStateException broker) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "broker-unavailable", "Broker unavailable",
                        "the Kafka broker did not take the change; nothing was changed on the ledger's side: "
                                + broker.getMessage()));
    }
}
