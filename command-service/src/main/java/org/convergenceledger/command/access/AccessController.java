package org.convergenceledger.command.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.convergenceledger.command.system.CommandDispatch;
import org.convergenceledger.events.access.AccessRole;
import org.convergenceledger.events.access.Credentials;
import org.convergenceledger.events.access.IssueApiKey;
import org.convergenceledger.events.access.RevokeApiKey;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keys, issued and revoked by administrators. Issuing and revoking are ledger events (auditors see who did it and
 * when); the key itself appears once, in the answer to its issuance, and nowhere else.
 */
@RestController
@RequestMapping("/api/admin/keys")
class AccessController {

    record KeyRequest(AccessRole role, String agencyCode, String label) {
    }

    record Revocation(String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record IssuedKey(String keyId, String apiKey, AccessRole role, String agencyCode, String label, String note) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record KeyInfo(String keyId, AccessRole role, String agencyCode, String label, Instant issuedAt,
                   Instant revokedAt, String revokedReason) {
    }

    private final CommandDispatch dispatch;
    private final ApiKeyStore keys;

    AccessController(CommandDispatch dispatch, ApiKeyStore keys) {
        this.dispatch = dispatch;
        this.keys = keys;
    }

    @PostMapping
    ResponseEntity<IssuedKey> issue(@RequestBody KeyRequest body, HttpServletRequest request) {
        Credentials.Issued issued = Credentials.issue();
        // Not replayable by Idempotency-Key: a stored answer would keep the secret.
        dispatch.sendOnce(request, new IssueApiKey(issued.keyId(), body.agencyCode(), body.role(), body.label(),
                issued.credentialHash()));
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/admin/keys/" + issued.keyId()))
                .body(new IssuedKey(issued.keyId(), issued.apiKey(), body.role(), body.agencyCode(), body.label(),
                        "shown once: the ledger keeps only a salted hash of it"));
    }

    @PostMapping("/{keyId}/revocation")
    Map<String, Object> revoke(@PathVariable String keyId, @RequestBody Revocation body, HttpServletRequest request) {
        if (keys.find(keyId).isEmpty()) {
            throw new UnknownKey(keyId);
        }
        dispatch.sendOnce(request, new RevokeApiKey(keyId, body.reason()));
        return Map.of("keyId", keyId, "revoked", true);
    }

    @GetMapping
    List<KeyInfo> list() {
        return keys.all().stream().map(AccessController::info).toList();
    }

    @GetMapping("/{keyId}")
    KeyInfo one(@PathVariable String keyId) {
        return keys.find(keyId).map(AccessController::info).orElseThrow(() -> new UnknownKey(keyId));
    }

    private static KeyInfo info(ApiKeyStore.StoredKey key) {
        return new KeyInfo(key.keyId(), key.role(), key.agencyCode(), key.label(), key.issuedAt(), key.revokedAt(),
                key.revokedReason());
    }
}
