package com.fanzfinance.payouts.ach;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

/**
 * US Federal Reserve banking days: Monday to Friday except the Federal Reserve holidays.
 *
 * <p>The holidays are computed by rule, not from a table: New Year's Day (1 January), Martin Luther
 * King Jr. Day (third Monday of January), Washington's Birthday (third Monday of February), Memorial
 * Day (last Monday of May), Juneteenth (19 June, from 2021), Independence Day (4 July), Labor Day
 * (first Monday of September), Columbus Day (second Monday of October), Veterans Day (11 November),
 * Thanksgiving (fourth Thursday of November) and Christmas Day (25 December).
 *
 * <p>A fixed-date holiday that falls on a Sunday is observed on the Monday after. One that falls on
 * a Saturday is <em>not</em> moved: the Federal Reserve Banks are open on the Friday before, so that
 * Friday is a banking day (e.g. 4 July 2026 is a Saturday and 3 July 2026 is a banking day).
 *
 * <p>Juneteenth was first observed by the Federal Reserve in 2022; "from 2021" makes no difference,
 * because 19 June 2021 was a Saturday.
 */
public final class BankingDays {

    private static final int FIRST_JUNETEENTH_YEAR = 2021;
    private static final List<MonthDay> FIXED_HOLIDAYS = List.of(
            MonthDay.of(Month.JANUARY, 1),
            MonthDay.of(Month.JUNE, 19),
            MonthDay.of(Month.JULY, 4),
            MonthDay.of(Month.NOVEMBER, 11),
            MonthDay.of(Month.DECEMBER, 25));

    private BankingDays() {
    }

    /** Whether the Federal Reserve settles on {@code day}: a weekday that is not a Fed holiday. */
    public static boolean isBankingDay(LocalDate day) {
        return !isWeekend(day) && !isHoliday(day);
    }

    /** The first banking day strictly after {@code after}. */
    public static LocalDate nextBankingDay(LocalDate after) {
        return onOrAfter(after.plusDays(1));
    }

    /** {@code day} if it is a banking day, otherwise the first banking day after it. */
    public static LocalDate onOrAfter(LocalDate day) {
        LocalDate candidate = day;
        while (!isBankingDay(candidate)) {
            candidate = candidate.plusDays(1);
        }
        return candidate;
    }

    private static boolean isWeekend(LocalDate day) {
        DayOfWeek dayOfWeek = day.getDayOfWeek();
        return dayOfWeek == DayOfWeek.SATURDAY || dayOfWeek == DayOfWeek.SUNDAY;
    }

    private static boolean isHoliday(LocalDate day) {
        return isObservedFixedHoliday(day) || isMondayHoliday(day) || isThanksgiving(day);
    }

    /** The fixed date itself (on a weekday) or the Monday after one that fell on a Sunday. */
    private static boolean isObservedFixedHoliday(LocalDate day) {
        if (isFixedHoliday(day)) {
            return true;
        }
        return day.getDayOfWeek() == DayOfWeek.MONDAY && isFixedHoliday(day.minusDays(1));
    }

    private static boolean isFixedHoliday(LocalDate day) {
        MonthDay monthDay = MonthDay.from(day);
        if (monthDay.equals(MonthDay.of(Month.JUNE, 19)) && day.getYear() < FIRST_JUNETEENTH_YEAR) {
            return false;
        }
        return FIXED_HOLIDAYS.contains(monthDay);
    }

    private static boolean isMondayHoliday(LocalDate day) {
        if (day.getDayOfWeek() != DayOfWeek.MONDAY) {
            return false;
        }
        return switch (day.getMonth()) {
            case JANUARY, FEBRUARY -> isNthWeekdayOfMonth(day, 3);
            case MAY -> day.equals(day.with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)));
            case SEPTEMBER -> isNthWeekdayOfMonth(day, 1);
            case OCTOBER -> isNthWeekdayOfMonth(day, 2);
            default -> false;
        };
    }

    private static boolean isThanksgiving(LocalDate day) {
        return day.getMonth() == Month.NOVEMBER
                && day.getDayOfWeek() == DayOfWeek.THURSDAY
                && isNthWeekdayOfMonth(day, 4);
    }

    private static boolean isNthWeekdayOfMonth(LocalDate day, int ordinal) {
        return (day.getDayOfMonth() - 1) / 7 + 1 == ordinal;
    }
}
