package org.convergenceledger.command.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** HeaderText decides exactly as the regular expressions of Spring Security's StrictHttpFirewall it replaces. */
class HeaderTextTest {

    // Copied from StrictHttpFirewall (Spring Security 6.5): the rules HeaderText must keep.
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    private static final List<String> SAMPLES = List.of(
            "", "Authorization", "Bearer cl_abc.DEF-123", "application/json; charset=utf-8", "a b", "~!@#$%^&*()",
            "tab\there", "new\nline", "return\r", "nul\u0000", "del\u007f", "c1 control\u0085", "nbsp\u00a0",
            "Employabilité des jeunes", "Marrakech-Safi — مراكش", "emoji \uD83D\uDE00", "lone surrogate \uD800",
            "unassigned \u0378", "private use \uE000", "bell\u0007", "zero width\u200b");

    @Test
    void namesAreJudgedAsTheFirewallsExpressionJudgesThem() {
        for (String sample : SAMPLES) {
            assertThat(HeaderText.isAllowedName(sample)).as(sample).isEqualTo(NAME.matcher(sample).matches());
        }
    }

    @Test
    void valuesAreJudgedAsTheFirewallsExpressionJudgesThem() {
        for (String sample : SAMPLES) {
            assertThat(HeaderText.isAllowedValue(sample)).as(sample).isEqualTo(VALUE.matcher(sample).matches());
        }
    }

    @Test
    void controlCharactersAreRefusedAndATabOnlyInValues() {
        assertThat(HeaderText.isAllowedValue("x\ty")).isTrue();
        assertThat(HeaderText.isAllowedName("x\ty")).isFalse();
        assertThat(HeaderText.isAllowedValue("x\r\ny")).isFalse();
        assertThat(HeaderText.isAllowedName("unassigned \u0378")).isFalse();
    }
}
