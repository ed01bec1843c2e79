package org.convergenceledger.command.iati;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.convergenceledger.command.system.Caller;
import org.convergenceledger.command.activity.ActivityContent;
import org.convergenceledger.command.registry.Registry;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.command.system.CommandOutcome;
import org.convergenceledger.command.system.InvalidInput;
import org.convergenceledger.command.system.Problems;
import org.convergenceledger.events.activity.ProposeActivity;
import org.convergenceledger.events.activity.ReviseActivity;
import org.convergenceledger.events.iati.IatiOrganisations;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Imports a partner's IATI file as the calling agency: each activity becomes a proposal (a new identifier) or a
 * revision (a known one whose plan differs, reason "IATI import"), sent through the same dispatch as the REST API —
 * same rules, roles, idempotency and problems — or is reported unchanged or refused. A dry run sends nothing.
 */
@Component
class IatiImport {

    static final String REASON = "IATI import";
    private static final String TARGET = "POST /api/iati/import";

    private final CommandDispatch dispatch;
    private final Registry registry;
    private final KnownActivities known;
    private final IatiOrganisations organisations;
    private final ObjectMapper json;

    IatiImport(CommandDispatch dispatch, Registry registry, KnownActivities known, IatiImportProperties properties,
               ObjectMapper json) {
        this.dispatch = dispatch;
        this.registry = registry;
        this.known = known;
        this.organisations = new IatiOrganisations(properties.organisationRefs());
        this.json = json;
    }

    /** An activity of the file, decided: its outcome now, or the command whose answer will give it. */
    private record Step(IatiActivityIn in, IatiMapping.Mapped mapped, ImportReport.Outcome decided,
                        CompletableFuture<CommandDispatch.Answer> sent, String sentOutcome) {
    }

    ImportReport run(byte[] file, boolean dryRun, Caller caller, String occurredAt) {
        List<IatiActivityIn> activities = IatiFile.read(file);
        String agency = caller.agencyCode();
        Set<String> seen = new HashSet<>();
        List<Step> steps = new ArrayList<>();
        // Every command is queued before any answer is awaited: they share group-commit batches.
        for (IatiActivityIn in : activities) {
            IatiMapping.Mapped mapped = IatiMapping.map(in, agency, organisations, registry);
            if (mapped.refused()) {
                steps.add(decided(in, mapped, "refused", "not-importable", mapped.refusals()));
            } else if (!seen.add(mapped.activityId())) {
                steps.add(decided(in, mapped, "refused", "not-importable",
                        List.of("the file names this activity more than once")));
            } else {
                steps.add(step(in, mapped, dryRun, caller, occurredAt));
            }
        }
        List<ImportReport.Outcome> outcomes = new ArrayList<>();
        for (Step step : steps) {
            outcomes.add(step.decided() != null ? step.decided() : answered(step));
        }
        return ImportReport.of(dryRun, outcomes);
    }

    private Step step(IatiActivityIn in, IatiMapping.Mapped mapped, boolean dryRun, Caller caller,
                      String occurredAt) {
        ProposeActivity proposal = mapped.proposal();
        Optional<KnownActivities.Known> current = known.find(mapped.activityId());
        if (current.isEmpty()) {
            if (dryRun) {
                return checked(in, mapped, proposal, "would-create");
            }
            return sent(in, mapped, "created", dispatch.submit(caller, new CommandDispatch.Sent(key(proposal, "new"),
                    occurredAt, null), TARGET,
                    proposal, proposal, result -> CommandOutcome.created(
                            URI.create("/api/activities/" + proposal.activityId()),
                            Map.of("activityId", proposal.activityId(), "version", 0L))));
        }
        KnownActivities.Known ledger = current.get();
        mapped = mapped.warnedAlso(partnersKeptAsTheyAre(proposal, ledger));
        ImportedPlan plan = ImportedPlan.of(proposal);
        if (!plan.changes(ledger.plan())) {
            return decided(in, mapped, "unchanged", null, List.of());
        }
        if (dryRun) {
            // The revised plan as the aggregate would check it: a description the file leaves out stays.
            ProposeActivity revised = new ProposeActivity(proposal.activityId(), proposal.leadAgency(),
                    proposal.title(), proposal.description() != null ? proposal.description()
                    : ledger.plan().description(), proposal.axes(), proposal.regions(), proposal.targetGroups(),
                    proposal.plannedPeriod(), proposal.plannedBudget(), null);
            return checked(in, mapped, revised, "would-update");
        }
        ReviseActivity revision = new ReviseActivity(proposal.activityId(), ledger.version(), proposal.title(),
                proposal.description(), proposal.axes(), proposal.regions(), proposal.targetGroups(),
                proposal.plannedPeriod(), proposal.plannedBudget(), REASON);
        return sent(in, mapped, "updated", dispatch.submit(caller,
                new CommandDispatch.Sent(key(revision, "v" + ledger.version()), occurredAt, null), TARGET, revision, revision, version -> CommandOutcome.ok(
                        Map.of("activityId", revision.activityId(), "version", version))));
    }

