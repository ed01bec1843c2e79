package org.convergenceledger.events.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void anIssuedKeyMatchesItsRecordedHashAndNamesItsId() {
        Credentials.Issued issued = Credentials.issue();

        assertThat(Credentials.matches(issued.apiKey(), issued.credentialHash())).isTrue();
        assertThat(Credentials.keyIdOf(issued.apiKey())).contains(issued.keyId());
        assertThat(Credentials.isCredentialHash(issued.credentialHash())).isTrue();
        // The secret is nowhere in what is recorded.
        assertThat(issued.credentialHash()).doesNotContain(issued.apiKey().substring(16));
    }

    @Test
    void anotherKeyOrAChangedCharacterDoesNotMatch() {
        Credentials.Issued issued = Credentials.issue();
        Credentials.Issued other = Credentials.issue();
        char last = issued.apiKey().charAt(issued.apiKey().length() - 1);
        String changed = issued.apiKey().substring(0, issued.apiKey().length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(Credentials.matches(other.apiKey(), issued.credentialHash())).isFalse();
        assertThat(Credentials.matches(changed, issued.credentialHash())).isFalse();
    }

    @Test
    void twoKeysGetDifferentSaltsAndIds() {
        Credentials.Issued one = Credentials.issue();
        Credentials.Issued two = Credentials.issue();

        assertThat(one.keyId()).isNotEqualTo(two.keyId());
        assertThat(one.credentialHash().split(":")[1]).isNotEqualTo(two.credentialHash().split(":")[1]);
    }

    @Test
    void somethingThatIsNotAKeyIsRecognisedAsSuch() {
        assertThat(Credentials.keyIdOf("Bearer abc")).isEmpty();
        assertThat(Credentials.keyIdOf(null)).isEmpty();
        assertThat(Credentials.matches("cl_0123456789ab_short", "sha256:x:y")).isFalse();
    }
}
