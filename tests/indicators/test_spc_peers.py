"""The peers' published cases of Making Data Count XmR charts, as our own tests.

Each case names the peer's file it comes from (and, where there is one, the test in it):
NHSRplotthedots (the NHS-R Community's reference R package, at 050b07d), PowerBI-SPC (the
WA Department of Health's Power BI visual, at 478773a) and nhspy-plotthedots (at bfdefe4).
Where a series test passes the peer's own options (its default screening of extreme moving
ranges, fix_after_n_points, rebase) we pass ours that mean the same; where we deliberately
differ, the case says so and docs/spc.md gives the reason.

Rule cases give limits as (mean, upper, lower, upper 2-sigma, lower 2-sigma) and flags as a
string, one character a point: H high, L low, . none. Point types: c common cause,
I improvement, C concern, H neutral high, L neutral low.
"""

from dataclasses import dataclass, field

import pytest

from indicators import spc

FLAG = {"H": spc.HIGH, "L": spc.LOW, ".": None}
POINT = {"c": spc.COMMON, "I": spc.IMPROVEMENT, "C": spc.CONCERN, "H": spc.NEUTRAL_HIGH, "L": spc.NEUTRAL_LOW}


def flags(text):
    return [FLAG[c] for c in text]


def limits(mean, upper, lower, upper_two_sigma, lower_two_sigma):
    return spc.Limits(mean, 0.0, upper, lower, upper_two_sigma, lower_two_sigma)


def source_of(case):
    return case[1]

