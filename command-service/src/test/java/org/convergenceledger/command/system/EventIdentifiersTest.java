package org.convergenceledger.command.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

class EventIdentifiersTest {

    @Test
    void axonFindsItAndItMakesDistinctVersionFourUuids() {
        IdentifierFactory factory = IdentifierFactory.getInstance();
        assertThat(factory).isInstanceOf(EventIdentifiers.class);

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = factory.generateIdentifier();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(seen.add(id)).as("generated twice: %s", id).isTrue();
        }
    }
}
