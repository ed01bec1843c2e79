package org.convergenceledger.events.iati;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IatiSchemaTest {

    private static final String SMALLEST = """
            <?xml version="1.0" encoding="UTF-8"?>
            <iati-activities version="2.03">
              <iati-activity>
                <iati-identifier>XM-CL-ILO-A-1</iati-identifier>
                <reporting-org ref="XM-CL-ILO" type="40"><narrative>ILO</narrative></reporting-org>
                <title><narrative>A title</narrative></title>
                <description><narrative>A description</narrative></description>
                <participating-org role="2" ref="XM-CL-ILO"/>
                <activity-status code="1"/>
                <activity-date type="1" iso-date="2025-01-01"/>
              </iati-activity>
            </iati-activities>
            """;

    @Test
    void theSmallestValidActivityIsValid() throws Exception {
        assertThat(violations(SMALLEST)).isEmpty();
    }

    @Test
    void anElementOutOfOrderIsNamedWithItsLine() throws Exception {
        String swapped = SMALLEST.replace("<activity-status code=\"1\"/>", "")
                .replace("<activity-date", "<activity-status code=\"1\"/><activity-date")
                .replace("<participating-org role=\"2\" ref=\"XM-CL-ILO\"/>", "");

        List<IatiSchema.Violation> found = violations(swapped);

        assertThat(found).isNotEmpty();
        assertThat(found.get(0).line()).as("the line where activity-status came too early").isEqualTo(10);
        assertThat(found.get(0).reason()).contains("activity-status");
    }

    @Test
    void aDoctypeIsRefusedBeforeAnyEntityIsRead() throws Exception {
        String hostile = SMALLEST.replace("<iati-activities", """
                <!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <iati-activities""").replace("A title", "&secret;");

        List<IatiSchema.Violation> found = violations(hostile);

        assertThat(found).hasSize(1);
        assertThat(found.get(0).reason()).containsIgnoringCase("DOCTYPE");
    }

    @Test
    void somethingThatIsNotXmlIsOneViolation() throws Exception {
        assertThat(violations("{\"json\": true}")).hasSize(1);
    }

    private static List<IatiSchema.Violation> violations(String document) throws Exception {
        return IatiSchema.violations(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
    }
}
