package org.convergenceledger.command.system;

import java.util.Optional;
import org.convergenceledger.events.access.AccessRole;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who sent a request: the key that authenticated it, its role, and for an agency key the agency it acts for.
 *
 * @param agencyCode null unless role is AGENCY
 */
public record Caller(String keyId, AccessRole role, String agencyCode) {

    /** The authenticated caller of the request this thread serves, if any. */
    public static Optional<Caller> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Caller caller
                ? Optional.of(caller) : Optional.empty();
    }

    /** The name the ledger records as the author of what this caller does: the agency, or the role. */
    public String recordedAs() {
        return agencyCode != null ? agencyCode : role.name();
    }
}
