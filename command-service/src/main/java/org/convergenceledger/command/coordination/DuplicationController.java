package org.convergenceledger.command.coordination;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.CommandOutcome;
import org.convergenceledger.events.coordination.DecideDuplication;
import org.convergenceledger.events.coordination.DuplicationVerdict;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * COORDINATOR: the steering committee's decision on a pair of activities. A command, so on the command service; the
 * query service shows each pair's decision, its history and whether it reopened.
 */
@RestController
class DuplicationController {

    private final CommandDispatch dispatch;

    DuplicationController(CommandDispatch dispatch) {
        this.dispatch = dispatch;
    }

    record Decision(DuplicationVerdict decision, String continuing, String reason) {
    }

    @PostMapping("/api/convergence/duplications/{first}/{second}/decision")
    ResponseEntity<JsonNode> decide(@PathVariable String first, @PathVariable String second,
                                    @RequestBody Decision body, HttpServletRequest request) {
        DecideDuplication command = new DecideDuplication(first, second, body.decision(), body.continuing(),
                body.reason());
        return dispatch.dispatch(request, body, command, version -> CommandOutcome.ok(Map.of(
                "pairId", command.pairId(), "version", version)));
    }
}
