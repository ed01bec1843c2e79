package org.convergenceledger.events.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetSplitTest {

    private static List<YearlyAmount> split(String start, String end, String amount) {
        return BudgetSplit.proRata(new Period(LocalDate.parse(start), LocalDate.parse(end)), Money.of(amount, "MAD"));
    }

    private static YearlyAmount year(int year, String amount) {
        return new YearlyAmount(year, new BigDecimal(amount));
    }

    @Test
    void aPeriodWithinOneYearKeepsTheWholeBudgetInCents() {
        assertThat(split("2025-03-01", "2025-06-30", "1300000")).containsExactly(year(2025, "1300000.00"));
        assertThat(split("2025-07-14", "2025-07-14", "12.5")).containsExactly(year(2025, "12.50"));
    }

    @Test
    void eachYearGetsItsShareOfTheDays() {
        // 2024: 306 days of 365 (March to December), 2025: 59 (January, February).
        assertThat(split("2024-03-01", "2025-02-28", "1250000.00"))
                .containsExactly(year(2024, "1047945.21"), year(2025, "202054.79"));
    }

    @Test
    void theLeapDayCountsForItsYear() {
        // 2024-01-01..2025-12-31: 366 + 365 days.
        assertThat(split("2024-01-01", "2025-12-31", "731")).containsExactly(year(2024, "366.00"),
                year(2025, "365.00"));
        // From 29 February: 307 days in 2024, 1 in 2025.
        assertThat(split("2024-02-29", "2025-01-01", "308")).containsExactly(year(2024, "307.00"),
                year(2025, "1.00"));
    }

    @Test
    void leftOverCentsGoToTheLargestRemaindersAndThePartsAddUpExactly() {
        // 365 + 366 + 365 days: the parts rounded down leave one cent.
        List<YearlyAmount> parts = split("2023-01-01", "2025-12-31", "100.00");
        assertThat(parts).extracting(YearlyAmount::year).containsExactly(2023, 2024, 2025);
        assertThat(BudgetSplit.total(parts)).isEqualByComparingTo("100.00");
        assertThat(parts).allSatisfy(part -> assertThat(part.amount().scale()).isEqualTo(2));
        // 2024 is a leap year: its remainder is the largest, so it takes the cent left over.
        assertThat(parts).containsExactly(year(2023, "33.30"), year(2024, "33.40"), year(2025, "33.30"));
    }

    @Test
    void onEqualRemaindersTheEarlierYearTakesTheCent() {
        assertThat(split("2025-12-31", "2026-01-01", "0.01")).containsExactly(year(2025, "0.01"), year(2026, "0.00"));
    }

    @Test
    void aBudgetWrittenFinerThanCentsIsSplitAtItsOwnScale() {
        List<YearlyAmount> parts = split("2024-07-01", "2026-06-30", "1000.0001");
        assertThat(parts).allSatisfy(part -> assertThat(part.amount().scale()).isEqualTo(4));
        assertThat(BudgetSplit.total(parts)).isEqualByComparingTo("1000.0001");
    }

    @Test
    void aZeroBudgetSplitsIntoZeros() {
        assertThat(split("2024-12-31", "2025-01-01", "0")).containsExactly(year(2024, "0.00"), year(2025, "0.00"));
    }

    @Test
    void aCentCannotBeSplitButIsNeverLost() {
        List<YearlyAmount> parts = split("2024-01-01", "2027-12-31", "0.01");
        assertThat(BudgetSplit.total(parts)).isEqualByComparingTo("0.01");
        assertThat(parts).filteredOn(part -> part.amount().signum() > 0).hasSize(1);
    }
}
