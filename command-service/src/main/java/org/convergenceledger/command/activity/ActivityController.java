package org.convergenceledger.command.activity;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.convergenceledger.command.system.Caller;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.CommandOutcome;
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
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.PartnerRole;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.YearlyAmount;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Agencies' systems move their activities here. Each request becomes one command; the answer gives the activity's
 * version after it. An optional If-Match header carrying the version the sender last saw turns a concurrent change
 * into a 409 instead of a silent overwrite.
 */
@RestController
@RequestMapping("/api/activities")
class ActivityController {

    private final CommandDispatch dispatch;

    ActivityController(CommandDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @PostMapping
    ResponseEntity<JsonNode> propose(@RequestBody ProposeActivity proposal, HttpServletRequest request) {
        return dispatch.dispatch(request, proposal, proposal, result -> CommandOutcome.created(
                URI.create("/api/activities/" + proposal.activityId()),
                Map.of("activityId", proposal.activityId(), "version", 0L)));
    }

    record Commitment(Money committedAmount, LocalDate committedOn) {
    }

    @PostMapping("/{id}/commitment")
    ResponseEntity<JsonNode> commit(@PathVariable String id, @RequestBody Commitment body,
                                    HttpServletRequest request) {
        return send(request, id, body,
                new CommitActivity(id, expectedVersion(request), body.committedAmount(), body.committedOn()));
    }

    record Start(LocalDate startedOn) {
    }

    @PostMapping("/{id}/start")
    ResponseEntity<JsonNode> start(@PathVariable String id, @RequestBody Start body, HttpServletRequest request) {
        return send(request, id, body, new StartActivity(id, expectedVersion(request), body.startedOn()));
    }

    record Completion(LocalDate completedOn, Money amountSpent, Long beneficiariesReached) {
    }

    @PostMapping("/{id}/completion")
    ResponseEntity<JsonNode> complete(@PathVariable String id, @RequestBody Completion body,
                                      HttpServletRequest request) {
        if (body.beneficiariesReached() == null) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation("beneficiariesReached",
                    "must be given")));
        }
        return send(request, id, body, new CompleteActivity(id, expectedVersion(request), body.completedOn(),
                body.amountSpent(), body.beneficiariesReached()));
    }

    record Revision(String title, String description, List<String> axes, List<String> regions,
                    List<String> targetGroups, Period plannedPeriod, Money plannedBudget,
                    List<YearlyAmount> plannedBudgetByYear, String reason) {
    }

    @PostMapping("/{id}/revision")
    ResponseEntity<JsonNode> revise(@PathVariable String id, @RequestBody Revision body,
                                    HttpServletRequest request) {
        return send(request, id, body, new ReviseActivity(id, expectedVersion(request), body.title(),
                body.description(), body.axes(), body.regions(), body.targetGroups(), body.plannedPeriod(),
                body.plannedBudget(), body.plannedBudgetByYear(), body.reason()));
    }

    record Suspension(LocalDate suspendedOn, String reason) {
    }

    @PostMapping("/{id}/suspension")
    ResponseEntity<JsonNode> suspend(@PathVariable String id, @RequestBody Suspension body,
                                     HttpServletRequest request) {
        return send(request, id, body,
                new SuspendActivity(id, expectedVersion(request), body.suspendedOn(), body.reason()));
    }

    record Resumption(LocalDate resumedOn) {
    }

    @PostMapping("/{id}/resumption")
    ResponseEntity<JsonNode> resume(@PathVariable String id, @RequestBody Resumption body,
                                    HttpServletRequest request) {
        return send(request, id, body, new ResumeActivity(id, expectedVersion(request), body.resumedOn()));
    }

    record Cancellation(LocalDate cancelledOn, String reason) {
    }

    @PostMapping("/{id}/cancellation")
    ResponseEntity<JsonNode> cancel(@PathVariable String id, @RequestBody Cancellation body,
                                    HttpServletRequest request) {
        return send(request, id, body,
                new CancelActivity(id, expectedVersion(request), body.cancelledOn(), body.reason()));
    }

    record NewPartner(String agency, PartnerRole role) {
    }

    @PostMapping("/{id}/partners")
    ResponseEntity<JsonNode> addPartner(@PathVariable String id, @RequestBody NewPartner body,
                                        HttpServletRequest request) {
        return send(request, id, body, new AddPartner(id, expectedVersion(request), body.agency(), body.role()));
    }

    record PartnerRequest(PartnerRole role) {
    }

    /** The calling agency asks to join as a partner in that role; the lead accepts below. */
    @PostMapping("/{id}/partner-requests")
    ResponseEntity<JsonNode> requestPartnership(@PathVariable String id, @RequestBody PartnerRequest body,
                                                HttpServletRequest request) {
        String agency = Caller.current().map(Caller::agencyCode).orElse(null);
        return send(request, id, body, new RequestPartnership(id, expectedVersion(request), agency, body.role()));
    }

    @PostMapping("/{id}/partner-requests/acceptance")
    ResponseEntity<JsonNode> acceptPartnership(@PathVariable String id, @RequestBody NewPartner body,
                                               HttpServletRequest request) {
        return send(request, id, body,
                new AcceptPartnership(id, expectedVersion(request), body.agency(), body.role()));
    }

    record Refusal(String agency, PartnerRole role, String reason) {
    }

    @PostMapping("/{id}/partner-requests/declination")
    ResponseEntity<JsonNode> declinePartnership(@PathVariable String id, @RequestBody Refusal body,
                                                HttpServletRequest request) {
        return send(request, id, body, new DeclinePartnership(id, expectedVersion(request), body.agency(),
                body.role(), body.reason()));
    }

    /** The roles an answer covers; none given (or no body) answers every role the agency was named for. */
    record Answer(List<PartnerRole> roles, String reason) {

        static final Answer NONE = new Answer(null, null);
    }

    /** The named agency agrees; the path names it, and only its own key may say so. */
    @PostMapping("/{id}/partners/{agency}/confirmation")
    ResponseEntity<JsonNode> confirmPartnership(@PathVariable String id, @PathVariable String agency,
                                                @RequestBody(required = false) Answer body,
                                                HttpServletRequest request) {
        Answer answer = body == null ? Answer.NONE : body;
        return send(request, id, answer,
                new ConfirmPartnership(id, expectedVersion(request), agency, answer.roles()));
    }

    @PostMapping("/{id}/partners/{agency}/contestation")
    ResponseEntity<JsonNode> contestPartnership(@PathVariable String id, @PathVariable String agency,
                                                @RequestBody Answer body, HttpServletRequest request) {
        return send(request, id, body,
                new ContestPartnership(id, expectedVersion(request), agency, body.roles(), body.reason()));
    }

    record Rekeying(String newActivityId, String reason) {
    }

    /** The lead moves the activity to another identifier (a typo, a transfer): 201 with the new one's Location. */
    @PostMapping("/{id}/rekeying")
    ResponseEntity<JsonNode> rekey(@PathVariable String id, @RequestBody Rekeying body, HttpServletRequest request) {
        requireId(id);
        RekeyActivity command = new RekeyActivity(id, expectedVersion(request), body.newActivityId(), body.reason());
        return dispatch.dispatch(request, body, command, version -> CommandOutcome.created(
                URI.create("/api/activities/" + body.newActivityId()), Map.of("activityId", body.newActivityId(),
                        "movedFrom", id, "version", 0L)));
    }

    private static void requireId(String id) {
        if (!id.matches(ActivityRules.ID_PATTERN)) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation("id",
                    "must read AGENCY:local-ref")));
        }
    }

    private ResponseEntity<JsonNode> send(HttpServletRequest request, String id, Object body, Object command) {
        requireId(id);
        return dispatch.dispatch(request, body, command,
                version -> CommandOutcome.ok(Map.of("activityId", id, "version", version)));
    }

    private static Long expectedVersion(HttpServletRequest request) {
        String ifMatch = request.getHeader("If-Match");
        if (ifMatch == null) {
            return null;
        }
        String version = ifMatch.strip().replace("\"", "");
        if (!version.matches("\\d{1,18}")) {
            throw new InvalidInput(List.of(new InvalidInput.FieldViolation("If-Match",
                    "must be the activity version you last saw, such as \"3\"")));
        }
        return Long.parseLong(version);
    }
}
