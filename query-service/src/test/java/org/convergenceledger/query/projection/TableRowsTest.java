package org.convergenceledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableRowsTest {

    @Test
    void aRowInCopyTextFormatEscapesWhatCopyWouldReadAsSyntax() {
        StringBuilder line = new StringBuilder();

        TableRows.line(line, new Object[] {"a\tb\\c\nd", null, new BigDecimal("1.25E+6"), true,
                LocalDate.of(2024, 3, 1), 42L});

        assertThat(line.toString()).isEqualTo("a\\tb\\\\c\\nd\t\\N\t1250000\tt\t2024-03-01\t42\n");
    }

    @Test
    void aTextArrayQuotesEveryElementAndSurvivesCopysOwnEscaping() {
        StringBuilder line = new StringBuilder();

        TableRows.line(line, new Object[] {List.of("GENDER", "say \"hi\"", "back\\slash")});

        // The array literal {"GENDER","say \"hi\"","back\\slash"}, then COPY's backslashes doubled.
        assertThat(line.toString()).isEqualTo("{\"GENDER\",\"say \\\\\"hi\\\\\"\",\"back\\\\\\\\slash\"}\n");
    }
}
