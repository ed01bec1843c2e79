package org.convergenceledger.events.access;

/** What a key's holder may do; see docs/api.md "Identity and roles" for the endpoint × role matrix. */
public enum AccessRole {
    /** Records the activities of its own agency (and those it is a partner of, for that role). */
    AGENCY,
    /** Reads everything, the audit endpoints included. */
    AUDITOR,
    /** Reads the convergence view and activities: what anyone may read without a key. */
    PUBLIC,
    /** Registers agencies, defines axes, issues and revokes keys. */
    ADMIN,
    /** Records the steering committee's decisions: on flagged duplications. Recorded as COORDINATOR. */
    COORDINATOR
}
