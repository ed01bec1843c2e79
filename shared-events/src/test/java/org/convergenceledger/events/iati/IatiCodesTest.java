package org.convergenceledger.events.iati;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Regions;
import org.junit.jupiter.api.Test;

class IatiCodesTest {

    @Test
    void everyStandardCodeReadsBackAsItsAxis() {
        for (IatiCodes.StandardCode code : IatiCodes.STANDARD) {
            String axis = code.element() == IatiCodes.Element.SECTOR
                    ? IatiCodes.axisOfSector(code.vocabulary(), code.code()).orElseThrow()
                    : IatiCodes.axisOfPolicyMarker(code.vocabulary(), code.code(), code.significance()).orElseThrow();
            assertThat(axis).isEqualTo(code.axis());
            assertThat(IatiCodes.standardOf(axis)).contains(code);
        }
    }

    @Test
    void theTableIsOneToOneSoThatItReadsBothWays() {
        Set<String> axes = new HashSet<>();
        Set<String> codes = new HashSet<>();
        for (IatiCodes.StandardCode code : IatiCodes.STANDARD) {
            assertThat(axes.add(code.axis())).as(code.axis()).isTrue();
            assertThat(codes.add(code.element() + "/" + code.vocabulary() + "/" + code.code())).isTrue();
        }
    }

    @Test
    void aSectorWithoutVocabularyIsADacCode() {
        assertThat(IatiCodes.axisOfSector(null, "11330")).contains("WORK_LINKED_TRAINING");
        assertThat(IatiCodes.axisOfSector("2", "11330")).isEmpty();
        assertThat(IatiCodes.axisOfSector("1", "99999")).isEmpty();
    }

    @Test
    void aGenderMarkerNotTargetedIsNoGenderAxis() {
        assertThat(IatiCodes.axisOfPolicyMarker("1", "1", "0")).isEmpty();
        assertThat(IatiCodes.axisOfPolicyMarker("1", "1", "2")).contains("GENDER");
        assertThat(IatiCodes.axisOfPolicyMarker(null, "1", null)).contains("GENDER");
        assertThat(IatiCodes.axisOfPolicyMarker("1", "2", "1")).isEmpty();
    }

    @Test
    void everyRegionButNationalHasANameThatReadsBack() {
        assertThat(IatiCodes.REGION_NAMES.keySet()).containsExactlyElementsOf(
                Regions.ALL.stream().filter(region -> !region.equals(Regions.NATIONAL)).toList());
        IatiCodes.REGION_NAMES.forEach((code, name) -> {
            assertThat(IatiCodes.regionOf(code, null)).contains(code);
            assertThat(IatiCodes.regionOf(null, name)).contains(code);
        });
        assertThat(IatiCodes.regionOf(null, "fes meknes")).contains("FES_MEKNES");
        assertThat(IatiCodes.regionOf("Somewhere", "Nowhere")).isEmpty();
    }

    @Test
    void rolesReadBackFromTheirCodes() {
        for (PartnerRole role : PartnerRole.values()) {
            assertThat(IatiCodes.roleOf(Integer.toString(role.iatiCode()))).contains(role);
        }
        assertThat(IatiCodes.roleOf("5")).isEmpty();
        assertThat(IatiCodes.roleOf(null)).isEmpty();
    }

    @Test
    void anIdentifierIsTheOrganisationsRefAndTheLocalReference() {
        IatiOrganisations organisations = new IatiOrganisations(Map.of("ilo", "XM-DAC-41302"));

        assertThat(organisations.identifierOf("ANAPEC:WLT-DEMO-1")).isEqualTo("XM-CL-ANAPEC-WLT-DEMO-1");
        assertThat(organisations.identifierOf("ILO:CL-NORTH-2024")).isEqualTo("XM-DAC-41302-CL-NORTH-2024");
        assertThat(organisations.activityIdOf("XM-CL-ANAPEC-WLT-DEMO-1", "ANAPEC")).contains("ANAPEC:WLT-DEMO-1");
        assertThat(organisations.activityIdOf("XM-DAC-41302-CL-NORTH-2024", "ILO")).contains("ILO:CL-NORTH-2024");
        assertThat(organisations.activityIdOf("XM-CL-GIZ-X", "ANAPEC")).isEmpty();
    }

    @Test
    void aConfiguredAgencyIsKnownByItsRefOnlyAndOthersByThePlaceholder() {
        IatiOrganisations organisations = new IatiOrganisations(Map.of("ILO", "XM-DAC-41302"));

        assertThat(organisations.agencyOf("XM-DAC-41302")).contains("ILO");
        assertThat(organisations.agencyOf("XM-CL-ILO")).isEmpty();
        assertThat(organisations.agencyOf("XM-CL-GIZ")).contains("GIZ");
        assertThat(organisations.agencyOf("GB-GOV-1")).isEmpty();
    }
}