    /** A dry run's verdict: the content rules the aggregate would apply, applied here without it. */
    private Step checked(IatiActivityIn in, IatiMapping.Mapped mapped, ProposeActivity content, String outcome) {
        List<InvalidInput.FieldViolation> violations = ActivityContent.violations(content, registry);
        if (violations.isEmpty()) {
            return decided(in, mapped, outcome, null, List.of());
        }
        return decided(in, mapped, "refused", "invalid-input",
                violations.stream().map(v -> v.field() + ": " + v.message()).toList());
    }

    // An import proposes and revises plans; partners an existing activity lacks are the lead's to add.
    private static List<String> partnersKeptAsTheyAre(ProposeActivity proposal, KnownActivities.Known ledger) {
        return proposal.partners().stream().filter(partner -> !ledger.partners().contains(partner))
                .map(partner -> partner.agency() + " as " + partner.role() + " is a partner in the file, not in the"
                        + " ledger: an import does not change partners (add it through /partners)").toList();
    }

    private ImportReport.Outcome answered(Step step) {
        try {
            JsonNode body = step.sent().join().body();
            return outcome(step.in(), step.mapped(), step.sentOutcome(), null, body.path("version").asLong(),
                    List.of());
        } catch (CompletionException failed) {
            RuntimeException cause = failed.getCause() instanceof RuntimeException runtime ? runtime : failed;
            Optional<ProblemDetail> problem = Problems.describe(cause);
            if (problem.isEmpty()) {
                // Not the file's fault (the database, a bug): the import stops; importing again is safe.
                throw cause;
            }
            return outcome(step.in(), step.mapped(), "refused", (String) problem.get().getProperties().get("code"),
                    null, reasons(problem.get()));
        }
    }

    /** A refusal in the words the REST API would use: each field named, or the problem's detail. */
    private static List<String> reasons(ProblemDetail problem) {
        if (problem.getProperties() != null
                && problem.getProperties().get("errors") instanceof List<?> errors && !errors.isEmpty()) {
            return errors.stream().map(error -> error instanceof InvalidInput.FieldViolation violation
                    ? violation.field() + ": " + violation.message() : String.valueOf(error)).toList();
        }
        return List.of(problem.getDetail());
    }

    /**
     * The command's idempotency key: the activity, the version it was read at and the command's content. A file
     * sent twice at once then stores its changes once; a different change of the same version is a new request.
     */
    private String key(Object command, String readAt) {
        String activityId = command instanceof ProposeActivity proposal ? proposal.activityId()
                : ((ReviseActivity) command).activityId();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsString(command)
                    .getBytes(StandardCharsets.UTF_8));
            return "iati-import:" + activityId + ":" + readAt + ":" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint the command", e);
        }
    }

    private static Step decided(IatiActivityIn in, IatiMapping.Mapped mapped, String outcome, String code,
                                List<String> reasons) {
        return new Step(in, mapped, outcome(in, mapped, outcome, code, null, reasons), null, null);
    }

    private static Step sent(IatiActivityIn in, IatiMapping.Mapped mapped, String outcome,
                             CompletableFuture<CommandDispatch.Answer> answer) {
        return new Step(in, mapped, null, answer, outcome);
    }

    private static ImportReport.Outcome outcome(IatiActivityIn in, IatiMapping.Mapped mapped, String outcome,
                                                String code, Long version, List<String> reasons) {
        return new ImportReport.Outcome(in.position(), in.identifier(), mapped.activityId(), outcome, code, version,
                List.copyOf(reasons), List.copyOf(mapped.warnings()));
    }
}
