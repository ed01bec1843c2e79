package org.convergenceledger.command.iati;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Each agency's registered IATI organisation identifier where it has one, under {@code ledger.iati}: the same
 * table the query service's export is given (see IatiOrganisations), or the import will not recognise the files.
 */
@ConfigurationProperties("ledger.iati")
record IatiImportProperties(Map<String, String> organisationRefs) {

    IatiImportProperties {
        organisationRefs = organisationRefs == null ? Map.of() : Map.copyOf(organisationRefs);
    }
}
