package org.convergenceledger.command.access;

import org.convergenceledger.command.system.NotFound;

class UnknownKey extends NotFound {

    UnknownKey(String keyId) {
        super("key", keyId, "No API key " + keyId + " was issued by this ledger");
    }
}