RUN_CASES = [
    ('ptd-rule-seven-one-side rep(1, 6)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_one_side_mean works as expected'", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 0, 7, '......'),
    ('ptd-rule-seven-one-side c(rep(1, 6), -1)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_one_side_mean works as expected'", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0], 0, 7, '.......'),
    ('ptd-rule-seven-one-side c(rep(1, 8), -1)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_one_side_mean works as expected'", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0], 0, 7, 'HHHHHHHH.'),
    ('ptd-rule-seven-one-side c(rep(-1, 8), 1)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_one_side_mean works as expected'", [-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, 1.0], 0, 7, 'LLLLLLLL.'),
    ('pbi-shift no shift n=7', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [5.0, 6.0, 4.0, 5.0, 6.0, 4.0, 5.0], 5, 7, '.......'),
    ('pbi-shift upper n=5', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [5.0, 6.0, 6.0, 6.0, 6.0, 6.0, 5.0], 5, 5, '.HHHHH.'),
    ('pbi-shift lower n=5', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [5.0, 4.0, 4.0, 4.0, 4.0, 4.0, 5.0], 5, 5, '.LLLLL.'),
    ('pbi-shift exactly n=3', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [5.0, 6.0, 6.0, 6.0, 5.0], 5, 3, '.HHH.'),
    ('pbi-shift n-1 points n=4', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [5.0, 6.0, 6.0, 6.0, 5.0], 5, 4, '.....'),
    ('pbi-shift reset when interrupted', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [6.0, 6.0, 6.0, 5.0, 6.0, 6.0, 6.0, 6.0], 5, 4, '....HHHH'),
    ('pbi-shift points on the centre line', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [5.0, 5.0, 5.0, 5.0, 5.0], 5, 3, '.....'),
    ('pbi-shift empty', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [], 5, 5, ''),
    ('pbi-shift n=1', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [5.0, 6.0, 5.0, 4.0, 5.0], 5, 1, '.H.L.'),
    ('pbi-shift consecutive shifts', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [6.0, 6.0, 6.0, 6.0, 4.0, 4.0, 4.0, 4.0, 5.0], 5, 3, 'HHHHLLLL.'),
    ('pbi-shift long shift n=7', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 5.0], 5, 7, 'HHHHHHH.'),
    ('pbi-shift alternating', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [6.0, 4.0, 6.0, 4.0, 6.0, 4.0], 5, 3, '......'),
    ('pbi-shift negative values', 'PowerBI-SPC test/Outlier Flagging/shift.test.ts', [-2.0, -2.0, -2.0, -2.0], -3, 3, 'HHHH'),
]

TREND_CASES = [
    ('ptd-rule-seven-trend 1:6', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_trend works as expected'", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 7, '......'),
    ('ptd-rule-seven-trend c(1:3, 3:6)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_trend works as expected'", [1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0], 7, '.......'),
    ('ptd-rule-seven-trend 1:7', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_trend works as expected'", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], 7, 'HHHHHHH'),
    ('ptd-rule-seven-trend c(2, 1:7, 3)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_trend works as expected'", [2.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 3.0], 7, '.HHHHHHH.'),
    ('ptd-rule-seven-trend 7:1', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_trend works as expected'", [7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0], 7, 'LLLLLLL'),
    ('ptd-rule-seven-trend c(2, 7:1, 3)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_seven_point_trend works as expected'", [2.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 3.0], 7, '.LLLLLLL.'),
    ('pbi-trend no trend', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0], 5, '.......'),
    ('pbi-trend up n=5', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 5.0], 5, 'HHHHHH.'),
    ('pbi-trend down n=5', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 2.0], 5, 'LLLLLL.'),
    ('pbi-trend exactly n=3', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [1.0, 2.0, 3.0, 4.0, 2.0], 3, 'HHHH.'),
    ('pbi-trend reset when interrupted', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [1.0, 2.0, 3.0, 2.0, 3.0, 4.0, 5.0, 6.0], 4, '...HHHHH'),
    ('pbi-trend equal values', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [5.0, 5.0, 5.0, 5.0, 5.0], 3, '.....'),
    ('pbi-trend empty', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [], 5, ''),
    ('pbi-trend single point', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [5.0], 3, '.'),
    ('pbi-trend n=2 every change', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [1.0, 2.0, 1.0, 3.0, 2.0], 2, 'HLHLL'),
    ('pbi-trend long trend n=7', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 6.0], 7, 'HHHHHHH.'),
    ('pbi-trend negative upward', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [-5.0, -4.0, -3.0, -2.0, -1.0], 4, 'HHHHH'),
    ('pbi-trend negative downward', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [-1.0, -2.0, -3.0, -4.0, -5.0], 4, 'LLLLL'),
    ('pbi-trend mixed', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [1.0, 3.0, 2.0, 4.0, 3.0, 5.0], 4, '......'),
    ('pbi-trend to the end', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [1.0, 2.0, 3.0, 4.0, 5.0], 4, 'HHHHH'),
    ('pbi-trend small steps', 'PowerBI-SPC test/Outlier Flagging/trend.test.ts', [1.0, 1.1, 1.2, 1.3, 1.4], 4, 'HHHHH'),
]

TWO_OF_THREE_CASES = [
    ('ptd-rule-two-in-three c(1,0,1) same side', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_part_of_two_in_three works as expected'", [2.5, 1.0, 2.5], (0, 3, -3, 2, -2), 'H.H'),
    ('ptd-rule-two-in-three c(0,1,1) same side', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_part_of_two_in_three works as expected'", [1.0, 2.5, 2.5], (0, 3, -3, 2, -2), '.HH'),
    ('ptd-rule-two-in-three c(1,1,0) same side', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_part_of_two_in_three works as expected'", [2.5, 2.5, 1.0], (0, 3, -3, 2, -2), 'HH.'),
    ('ptd-rule-two-in-three c(0,0,1,0,1,0,0) same side', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_part_of_two_in_three works as expected'", [1.0, 1.0, 2.5, 1.0, 2.5, 1.0, 1.0], (0, 3, -3, 2, -2), '..H.H..'),
    ('ptd-rule-two-in-three c(0,0,1,1,0,0,0) same side', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_two_in_three works as expected", [1.0, 1.0, 2.5, 2.5, 1.0, 1.0, 1.0], (0, 3, -3, 2, -2), '..HH...'),
    ('ptd-rule-two-in-three c(1,0,0,1) too far apart', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_part_of_two_in_three works as expected'", [2.5, 1.0, 1.0, 2.5], (0, 3, -3, 2, -2), '....'),
    ('ptd-rule-two-in-three c(1,0,0,1,1)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_part_of_two_in_three works as expected'", [2.5, 1.0, 1.0, 2.5, 2.5], (0, 3, -3, 2, -2), '...HH'),
    ('ptd-rule-two-in-three c(1,0,1) middle point below mean', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_two_in_three works as expected when points are on opposite sides of the mean'", [2.5, -1.0, 2.5], (0, 3, -3, 2, -2), '...'),
    ('ptd-rule-two-in-three c(0,1,1) with rtm c(1,-1,1)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_two_in_three works as expected when points are on opposite sides of the mean'", [1.0, -2.5, 2.5], (0, 3, -3, 2, -2), '...'),
    ('ptd-rule-two-in-three c(1,1,0) with rtm c(1,-1,1)', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_two_in_three works as expected when points are on opposite sides of the mean'", [2.5, -2.5, 1.0], (0, 3, -3, 2, -2), '...'),
    ('ptd-rule-two-in-three c(0,0,1,0,1,0,0) alternating sides', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_two_in_three works as expected when points are on opposite sides of the mean'", [1.0, -1.0, 2.5, -1.0, 2.5, -1.0, 1.0], (0, 3, -3, 2, -2), '.......'),
    ('ptd-rule-two-in-three c(0,0,1,1,0,0,0) alternating sides', "NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R 'ptd_two_in_three works as expected when points are on opposite sides of the mean'", [-1.0, 1.0, -2.5, 2.5, -1.0, 1.0, -1.0], (0, 3, -3, 2, -2), '.......'),
    ('pbi-two-in-three none outside', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [5.0, 6.0, 7.0, 8.0, 9.0], (5, 100, -90, 10, 0), '.....'),
    ('pbi-two-in-three two upper', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [5.0, 11.0, 11.0, 5.0, 5.0, 5.0], (3, 100, -90, 10, 0), '.HH...'),
    ('pbi-two-in-three two lower', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [5.0, -1.0, -1.0, 5.0, 5.0, 5.0], (7, 100, -90, 10, 0), '.LL...'),
    ('pbi-two-in-three outside inside outside', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [11.0, 5.0, 11.0, 5.0, 5.0], (3, 100, -90, 10, 0), 'H.H..'),
    ('pbi-two-in-three inside outside outside', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [5.0, 11.0, 11.0, 5.0, 5.0], (3, 100, -90, 10, 0), '.HH..'),
    ('pbi-two-in-three only one of three', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [11.0, 5.0, 5.0, 5.0, 5.0], (5, 100, -90, 10, 0), '.....'),
    ('pbi-two-in-three three of three', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [5.0, 11.0, 11.0, 11.0, 5.0, 5.0], (3, 100, -90, 10, 0), '.HHH..'),
    ('pbi-two-in-three mixed sides', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [5.0, 11.0, 11.0, -1.0, 5.0, 5.0], (3, 100, -90, 10, 0), '.HH...'),
    ('pbi-two-in-three consecutive patterns', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [5.0, 11.0, 11.0, 5.0, 11.0, 11.0, 5.0], (3, 100, -90, 10, 0), '.HH.HH.'),
    ('pbi-two-in-three empty', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [], (5, 100, -90, 10, 0), ''),
    ('pbi-two-in-three single point', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [11.0], (5, 100, -90, 10, 0), '.'),
    ('pbi-two-in-three exactly two of three', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [5.0, 11.0, 11.0, 5.0], (3, 100, -90, 10, 0), '.HH.'),
    ('pbi-two-in-three on the 2-sigma line', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [10.0, 10.0, 5.0, 5.0, 5.0], (5, 100, -90, 10, 0), '.....'),
    ('pbi-two-in-three rolling window', 'PowerBI-SPC test/Outlier Flagging/twoInThree.test.ts', [5.0, 11.0, 11.0, 5.0, 11.0, 5.0, 5.0], (3, 100, -90, 10, 0), '.HH.H..'),
]

OUTSIDE_CASES = [
    ('pbi-astronomical all within', 'PowerBI-SPC test/Outlier Flagging/astronomical.test.ts', [5.0, 6.0, 7.0, 8.0, 9.0], (5, 10, 0, 10, 0), '.....'),
    ('pbi-astronomical above upper', 'PowerBI-SPC test/Outlier Flagging/astronomical.test.ts', [5.0, 11.0, 7.0, 12.0, 9.0], (5, 10, 0, 10, 0), '.H.H.'),
    ('pbi-astronomical below lower', 'PowerBI-SPC test/Outlier Flagging/astronomical.test.ts', [5.0, -1.0, 7.0, -2.0, 9.0], (5, 10, 0, 10, 0), '.L.L.'),
    ('pbi-astronomical both sides', 'PowerBI-SPC test/Outlier Flagging/astronomical.test.ts', [5.0, 11.0, -1.0, 8.0, 12.0], (5, 10, 0, 10, 0), '.HL.H'),
    ('pbi-astronomical exactly on the limits', 'PowerBI-SPC test/Outlier Flagging/astronomical.test.ts', [0.0, 5.0, 10.0], (5, 10, 0, 10, 0), '...'),
    ('pbi-astronomical empty', 'PowerBI-SPC test/Outlier Flagging/astronomical.test.ts', [], (5, 10, 0, 10, 0), ''),
    ('pbi-astronomical single within', 'PowerBI-SPC test/Outlier Flagging/astronomical.test.ts', [5.0], (5, 10, 0, 10, 0), '.'),
    ('pbi-astronomical single outside', 'PowerBI-SPC test/Outlier Flagging/astronomical.test.ts', [15.0], (5, 10, 0, 10, 0), 'H'),
    ('pbi-astronomical negative limits', 'PowerBI-SPC test/Outlier Flagging/astronomical.test.ts', [-15.0, -10.0, -5.0, 0.0, 5.0], (-10, 0, -20, 0, -20), '....H'),
]

ASSURANCE_CASES = [
    ('ptd-rule-assurance facet a increase', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns correct values for assurance when improvement_direction is increase'", (1, 3), 4, 'higher', 'consistent_fail'),
    ('ptd-rule-assurance facet b increase', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns correct values for assurance when improvement_direction is increase'", (5, 7), 4, 'higher', 'consistent_pass'),
    ('ptd-rule-assurance facet c increase', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns correct values for assurance when improvement_direction is increase'", (1, 5), 4, 'higher', 'inconsistent'),
    ('ptd-rule-assurance facet a decrease', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns correct values for assurance when improvement_direction is decrease'", (1, 3), 4, 'lower', 'consistent_pass'),
    ('ptd-rule-assurance facet b decrease', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns correct values for assurance when improvement_direction is decrease'", (5, 7), 4, 'lower', 'consistent_fail'),
    ('ptd-rule-assurance facet c decrease', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns correct values for assurance when improvement_direction is decrease'", (1, 5), 4, 'lower', 'inconsistent'),
    ('ptd-rule-assurance facet a neutral', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns correct values for assurance when improvement_direction is neutral'", (1, 3), 4, 'none', None),
    ('ptd-rule-assurance facet b neutral', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns correct values for assurance when improvement_direction is neutral'", (5, 7), 4, 'none', None),
    ('ptd-rule-assurance facet c neutral', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns correct values for assurance when improvement_direction is neutral'", (1, 5), 4, 'none', None),
    ('ptd-rule-assurance no target', "NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R 'it returns a column of NA's if there is no target'", (1, 3), None, 'higher', None),
    ('pbi-assurance null target', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), None, 'higher', None),
    ('pbi-assurance neutral', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), 5, 'none', None),
    ('pbi-assurance increase above upper', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), 15, 'higher', 'consistent_fail'),
    ('pbi-assurance increase below lower', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), -5, 'higher', 'consistent_pass'),
    ('pbi-assurance increase within', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), 5, 'higher', 'inconsistent'),
    ('pbi-assurance decrease above upper', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), 15, 'lower', 'consistent_pass'),
    ('pbi-assurance decrease below lower', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), -5, 'lower', 'consistent_fail'),
    ('pbi-assurance decrease within', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), 5, 'lower', 'inconsistent'),
    ('pbi-assurance target on the upper limit', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), 10, 'higher', 'inconsistent'),
    ('pbi-assurance target on the lower limit', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (0, 10), 0, 'higher', 'inconsistent'),
    ('pbi-assurance negative limits and target', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (-10, 0), -15, 'higher', 'consistent_pass'),
    ('pbi-assurance negative target within', 'PowerBI-SPC test/Outlier Flagging/assuranceIconToDraw.test.ts', (-10, 0), -5, 'lower', 'inconsistent'),
]

POINT_TYPE_CASES = [
    ('ptd-issue153 s>3, s>3, 2<s<3', "NHSRplotthedots issue #153 'Handling special cause flags with a combination of 2in3 and exceptional points rules'", [3.5, 3.5, 2.5], (0, 3, -3, 2, -2), 'IIc', {'result': {'class': 'peer behind current MDC rule; project follows MDC', 'why': 'NHSRplotthedots counts only points between 2 and 3 sigma for 2-in-3 (close_to_limits = !outside_limits & ...); the project (and MDC since Nov 2023, issue #194, and PowerBI-SPC) also count points beyond 3 sigma'}}),
    ('ptd-issue153 s>3, 2<s<3, 2<s<3', "NHSRplotthedots issue #153 'Handling special cause flags with a combination of 2in3 and exceptional points rules'", [3.5, 2.5, 2.5], (0, 3, -3, 2, -2), 'III', {}),
]


@pytest.mark.parametrize(("name", "source", "values", "mean", "length", "expected"), RUN_CASES, ids=[c[0] for c in RUN_CASES])
def test_a_run_on_one_side_of_the_mean_is_flagged_as_the_peers_flag_it(name, source, values, mean, length, expected):
    assert spc.runs_one_side(values, mean, length) == flags(expected), source


@pytest.mark.parametrize(("name", "source", "values", "length", "expected"), TREND_CASES, ids=[c[0] for c in TREND_CASES])
def test_a_trend_is_flagged_as_the_peers_flag_it(name, source, values, length, expected):
    assert spc.trends(values, length) == flags(expected), source


@pytest.mark.parametrize(("name", "source", "values", "lim", "expected"), TWO_OF_THREE_CASES,
                         ids=[c[0] for c in TWO_OF_THREE_CASES])
def test_two_of_three_beyond_a_two_sigma_line_is_flagged_as_the_peers_flag_it(name, source, values, lim, expected):
    assert spc.two_of_three(values, limits(*lim)) == flags(expected), source


@pytest.mark.parametrize(("name", "source", "values", "lim", "expected"), OUTSIDE_CASES, ids=[c[0] for c in OUTSIDE_CASES])
def test_a_point_outside_the_process_limits_is_flagged_as_the_peers_flag_it(name, source, values, lim, expected):
    assert spc.outside_limits(values, limits(*lim)) == flags(expected), source


@pytest.mark.parametrize(("name", "source", "bounds", "target", "polarity", "expected"), ASSURANCE_CASES,
                         ids=[c[0] for c in ASSURANCE_CASES])
def test_assurance_against_a_target_is_what_the_peers_say(name, source, bounds, target, polarity, expected):
    lower, upper = bounds
    lim = spc.Limits((lower + upper) / 2, 0.0, upper, lower, upper, lower)
    assert spc.assurance(lim, target, polarity) == expected, source


@pytest.mark.parametrize(("name", "source", "values", "lim", "expected", "differs"), POINT_TYPE_CASES,
                         ids=[c[0] for c in POINT_TYPE_CASES])
def test_points_beyond_three_sigma_count_towards_two_of_three(name, source, values, lim, expected, differs):
    """NHSRplotthedots issue #153: with limits given, which points are special cause.

    Its first case is a deliberate difference (docs/spc.md): the R package counts only points
    between 2 and 3 sigma towards 2 of 3; Making Data Count (since November 2023, the package's
    issue #194) and PowerBI-SPC count points beyond 3 sigma too, and so do we, so the third point
    is part of 2 of 3 for us and common cause for the package.
    """
    result = spc.classify(values, limits(*lim), polarity="higher")
    if differs:
        assert expected[-1] == "c" and result[-1] == spc.IMPROVEMENT, source
        assert [POINT[c] for c in expected[:-1]] == result[:-1], source
    else:
        assert result == [POINT[c] for c in expected], source


@dataclass
class Case:
    name: str
    source: str
    values: list
    polarity: str
    target: float | None
    options: dict
    expect: dict
    differs: dict = field(default_factory=dict)


SERIES = [
    Case('ptd-standard-r1-rnorm20', "NHSRplotthedots tests/testthat/test-ptd_spc_standard.R 'it returns expected values'",
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, 0.40077145059405217, 0.1106827159451197, -0.5558411347540749, 1.7869131368030782, 0.4978504782292394, -1.9666171566296382, 0.7013559015636855, -0.47279140772793404],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 0.1416238, 'lower': -3.01138, 'upper': 3.294627, 'tol': 5e-06, 'variation': 'common_cause', 'points': 'cccccccccccccccccccc'},
         differs={}),
    Case('ptd-standard-r2-outlier-screened', "NHSRplotthedots tests/testthat/test-ptd_spc_standard.R 'it returns expected values'",
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, 0.40077145059405217, 0.1106827159451197, 10.0, 1.7869131368030782, 0.4978504782292394, -1.9666171566296382, 0.7013559015636855, -0.47279140772793404],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 0.6694159, 'lower': -2.383666, 'upper': 3.722497, 'tol': 5e-06, 'variation': 'common_cause', 'points': 'ccccccccccccccIccccc'},
         differs={'lower': 'design: project follows the MDC Excel tool', 'upper': 'design: project follows the MDC Excel tool'}),
    Case('ptd-standard-r3-outlier-unscreened', "NHSRplotthedots tests/testthat/test-ptd_spc_standard.R 'it returns expected values'",
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, 0.40077145059405217, 0.1106827159451197, 10.0, 1.7869131368030782, 0.4978504782292394, -1.9666171566296382, 0.7013559015636855, -0.47279140772793404],
         polarity='higher', target=None, options={},
         expect={'mean': 0.6694159, 'lower': -4.596625, 'upper': 5.935457, 'tol': 5e-06, 'variation': 'common_cause', 'points': 'ccccccccccccccIccccc'},
         differs={}),
    Case('ptd-summary-facet0-10-points', "NHSRplotthedots tests/testthat/test-ptd_spc.R 'it outputs expected content'",
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 0.0746, 'lower': -2.6, 'upper': 2.75, 'tol': 0.005, 'mean_tol': 5e-05, 'variation': 'common_cause', 'points': 'cccccccccc'},
         differs={'variation': 'design: documented minimum of 12 points'}),
    Case('ptd-summary-facet1-10-points', "NHSRplotthedots tests/testthat/test-ptd_spc.R 'it outputs expected content'",
         [1.2240817974394615, 0.3598138270573638, 0.40077145059405217, 0.1106827159451197, -0.5558411347540749, 1.7869131368030782, 0.4978504782292394, -1.9666171566296382, 0.7013559015636855, -0.47279140772793404],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 0.209, 'lower': -3.28, 'upper': 3.7, 'tol': 0.005, 'mean_tol': 0.0005, 'variation': 'common_cause', 'points': 'cccccccccc'},
         differs={'variation': 'design: documented minimum of 12 points'}),
    Case('ptd-standard-fix-after-12', "NHSRplotthedots tests/testthat/test-ptd_spc_standard.R 'setting fix_after_n_points changes the calculations'",
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, 0.40077145059405217, 0.1106827159451197, -0.5558411347540749, 1.7869131368030782, 0.4978504782292394, -1.9666171566296382, 0.7013559015636855, -0.47279140772793404],
         polarity='higher', target=None, options={'screen_outliers': True, 'baseline_end': 11},
         expect={'mean': 0.19417933878903704, 'lower': -2.6073998147977493, 'upper': 2.995758492375823, 'tol': 1e-09, 'variation': 'common_cause', 'points': 'cccccccccccccccccccc'},
         differs={'mean': 'missing feature', 'lower': 'missing feature', 'upper': 'missing feature'}),
    Case('ptd-standard-rebase-at-11th-point', "NHSRplotthedots tests/testthat/test-ptd_spc_standard.R 'it sets the rebase_group field'",
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, 0.40077145059405217, 0.1106827159451197, -0.5558411347540749, 1.7869131368030782, 0.4978504782292394, -1.9666171566296382, 0.7013559015636855, -0.47279140772793404],
         polarity='higher', target=None, options={'screen_outliers': True, 'rebase_at': (10,)},
         expect={'tol': 0.005, 'variation': 'common_cause', 'points': 'cccccccccccccccccccc', 'segments': [(0, 0.074626, -2.600585, 2.749837), (10, 0.208622, -3.279005, 3.696249)]},
         differs={'segments': 'missing feature'}),
    Case('ptd-standard-2in3-opposite-sides', "NHSRplotthedots tests/testthat/test-ptd_spc_standard.R 'it only reports special cause for 2of3 points close to limits when they are on the same side of the mean'",
         [1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 5.5, -5.5],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'variation': 'common_cause', 'points': 'cccccccccccccccc'},
         differs={}),
    Case('ptd-icons-s1-s2-rnorm24', "NHSRplotthedots tests/testthat/test-geom_ptd_icon.R 'ptd_get_icons transforms the data correctly'",
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, 0.40077145059405217, 0.1106827159451197, -0.5558411347540749, 1.7869131368030782, 0.4978504782292394, -1.9666171566296382, 0.7013559015636855, -0.47279140772793404, -1.0678237059868452, -0.21797491465829513, -1.0260044483072397, -0.7288912292911403],
         polarity='higher', target=0.5, options={'screen_outliers': True},
         expect={'variation': 'common_cause', 'assurance': 'inconsistent', 'points': 'cccccccccccccccccccccccc'},
         differs={}),
    Case('ptd-icons-s3-s4-facet0-12-points', 'NHSRplotthedots tests/testthat/test-geom_ptd_icon.R',
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638],
         polarity='higher', target=0.5, options={'screen_outliers': True},
         expect={'variation': 'common_cause', 'assurance': 'inconsistent', 'points': 'cccccccccccc'},
         differs={}),
    Case('ptd-icons-s3-s4-facet1-12-points', 'NHSRplotthedots tests/testthat/test-geom_ptd_icon.R',
         [0.40077145059405217, 0.1106827159451197, -0.5558411347540749, 1.7869131368030782, 0.4978504782292394, -1.9666171566296382, 0.7013559015636855, -0.47279140772793404, -1.0678237059868452, -0.21797491465829513, -1.0260044483072397, -0.7288912292911403],
         polarity='higher', target=0.5, options={'screen_outliers': True},
         expect={'variation': 'common_cause', 'assurance': 'inconsistent', 'points': 'cccccccccccc'},
         differs={}),
    Case('ptd-icons-s5', 'NHSRplotthedots tests/testthat/test-geom_ptd_icon.R',
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, 4.374960732150743, 3.313306689257587, 5.837787044494525, 5.153373117836515, 3.8618630629880526, 6.253814921069926, 5.426464221476814, 4.704928517007729, 5.8951256610450224, 5.878133487533042, 5.821581081637487, 5.688640254100091],
         polarity='higher', target=-3, options={'screen_outliers': True},
         expect={'variation': 'special_cause_improvement', 'assurance': 'consistent_pass', 'points': 'CCCCCCCCCCCCIIIIIIIIIIII'},
         differs={}),
    Case('ptd-icons-s6', 'NHSRplotthedots tests/testthat/test-geom_ptd_icon.R',
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, 4.374960732150743, 3.313306689257587, 5.837787044494525, 5.153373117836515, 3.8618630629880526, 6.253814921069926, 5.426464221476814, 4.704928517007729, 5.8951256610450224, 5.878133487533042, 5.821581081637487, 5.688640254100091],
         polarity='lower', target=-3, options={'screen_outliers': True},
         expect={'variation': 'special_cause_concern', 'assurance': 'consistent_fail', 'points': 'IIIIIIIIIIIICCCCCCCCCCCC'},
         differs={}),
    Case('ptd-icons-s7', 'NHSRplotthedots tests/testthat/test-geom_ptd_icon.R',
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, -4.446082346462411, -5.061911710576721, -5.305962663739916, -5.380471001012383, -5.694706978920513, -5.207917278019599, -6.265396351568264, -2.8310440346614874, -3.7920380016950093, -6.123108583203349, -5.402884835299076, -5.466655353623219],
         polarity='higher', target=3, options={'screen_outliers': True},
         expect={'variation': 'special_cause_concern', 'assurance': 'consistent_fail', 'points': 'IIIIIIIIIIIICCCCCCCCCCCC'},
         differs={'points': 'design: project follows the MDC Excel tool'}),
    Case('ptd-icons-s8', 'NHSRplotthedots tests/testthat/test-geom_ptd_icon.R',
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, -4.446082346462411, -5.061911710576721, -5.305962663739916, -5.380471001012383, -5.694706978920513, -5.207917278019599, -6.265396351568264, -2.8310440346614874, -3.7920380016950093, -6.123108583203349, -5.402884835299076, -5.466655353623219],
         polarity='lower', target=3, options={'screen_outliers': True},
         expect={'variation': 'special_cause_improvement', 'assurance': 'consistent_pass', 'points': 'CCCCCCCCCCCCIIIIIIIIIIII'},
         differs={'points': 'design: project follows the MDC Excel tool'}),
    Case('ptd-icons-s9', 'NHSRplotthedots tests/testthat/test-geom_ptd_icon.R',
         [-0.5604756465522126, -0.23017748948327996, 1.558708314149124, 0.070508391424576, 0.12928773516094624, 1.715064986883281, 0.4609162059892023, -1.265061234606534, -0.6868528518935261, -0.44566197009995806, 1.2240817974394615, 0.3598138270573638, -4.446082346462411, -5.061911710576721, -5.305962663739916, -5.380471001012383, -5.694706978920513, -5.207917278019599, -6.265396351568264, -2.8310440346614874, -3.7920380016950093, -6.123108583203349, -5.402884835299076, -5.466655353623219],
         polarity='none', target=3, options={'screen_outliers': True},
         expect={'variation': 'special_cause_neutral_low', 'assurance': None, 'points': 'HHHHHHHHHHHHLLLLLLLLLLLL'},
         differs={'points': 'design: project follows the MDC Excel tool'}),
    Case('ptd-deviations-screened-default', "NHSRplotthedots vignettes/deviations.Rmd '1. Treatment of outlying points'",
         [1.0, 2.0, 1.0, 2.0, 10.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 1.94, 'lower': -0.72, 'upper': 4.6, 'tol': 0.005, 'variation': 'common_cause', 'points': 'ccccIccccccccccccc'},
         differs={'lower': 'design: project follows the MDC Excel tool', 'upper': 'design: project follows the MDC Excel tool'}),
    Case('ptd-deviations-unscreened-excel', "NHSRplotthedots vignettes/deviations.Rmd '1. Treatment of outlying points'",
         [1.0, 2.0, 1.0, 2.0, 10.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0],
         polarity='higher', target=None, options={},
         expect={'mean': 1.94, 'lower': -3.06, 'upper': 6.95, 'tol': 0.005, 'variation': 'common_cause', 'points': 'ccccIccccccccccccc'},
         differs={}),
    Case('ptd-readme-RQM-breaches-target-1200', 'NHSRplotthedots README.md',
         [1199.0, 929.0, 970.0, 1178.0, 1110.0, 1388.0, 2061.0, 1985.0, 2675.0, 3141.0, 1942.0, 2030.0, 1309.0, 1960.0, 1169.0, 1117.0, 1085.0, 1492.0, 1280.0, 1197.0, 1569.0, 1406.0, 1328.0, 1564.0],
         polarity='lower', target=1200, options={'screen_outliers': True},
         expect={'variation': 'common_cause', 'assurance': 'inconsistent', 'points': 'cIIcccccCCcccccccccccccc'},
         differs={'points': 'design: project follows the MDC Excel tool'}),
    Case('ptd-vignette-RRK-stable-period', "NHSRplotthedots vignettes/NHSRplotthedots.Rmd 'Stable period'",
         [1195.0, 1843.0, 1397.0, 1333.0, 1771.0, 1751.0, 2013.0, 1759.0, 2179.0, 2585.0, 1654.0, 1543.0, 1632.0, 1558.0, 1190.0, 1357.0, 1279.0, 1683.0, 2190.0, 1804.0, 986.0, 2181.0, 2048.0, 2154.0],
         polarity='lower', target=None, options={'screen_outliers': True},
         expect={'variation': 'common_cause', 'points': 'cccccccccCIIIIIIIIcccccc', 'run_of_8_improvement_at': [10, 11, 12, 13, 14, 15, 16, 17]},
         differs={'points': 'design: project follows the MDC Excel tool'}),
    Case('ptd-deviations-ae-total-attendances', "NHSRplotthedots vignettes/deviations.Rmd '3. X Axis Text Angle'",
         [1867781.0, 2070340.0, 1958802.0, 2079034.0, 1932901.0, 1952464.0, 2001816.0, 1907871.0, 1944567.0, 1895272.0, 1735619.0, 2015834.0, 1949762.0, 2066789.0, 1994056.0, 2073944.0, 1924663.0, 1925961.0, 2044137.0, 1976971.0, 2003954.0, 2000086.0, 1820012.0, 2049785.0, 1984369.0, 2164458.0, 2093942.0, 2179896.0, 1997854.0, 2005695.0, 2079492.0, 2037847.0, 2047518.0, 2113413.0, 1954947.0, 2167550.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'variation': 'common_cause', 'points': 'cccccccccccccccccccccccccccccccccccc'},
         differs={}),
    Case('ptd-deviations-ae-total-rebased', "NHSRplotthedots vignettes/deviations.Rmd '2. Breaking of lines'",
         [1867781.0, 2070340.0, 1958802.0, 2079034.0, 1932901.0, 1952464.0, 2001816.0, 1907871.0, 1944567.0, 1895272.0, 1735619.0, 2015834.0, 1949762.0, 2066789.0, 1994056.0, 2073944.0, 1924663.0, 1925961.0, 2044137.0, 1976971.0, 2003954.0, 2000086.0, 1820012.0, 2049785.0, 1984369.0, 2164458.0, 2093942.0, 2179896.0, 1997854.0, 2005695.0, 2079492.0, 2037847.0, 2047518.0, 2113413.0, 1954947.0, 2167550.0],
         polarity='higher', target=None, options={'screen_outliers': True, 'rebase_at': (12, 24)},
         expect={'tol': 1e-06, 'variation': 'common_cause', 'points': 'cccccccccccccccccccccccccccccccccccc', 'segments': [(0, 1946858.416667, 1639947.374848, 2253769.458485), (12, 1985843.333333, 1732836.949697, 2238849.71697), (24, 2068915.083333, 1805691.397879, 2332138.768788)]},
         differs={'segments': 'missing feature'}),
    Case('pbi-i-chart-ratios', "PowerBI-SPC test/Chart Types/i.test.ts 'I Chart can be created'",
         [0.04424778761061947, 0.05303030303030303, 0.04132231404958678, 0.05223880597014925, 0.0603448275862069, 0.03816793893129771, 0.043010752688172046, 0.06521739130434782, 0.04395604395604396, 0.08280254777070063, 0.08, 0.06796116504854369, 0.0547945205479452, 0.06481481481481481, 0.0784313725490196, 0.07801418439716312, 0.05970149253731343],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'lower': 0.0229, 'upper': 0.0957, 'upper_two_sigma': 0.0836, 'lower_two_sigma': 0.035, 'tol': 5e-05},
         differs={'upper': 'design: project follows the MDC Excel tool', 'lower': 'design: project follows the MDC Excel tool', 'upper_two_sigma': 'design: project follows the MDC Excel tool', 'lower_two_sigma': 'design: project follows the MDC Excel tool'}),
    Case('nhspy-limits increasing', 'nhspy-plotthedots tests/unittests/test_limits_calculations.py',
         [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 5.5, 'lower': 2.84, 'upper': 8.16, 'upper_two_sigma': 7.273333333333333, 'lower_two_sigma': 3.7266666666666666, 'tol': 1e-09},
         differs={}),
    Case('nhspy-limits decreasing', 'nhspy-plotthedots tests/unittests/test_limits_calculations.py',
         [10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 5.5, 'lower': 2.84, 'upper': 8.16, 'upper_two_sigma': 7.273333333333333, 'lower_two_sigma': 3.7266666666666666, 'tol': 1e-09},
         differs={}),
    Case('nhspy-limits no trend', 'nhspy-plotthedots tests/unittests/test_limits_calculations.py',
         [1.0, 2.0, 3.0, 4.0, 5.0, 4.0, 3.0, 2.0, 1.0, 2.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 2.7, 'lower': 0.040000000000000036, 'upper': 5.36, 'upper_two_sigma': 4.473333333333334, 'lower_two_sigma': 0.9266666666666667, 'tol': 1e-09},
         differs={}),
    Case('nhspy-limits small', 'nhspy-plotthedots tests/unittests/test_limits_calculations.py',
         [1.0, 2.0, 3.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 2.0, 'lower': -0.6600000000000001, 'upper': 4.66, 'upper_two_sigma': 3.7733333333333334, 'lower_two_sigma': 0.22666666666666657, 'tol': 1e-09},
         differs={}),
    Case('nhspy-limits large', 'nhspy-plotthedots tests/unittests/test_limits_calculations.py',
         [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 9.5, 'lower': 6.84, 'upper': 12.16, 'upper_two_sigma': 11.273333333333333, 'lower_two_sigma': 7.726666666666667, 'tol': 1e-09},
         differs={}),
    Case('nhspy-limits exact seven', 'nhspy-plotthedots tests/unittests/test_limits_calculations.py',
         [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 3.5714285714285716, 'lower': -6.625238095238096, 'upper': 13.768095238095238, 'upper_two_sigma': 10.36920634920635, 'lower_two_sigma': -3.2263492063492065, 'tol': 1e-09},
         differs={}),
    Case('nhspy-limits mixed', 'nhspy-plotthedots tests/unittests/test_limits_calculations.py',
         [1.0, 2.0, 3.0, 2.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 4.0, 3.0, 2.0, 1.0, 2.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 3.0, 'lower': -0.014666666666666828, 'upper': 6.014666666666667, 'upper_two_sigma': 5.009777777777778, 'lower_two_sigma': 0.9902222222222221, 'tol': 1e-09},
         differs={}),
    Case('nhspy-limits negative', 'nhspy-plotthedots tests/unittests/test_limits_calculations.py',
         [-1.0, -2.0, -3.0, -2.0, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -4.0, -3.0, -2.0, -1.0, -2.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': -3.0, 'lower': -6.014666666666667, 'upper': 0.014666666666666828, 'upper_two_sigma': -0.9902222222222221, 'lower_two_sigma': -5.009777777777778, 'tol': 1e-09},
         differs={}),
    Case('nhspy-pandas_spc_x_calc sample1 fix after 3', 'nhspy-plotthedots tests/unittests/test_pandas_spc_x_calc.py',
         [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
         polarity='higher', target=None, options={'screen_outliers': True, 'baseline_end': 2},
         expect={'mean': 2.0, 'lower': -0.6600000000000001, 'upper': 4.66, 'tol': 1e-09, 'special': 'SSSSSSSS'},
         differs={'mean': 'missing feature', 'lower': 'missing feature', 'upper': 'missing feature', 'special': 'missing feature'}),
    Case('nhspy-pandas_spc_x_calc sample2', 'nhspy-plotthedots tests/unittests/test_pandas_spc_x_calc.py',
         [16.0, 9.0, 4.0, 2.0, 1.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 6.4, 'lower': -3.575000000000001, 'upper': 16.375, 'tol': 1e-09, 'special': '.....'},
         differs={}),
    Case('nhspy-pandas_spc_x_calc sample3', 'nhspy-plotthedots tests/unittests/test_pandas_spc_x_calc.py',
         [1.0, 6.0, 1.0, 8.0, 0.0, 3.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 3.1666666666666665, 'lower': -11.729333333333333, 'upper': 18.062666666666665, 'tol': 1e-09, 'special': '......'},
         differs={}),
    Case('nhspy-pandas_spc_x_calc special cause', 'nhspy-plotthedots tests/unittests/test_pandas_spc_x_calc.py',
         [1.0, 1.0, 1.0, 1.0, 2.0],
         polarity='higher', target=None, options={'screen_outliers': True},
         expect={'mean': 1.2, 'lower': 1.2, 'upper': 1.2, 'tol': 1e-09, 'special': 'SSSSS'},
         differs={'lower': 'design: project follows the MDC Excel tool', 'upper': 'design: project follows the MDC Excel tool', 'special': 'design: project follows the MDC Excel tool'}),
]


def _analyse(case, **extra):
    options = spc.Options(trial_limits=True, **{**case.options, **extra})  # the peers judge short series too
    return spc.analyse(case.values, polarity=case.polarity, target=case.target, options=options)


def _close(got, expected, tol):
    return got == pytest.approx(expected, abs=tol)


@pytest.mark.parametrize("case", SERIES, ids=[c.name for c in SERIES])
def test_limits_agree_with_the_peers(case):
    result = _analyse(case)
    tol = case.expect.get("tol", 1e-6)
    for name in ("mean", "lower", "upper", "upper_two_sigma", "lower_two_sigma"):
        if name in case.expect:
            allowed = case.expect.get("mean_tol", tol) if name == "mean" else tol
            assert _close(getattr(result.segments[0].limits, name), case.expect[name], allowed), (name, case.source)
    expected_segments = case.expect.get("segments")
    if expected_segments is None:
        assert len(result.segments) == 1, case.source
        return
    assert len(result.segments) == len(expected_segments), case.source
    for segment, (start, mean, lower, upper) in zip(result.segments, expected_segments, strict=True):
        assert segment.start == start, case.source
        assert _close(segment.limits.mean, mean, tol), case.source
        assert _close(segment.limits.lower, lower, tol), case.source
        assert _close(segment.limits.upper, upper, tol), case.source


@pytest.mark.parametrize("case", [c for c in SERIES if "points" in c.expect or "special" in c.expect],
                         ids=[c.name for c in SERIES if "points" in c.expect or "special" in c.expect])
def test_each_point_is_judged_as_the_peers_judge_it(case):
    result = _analyse(case)
    if "points" in case.expect:
        assert [spc.variation_of(side, case.polarity) for side in result.point_sides] == [
            POINT[c] for c in case.expect["points"]
        ], case.source
    if "special" in case.expect:
        assert [side is not None for side in result.point_sides] == [c == "S" for c in case.expect["special"]], case.source


@pytest.mark.parametrize("case", [c for c in SERIES if "variation" in c.expect or "assurance" in c.expect],
                         ids=[c.name for c in SERIES if "variation" in c.expect or "assurance" in c.expect])
def test_the_latest_point_variation_and_assurance_agree_with_the_peers(case):
    result = _analyse(case)
    if "variation" in case.expect:
        assert result.variation == case.expect["variation"], case.source
    if "assurance" in case.expect:
        assert result.assurance == case.expect["assurance"], case.source


def test_the_outlier_option_is_what_moves_the_limits_of_the_series_with_a_point_of_ten():
    """NHSRplotthedots tests/testthat/test-ptd_spc_standard.R (r2 and r3): the same series with
    screening on (the package's default) and off (the MDC Excel tool and our default)."""
    screened = next(c for c in SERIES if c.name == "ptd-standard-r2-outlier-screened")
    unscreened = next(c for c in SERIES if c.name == "ptd-standard-r3-outlier-unscreened")
    default = spc.analyse(screened.values, polarity="higher").limits
    assert _close(default.upper, unscreened.expect["upper"], 5e-6)
    assert not _close(default.upper, screened.expect["upper"], 5e-6)


@pytest.mark.parametrize("name", ["ptd-summary-facet0-10-points", "ptd-summary-facet1-10-points"])
def test_ten_points_get_no_judgement_unless_trial_limits_are_chosen(name):
    """NHSRplotthedots tests/testthat/test-ptd_spc.R: the package judges 10 points and warns; we
    withhold the judgement below 12 points unless the indicator uses trial limits (docs/spc.md)."""
    case = next(c for c in SERIES if c.name == name)
    plain = spc.analyse(case.values, polarity=case.polarity, options=spc.Options(**case.options))
    assert plain.variation == spc.NOT_ENOUGH
    trial = _analyse(case)
    assert trial.variation == case.expect["variation"] and trial.trial


def test_the_stable_period_has_its_run_of_eight_improving_points():
    """NHSRplotthedots vignettes/NHSRplotthedots.Rmd 'Stable period': eight points in blue."""
    case = next(c for c in SERIES if c.name == "ptd-vignette-RRK-stable-period")
    result = _analyse(case)
    improving = [i for i, side in enumerate(result.point_sides) if spc.variation_of(side, "lower") == spc.IMPROVEMENT]
    assert improving == case.expect["run_of_8_improvement_at"]
