package org.convergenceledger.events.common;

import java.util.List;

/** Morocco's twelve regions (2015 division) and NATIONAL for activities that cover the whole country. */
public final class Regions {

    public static final String NATIONAL = "NATIONAL";

    public static final List<String> ALL = List.of(
            "TANGER_TETOUAN_AL_HOCEIMA",
            "ORIENTAL",
            "FES_MEKNES",
            "RABAT_SALE_KENITRA",
            "BENI_MELLAL_KHENIFRA",
            "CASABLANCA_SETTAT",
            "MARRAKECH_SAFI",
            "DRAA_TAFILALET",
            "SOUSS_MASSA",
            "GUELMIM_OUED_NOUN",
            "LAAYOUNE_SAKIA_EL_HAMRA",
            "DAKHLA_OUED_EDDAHAB",
            NATIONAL);

    private Regions() {
    }

    public static boolean isKnown(String code) {
        return ALL.contains(code);
    }
}
