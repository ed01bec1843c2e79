package org.convergenceledger.events.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519Test {

    @TempDir
    Path dir;

    @Test
    void aKeyFileIsOwnerOnlyAndGivesBackTheWholePair() throws Exception {
        KeyPair key = Ed25519.generate();
        Path file = dir.resolve("keys/signing-key.pem");

        Ed25519.writeKeyFile(file, key);
        KeyPair read = Ed25519.readKeyFile(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(read.getPublic().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        byte[] message = "tree head".getBytes(StandardCharsets.UTF_8);
        assertThat(Ed25519.verify(key.getPublic(), Ed25519.sign(read.getPrivate(), message), message)).isTrue();
    }

    @Test
    void anExistingKeyFileIsNeverOverwritten() throws Exception {
        Path file = dir.resolve("signing-key.pem");
        Ed25519.writeKeyFile(file, Ed25519.generate());

        assertThatThrownBy(() -> Ed25519.writeKeyFile(file, Ed25519.generate()))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void aSignatureFromAnotherKeyOrNotBase64DoesNotVerify() {
        KeyPair key = Ed25519.generate();
        byte[] message = "tree head".getBytes(StandardCharsets.UTF_8);

        assertThat(Ed25519.verify(key.getPublic(), Ed25519.sign(Ed25519.generate().getPrivate(), message), message))
                .isFalse();
        assertThat(Ed25519.verify(key.getPublic(), "not base64!", message)).isFalse();
        assertThat(Ed25519.keyId(key.getPublic())).hasSize(16)
                .isEqualTo(Ed25519.keyId(Ed25519.publicKey(Ed25519.base64(key.getPublic()))));
    }
}
