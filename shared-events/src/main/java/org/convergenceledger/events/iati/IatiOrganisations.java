package org.convergenceledger.events.iati;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Agencies as IATI organisations, and activity ids as IATI identifiers. An IATI identifier is the reporting
 * organisation's identifier, a hyphen and the activity's own reference; ours is {@code AGENCY:local-ref}, so
 * {@code ANAPEC:WLT-DEMO-1} reads {@code XM-CL-ANAPEC-WLT-DEMO-1} and back. An agency's organisation identifier is
 * the one configured for it (its registered IATI identifier, e.g. {@code XM-DAC-41302} for the ILO), otherwise
 * {@value #DEFAULT_PREFIX} and its code: a placeholder of this ledger, not a registered identifier. Both services
 * must be given the same table, or the import will not recognise what the export wrote.
 */
public final class IatiOrganisations {

    public static final String DEFAULT_PREFIX = "XM-CL-";

    private final Map<String, String> refByAgency = new HashMap<>();
    private final Map<String, String> agencyByRef = new HashMap<>();

    /** @param configured organisation identifier per agency code (any case: environment variables fold it) */
    public IatiOrganisations(Map<String, String> configured) {
        configured.forEach((agency, ref) -> {
            if (ref != null && !ref.isBlank()) {
                refByAgency.put(agency.toUpperCase(Locale.ROOT), ref.strip());
                agencyByRef.put(ref.strip(), agency.toUpperCase(Locale.ROOT));
            }
        });
    }

    public String refOf(String agency) {
        return refByAgency.getOrDefault(agency, DEFAULT_PREFIX + agency);
    }

    /** The agency an organisation identifier names: a configured one, or a placeholder of an unconfigured agency. */
    public Optional<String> agencyOf(String ref) {
        if (ref == null) {
            return Optional.empty();
        }
        String trimmed = ref.strip();
        if (agencyByRef.containsKey(trimmed)) {
            return Optional.of(agencyByRef.get(trimmed));
        }
        if (trimmed.startsWith(DEFAULT_PREFIX)) {
            String agency = trimmed.substring(DEFAULT_PREFIX.length());
            return refByAgency.containsKey(agency) || agency.isEmpty() ? Optional.empty() : Optional.of(agency);
        }
        return Optional.empty();
    }

    /** {@code AGENCY:local-ref} as an IATI identifier. */
    public String identifierOf(String activityId) {
        int colon = activityId.indexOf(':');
        return refOf(activityId.substring(0, colon)) + "-" + activityId.substring(colon + 1);
    }

    /** The activity id an IATI identifier names, if it starts with that agency's organisation identifier. */
    public Optional<String> activityIdOf(String identifier, String agency) {
        String prefix = refOf(agency) + "-";
        if (identifier == null || !identifier.strip().startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.of(agency + ":" + identifier.strip().substring(prefix.length()));
    }
}
