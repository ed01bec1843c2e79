package org.convergenceledger.command.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.events.activity.AcceptPartnership;
import org.convergenceledger.events.activity.AddPartner;
import org.convergenceledger.events.activity.CancelActivity;
import org.convergenceledger.events.activity.CommitActivity;
import org.convergenceledger.events.activity.CompleteActivity;
import org.convergenceledger.events.activity.ConfirmPartnership;
import org.convergenceledger.events.activity.ContestPartnership;
import org.convergenceledger.events.activity.DeclinePartnership;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.activity.RekeyActivity;
import org.convergenceledger.events.activity.RequestPartnership;
import org.convergenceledger.events.activity.ResumeActivity;
import org.convergenceledger.events.activity.ReviseActivity;
import org.convergenceledger.events.activity.StartActivity;
import org.convergenceledger.events.activity.SuspendActivity;
import org.convergenceledger.events.coordination.ClosePeriod;
import org.convergenceledger.events.coordination.DecideDuplication;

/**
 * What a message on ledger.commands holds: {"type": "CommitActivity", "command": {…the command record…}}. Only
 * the activity commands of the contract and a coordinator's decisions; registering agencies or issuing keys stays
 * with administrators over HTTP.
 */
final class CommandMessages {

    record Parsed(String type, Object command, String target, JsonNode body) {
    }

    static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("ProposeActivity", ProposeActivity.class),
            Map.entry("CommitActivity", CommitActivity.class),
            Map.entry("StartActivity", StartActivity.class),
            Map.entry("SuspendActivity", SuspendActivity.class),
            Map.entry("ResumeActivity", ResumeActivity.class),
            Map.entry("CompleteActivity", CompleteActivity.class),
            Map.entry("CancelActivity", CancelActivity.class),
            Map.entry("ReviseActivity", ReviseActivity.class),
            Map.entry("AddPartner", AddPartner.class),
            Map.entry("RequestPartnership", RequestPartnership.class),
            Map.entry("AcceptPartnership", AcceptPartnership.class),
            Map.entry("DeclinePartnership", DeclinePartnership.class),
            Map.entry("ConfirmPartnership", ConfirmPartnership.class),
            Map.entry("ContestPartnership", ContestPartnership.class),
            Map.entry("RekeyActivity", RekeyActivity.class),
            Map.entry("DecideDuplication", DecideDuplication.class),
            Map.entry("ClosePeriod", ClosePeriod.class));

    private CommandMessages() {
    }

    /**
     * @throws IOException   the value is not JSON, or the command does not read as its type (Problems names where)
     * @throws InvalidInput  the envelope is wrong: no type, an unknown one, no command, a key that is not its id
     */
    static Parsed parse(String key, byte[] value, ObjectMapper json) throws IOException {
        if (value == null || value.length == 0) {
            throw invalid("value", "a JSON object {\"type\": …, \"command\": {…}} is required");
        }
        JsonNode message = json.readTree(value);
        if (message == null || !message.isObject()) {
            throw invalid("value", "must be a JSON object {\"type\": …, \"command\": {…}}");
        }
        String type = message.path("type").asText(null);
        Class<?> commandType = type == null ? null : TYPES.get(type);
        if (commandType == null) {
            throw invalid("type", "must be one of " + TYPES.keySet().stream().sorted().toList());
        }
        JsonNode body = message.get("command");
        if (body == null || !body.isObject()) {
            throw invalid("command", "must be the " + type + " as a JSON object");
        }
        Object command = json.treeToValue(body, commandType);
        // A decision on a pair is keyed by the pair's id as the ledger writes it (the smaller activity id first), a
        // period's closing by the period's id; an activity's command by the activity id.
        String target;
        String what;
        if (command instanceof DecideDuplication decision) {
            target = decision.pairId();
            what = "the pair's id, pair:<smaller activity id>+<larger activity id> (" + target + ")";
        } else if (command instanceof ClosePeriod closing) {
            target = closing.periodId();
            what = "the period's id, period:<agency or ALL>:<from>..<to> (" + target + ")";
        } else {
            target = body.path("activityId").asText(null);
            what = "the command's activityId (" + target + ")";
        }
        if (target == null || !target.equals(key)) {
            throw invalid("key", "the message key must be " + what + ", so that the commands of one target stay"
                    + " in order");
        }
        return new Parsed(type, command, target, body);
    }

    private static InvalidInput invalid(String field, String message) {
        return new InvalidInput(List.of(new InvalidInput.FieldViolation(field, message)));
    }
}
