package org.convergenceledger.command.registry;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.CommandOutcome;
import org.convergenceledger.events.agency.RegisterAgency;
import org.convergenceledger.events.axis.DefineAxis;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Administration: agencies and axes are registered by commands and stored as ledger events like everything else. */
@RestController
@RequestMapping("/api/admin")
class RegistryController {

    private final CommandDispatch dispatch;

    RegistryController(CommandDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @PostMapping("/agencies")
    ResponseEntity<JsonNode> register(@RequestBody RegisterAgency command, HttpServletRequest request) {
        return dispatch.dispatch(request, command, command, result -> CommandOutcome.created(
                URI.create("/api/agencies/" + command.agencyCode()), Map.of("agencyCode", command.agencyCode())));
    }

    @PostMapping("/axes")
    ResponseEntity<JsonNode> define(@RequestBody DefineAxis command, HttpServletRequest request) {
        return dispatch.dispatch(request, command, command, result -> CommandOutcome.created(
                URI.create("/api/axes/" + command.axisCode()), Map.of("axisCode", command.axisCode())));
    }
}
