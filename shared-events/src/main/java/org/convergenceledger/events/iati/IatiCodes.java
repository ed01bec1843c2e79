package org.convergenceledger.events.iati;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.convergenceledger.events.agency.AgencyKind;
import org.convergenceledger.events.common.PartnerRole;

/**
 * How the ledger's codes read in IATI 2.03 and back: the one table the export writes with and the import reads with
 * (docs/iati.md explains each choice). Activity states and partner roles carry their codes themselves
 * ({@code ActivityState.iatiStatus()}, {@code PartnerRole.iatiCode()}).
 */
public final class IatiCodes {

    /** Every activity of the ledger is in Morocco: ISO 3166-1 alpha-2. */
    public static final String COUNTRY = "MA";
    /** Sector, tag and policy-marker vocabulary 99: codes of the reporting organisation, here the axis codes. */
    public static final String OWN_VOCABULARY = "99";
    /** OECD DAC CRS purpose codes (5 digits) for sectors, OECD DAC CRS for policy markers: IATI's default, 1. */
    public static final String DAC_VOCABULARY = "1";
    /** Transaction types: outgoing commitment and expenditure. */
    public static final String COMMITMENT = "2";
    public static final String EXPENDITURE = "4";
    /** Activity-date types. */
    public static final String PLANNED_START = "1";
    public static final String ACTUAL_START = "2";
    public static final String PLANNED_END = "3";
    public static final String ACTUAL_END = "4";
    /**
     * What IATI has no element for travels in the ledger's own namespace, as the standard allows (elements of another
     * namespace at the end of an activity): its target groups, {@code <cl:target-group code="YOUTH"/>}.
     */
    public static final String LEDGER_NAMESPACE = "urn:convergence-ledger:iati";
    public static final String LEDGER_PREFIX = "cl";
    public static final String TARGET_GROUP = "target-group";
    /** The lead agency's participating-org role: accountable (2), the one answerable for the activity. */
    public static final int LEAD_ROLE = PartnerRole.ACCOUNTABLE.iatiCode();

    /** Where an axis sits in IATI when a standard code says the same thing. */
    public enum Element { SECTOR, POLICY_MARKER }

    /**
     * A convergence axis with a standard IATI code. A policy marker is written with a significance (1: significant
     * objective); read back, any significance from 1 up means the axis, 0 (not targeted) does not.
     */
    public record StandardCode(String axis, Element element, String vocabulary, String code, String significance,
                               String name) {
    }

    /** One standard code per axis and one axis per code, so that the table reads both ways. */
    public static final List<StandardCode> STANDARD = List.of(
            new StandardCode("WORK_LINKED_TRAINING", Element.SECTOR, DAC_VOCABULARY, "11330", null,
                    "Vocational training"),
            new StandardCode("LEGAL_MIGRATION", Element.SECTOR, DAC_VOCABULARY, "15190", null,
                    "Facilitation of orderly, safe, regular and responsible migration and mobility"),
            new StandardCode("CHILD_LABOUR", Element.SECTOR, DAC_VOCABULARY, "16070", null, "Labour rights"),
            new StandardCode("GENDER", Element.POLICY_MARKER, DAC_VOCABULARY, "1", "1", "Gender Equality"));

    /**
     * Morocco's twelve regions (2015 division) by their official order and name. No IATI geographic vocabulary
     * holds them by code, so a region is a {@code location} whose ref is the ledger's code and whose name is this.
     */
    public static final Map<String, String> REGION_NAMES = regionNames();

    private IatiCodes() {
    }

    public static Optional<StandardCode> standardOf(String axis) {
        return STANDARD.stream().filter(code -> code.axis().equals(axis)).findFirst();
    }

    /** The axis a sector stands for; a missing vocabulary is IATI's default, 1. */
    public static Optional<String> axisOfSector(String vocabulary, String code) {
        String vocabularyOrDefault = vocabulary == null || vocabulary.isBlank() ? DAC_VOCABULARY : vocabulary;
        return STANDARD.stream().filter(standard -> standard.element() == Element.SECTOR
                        && standard.vocabulary().equals(vocabularyOrDefault) && standard.code().equals(code))
                .map(StandardCode::axis).findFirst();
    }

    /** The axis a policy marker stands for, when it is marked as an objective (significance 1 or more). */
    public static Optional<String> axisOfPolicyMarker(String vocabulary, String code, String significance) {
        String vocabularyOrDefault = vocabulary == null || vocabulary.isBlank() ? DAC_VOCABULARY : vocabulary;
        if (significance != null && (significance.isBlank() || significance.strip().equals("0"))) {
            return Optional.empty();
        }
        return STANDARD.stream().filter(standard -> standard.element() == Element.POLICY_MARKER
                        && standard.vocabulary().equals(vocabularyOrDefault) && standard.code().equals(code))
                .map(StandardCode::axis).findFirst();
    }

    /**
     * IATI organisation type: a ministry 10 (government), a public agency or social fund 15 (other public sector), an
     * international partner 40 (multilateral), a donor 10.
     */
    public static String organisationType(AgencyKind kind) {
        if (kind == null) {
            return "90";
        }
        return switch (kind) {
            case MINISTRY, DONOR -> "10";
            case PUBLIC_AGENCY, SOCIAL_FUND -> "15";
            case INTERNATIONAL_PARTNER -> "40";
        };
    }

    public static Optional<PartnerRole> roleOf(String code) {
        for (PartnerRole role : PartnerRole.values()) {
            if (Integer.toString(role.iatiCode()).equals(code == null ? null : code.strip())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** A location's region: by its ref (the ledger's code), else by its name, accents and case aside. */
    public static Optional<String> regionOf(String ref, String name) {
        if (ref != null && REGION_NAMES.containsKey(ref.strip())) {
            return Optional.of(ref.strip());
        }
        if (name == null) {
            return Optional.empty();
        }
        String wanted = plain(name);
        return REGION_NAMES.entrySet().stream().filter(region -> plain(region.getValue()).equals(wanted)
                || plain(region.getKey()).equals(wanted)).map(Map.Entry::getKey).findFirst();
    }

    private static String plain(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replaceAll("[^A-Za-z0-9]+", " ").strip().toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> regionNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("TANGER_TETOUAN_AL_HOCEIMA", "Tanger-Tétouan-Al Hoceïma");
        names.put("ORIENTAL", "Oriental");
        names.put("FES_MEKNES", "Fès-Meknès");
        names.put("RABAT_SALE_KENITRA", "Rabat-Salé-Kénitra");
        names.put("BENI_MELLAL_KHENIFRA", "Béni Mellal-Khénifra");
        names.put("CASABLANCA_SETTAT", "Casablanca-Settat");
        names.put("MARRAKECH_SAFI", "Marrakech-Safi");
        names.put("DRAA_TAFILALET", "Drâa-Tafilalet");
        names.put("SOUSS_MASSA", "Souss-Massa");
        names.put("GUELMIM_OUED_NOUN", "Guelmim-Oued Noun");
        names.put("LAAYOUNE_SAKIA_EL_HAMRA", "Laâyoune-Sakia El Hamra");
        names.put("DAKHLA_OUED_EDDAHAB", "Dakhla-Oued Ed-Dahab");
        return java.util.Collections.unmodifiableMap(names);
    }
}
