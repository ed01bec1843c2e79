package org.convergenceledger.command.system;

import java.net.URI;
import java.util.Map;

/** What an accepted command answers: a status, a small JSON body and, for a creation, where the new thing is. */
public record CommandOutcome(int status, Map<String, Object> body, URI location) {

    public static CommandOutcome created(URI location, Map<String, Object> body) {
        return new CommandOutcome(201, body, location);
    }

    public static CommandOutcome ok(Map<String, Object> body) {
        return new CommandOutcome(200, body, null);
    }
}
