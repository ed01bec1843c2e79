package org.convergenceledger.query.iati;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The IATI export's settings, under {@code ledger.iati}: the language of the ledger's texts (written as each
 * activity's xml:lang), and each agency's registered IATI organisation identifier where it has one (see
 * IatiOrganisations; the command service must be given the same table for its import).
 */
@ConfigurationProperties("ledger.iati")
record IatiProperties(@DefaultValue("en") String language, Map<String, String> organisationRefs) {

    IatiProperties {
        organisationRefs = organisationRefs == null ? Map.of() : Map.copyOf(organisationRefs);
    }
}
