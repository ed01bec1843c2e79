package org.convergenceledger.events.activity;

/** What an activity identifier looks like: like an IATI identifier, the lead agency's code, a colon, its own ref. */
public final class ActivityIds {

    /** Capitals, digits and _ (the agency), a colon, then letters, digits, . _ - (the agency's own reference). */
    public static final String PATTERN = "[A-Z][A-Z0-9_]{1,31}:[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

    private ActivityIds() {
    }

    public static boolean isValid(String id) {
        return id != null && id.matches(PATTERN);
    }

    /** The lead agency an identifier names (its prefix); the id must be valid. */
    public static String leadOf(String id) {
        return id.substring(0, id.indexOf(':'));
    }
}
