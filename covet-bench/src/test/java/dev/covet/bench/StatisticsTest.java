package dev.covet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void threeSamplesUseStudentTOnTheMean() {
        Estimate e = Statistics.estimate(List.of(14.0, 10.0, 12.0));
        assertThat(e.n()).isEqualTo(3);
        assertThat(e.median()).isEqualTo(12.0);
        assertThat(e.mean()).isEqualTo(12.0);
        // s = 2, t(0.975, 2) = 4.303, half-width = 4.303 * 2 / sqrt(3) = 4.9687
        assertThat(e.ciLow()).isCloseTo(12 - 4.9687, within(1e-3));
        assertThat(e.ciHigh()).isCloseTo(12 + 4.9687, within(1e-3));
        assertThat(e.method()).contains("Student t");
        assertThat(e.min()).isEqualTo(10.0);
        assertThat(e.max()).isEqualTo(14.0);
    }

    @Test
    void aNegativeLowerBoundOfANonNegativeFigureIsClampedAndSaidSo() {
        Estimate e = Statistics.estimate(List.of(100.0, 1000.0, 10000.0));
        assertThat(e.ciLow()).isEqualTo(0.0);
        assertThat(e.ciHigh()).isGreaterThan(10000.0);
        assertThat(e.method()).contains("clamped at 0");
    }

    @Test
    void tenSamplesUseOrderStatisticsOfTheMedian() {
        Estimate e = Statistics.estimate(List.of(5.0, 1.0, 9.0, 3.0, 7.0, 2.0, 8.0, 4.0, 10.0, 6.0));
        assertThat(e.median()).isEqualTo(5.5);
        // n = 10: P(Bin <= 1) = 11/1024, coverage of [x(2), x(9)] = 1 - 22/1024 = 97.85%;
        // [x(3), x(8)] would cover only 1 - 2*56/1024 = 89.1%.
        assertThat(e.ciLow()).isEqualTo(2.0);
        assertThat(e.ciHigh()).isEqualTo(9.0);
        assertThat(e.coverage()).isCloseTo(1 - 22.0 / 1024, within(1e-9));
        assertThat(e.method()).contains("order statistics");
    }

    @Test
    void sixSamplesAreTheSmallestOrderStatisticCase() {
        Estimate e = Statistics.estimate(List.of(6.0, 5.0, 4.0, 3.0, 2.0, 1.0));
        assertThat(e.median()).isEqualTo(3.5);
        assertThat(e.ciLow()).isEqualTo(1.0);
        assertThat(e.ciHigh()).isEqualTo(6.0);
        assertThat(e.coverage()).isCloseTo(1 - 2.0 / 64, within(1e-12));
    }

    @Test
    void oneSampleHasNoInterval() {
        Estimate e = Statistics.estimate(List.of(42.0));
        assertThat(e.median()).isEqualTo(42.0);
        assertThat(e.ciLow()).isNull();
        assertThat(e.ciHigh()).isNull();
        assertThat(Statistics.estimate(List.of())).isNull();
    }

    @Test
    void evenCountMedianAveragesTheMiddlePair() {
        assertThat(Statistics.estimate(List.of(1.0, 2.0, 3.0, 100.0)).median()).isEqualTo(2.5);
    }

    @Test
    void tQuantilesMatchTheTableAndTheLargeDfLimit() {
        assertThat(Statistics.tQuantile975(1)).isEqualTo(12.706);
        assertThat(Statistics.tQuantile975(30)).isEqualTo(2.042);
        assertThat(Statistics.tQuantile975(60)).isCloseTo(2.000, within(1e-3));
        assertThat(Statistics.tQuantile975(1000)).isCloseTo(1.962, within(1e-3));
    }

    @Test
    void refusesNaN() {
        assertThatThrownBy(() -> Statistics.estimate(List.of(1.0, Double.NaN))).isInstanceOf(IllegalArgumentException.class);
    }
}
