package org.convergenceledger.command.coordination;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.CommandOutcome;
import org.convergenceledger.events.coordination.ClosePeriod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** COORDINATOR: closes a reporting period, for one agency or (no agency) for all. */
@RestController
class ClosedPeriodController {

    private final CommandDispatch dispatch;

    ClosedPeriodController(CommandDispatch dispatch) {
        this.dispatch = dispatch;
    }

    record Closing(String agency, LocalDate from, LocalDate to, String reason) {
    }

    @PostMapping("/api/convergence/closed-periods")
    ResponseEntity<JsonNode> close(@RequestBody Closing body, HttpServletRequest request) {
        ClosePeriod command = new ClosePeriod(body.agency(), body.from(), body.to(), body.reason());
        return dispatch.dispatch(request, body, command, result -> {
            Map<String, Object> answer = new HashMap<>();
            answer.put("periodId", command.periodId());
            answer.put("agency", body.agency());
            answer.put("from", String.valueOf(body.from()));
            answer.put("to", String.valueOf(body.to()));
            return CommandOutcome.created(URI.create("/api/convergence/closed-periods"), answer);
        });
    }
}
