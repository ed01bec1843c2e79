package org.convergenceledger.events.common;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A planned budget split by calendar year when the sender gives no split: pro rata of the planned period's days in
 * each year, both ends included, in cents (or finer, if the total is written finer). Each part is rounded down, then
 * the cents left over go one each to the years with the largest remainders (the earlier year on a tie), so the parts
 * add up to the total exactly. The aggregate and the upcaster of events stored before the split both use it: an old
 * event reads exactly as the new code would have written it.
 */
public final class BudgetSplit {

    private static final int MIN_SCALE = 2;

    private BudgetSplit() {
    }

    public static List<YearlyAmount> proRata(Period period, Money budget) {
        LocalDate start = period.start();
        LocalDate end = period.end();
        int scale = Math.max(budget.amount().scale(), MIN_SCALE);
        BigDecimal total = budget.amount().setScale(scale, RoundingMode.UNNECESSARY);
        long allDays = ChronoUnit.DAYS.between(start, end) + 1;
        List<Share> shares = new ArrayList<>();
        BigDecimal allotted = BigDecimal.ZERO;
        for (int year = start.getYear(); year <= end.getYear(); year++) {
            LocalDate from = year == start.getYear() ? start : LocalDate.of(year, 1, 1);
            LocalDate to = year == end.getYear() ? end : LocalDate.of(year, 12, 31);
            BigDecimal exact = total.multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(from, to) + 1));
            BigDecimal part = exact.divide(BigDecimal.valueOf(allDays), scale, RoundingMode.DOWN);
            // Over the same denominator (the period's days) for every year, so remainders compare directly.
            BigDecimal remainder = exact.subtract(part.multiply(BigDecimal.valueOf(allDays)));
            shares.add(new Share(year, part, remainder));
            allotted = allotted.add(part);
        }
        long leftOver = total.subtract(allotted).movePointRight(scale).longValueExact();
        BigDecimal unit = BigDecimal.ONE.movePointLeft(scale);
        List<Share> byRemainder = new ArrayList<>(shares);
        byRemainder.sort(Comparator.comparing(Share::remainder).reversed().thenComparingInt(Share::year));
        for (int i = 0; i < leftOver; i++) {
            byRemainder.get(i).part = byRemainder.get(i).part.add(unit);
        }
        return shares.stream().map(share -> new YearlyAmount(share.year, share.part)).toList();
    }

    /** The sum of the parts. */
    public static BigDecimal total(List<YearlyAmount> parts) {
        return parts.stream().map(YearlyAmount::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static final class Share {
        final int year;
        BigDecimal part;
        final BigDecimal remainder;

        Share(int year, BigDecimal part, BigDecimal remainder) {
            this.year = year;
            this.part = part;
            this.remainder = remainder;
        }

        int year() {
            return year;
        }

        BigDecimal remainder() {
            return remainder;
        }
    }
}
