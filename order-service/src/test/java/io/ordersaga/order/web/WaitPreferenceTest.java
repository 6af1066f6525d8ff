package io.ordersaga.order.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Prefer: wait=N} read as RFC 7240 says: a hint that is honoured up to 60 s, and ignored when unusable. */
class WaitPreferenceTest {

    private static Optional<Duration> waitIn(String... headers) {
        return WaitPreference.in(List.of(headers)).map(WaitPreference::duration);
    }

    @Test
    void readsTheSecondsToWait() {
        assertThat(waitIn("wait=2")).contains(Duration.ofSeconds(2));
        assertThat(waitIn("wait=0")).contains(Duration.ZERO);
        assertThat(waitIn("wait=60")).contains(Duration.ofSeconds(60));
    }

    @Test
    void cutsALongerWaitToSixtySeconds() {
        assertThat(waitIn("wait=61")).contains(Duration.ofSeconds(60));
        assertThat(waitIn("wait=999")).contains(Duration.ofSeconds(60));
        assertThat(waitIn("wait=99999999999999999999999")).contains(Duration.ofSeconds(60));
        assertThat(WaitPreference.in(List.of("wait=999")).orElseThrow().applied()).isEqualTo("wait=60");
    }

    @Test
    void findsWaitAmongOtherPreferencesAndHeadersWhateverItsCaseSpacingOrQuotes() {
        assertThat(waitIn("respond-async, wait=5")).contains(Duration.ofSeconds(5));
        assertThat(waitIn("return=minimal", "WAIT = 7 ; foo=bar")).contains(Duration.ofSeconds(7));
        assertThat(waitIn("wait=\"3\"")).contains(Duration.ofSeconds(3));
        assertThat(waitIn("wait=007")).contains(Duration.ofSeconds(7));
        assertThat(waitIn("foo=\"a, wait=9\", wait=4")).as("a comma inside a quoted value separates nothing")
                .contains(Duration.ofSeconds(4));
    }

    @Test
    void onlyTheFirstWaitCounts() {
        assertThat(waitIn("wait=3, wait=10")).contains(Duration.ofSeconds(3));
        assertThat(waitIn("wait=abc", "wait=10")).as("the first is unusable, so the preference is ignored").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wait", "wait=", "wait=-1", "wait=1.5", "wait=5s", "wait=abc", "wait=\"\"", "wait=1 2",
            "waiting=5", "return=minimal", "", " , "})
    void ignoresAMalformedOrUnknownPreference(String header) {
        assertThat(waitIn(header)).isEmpty();
    }

    @Test
    void ignoresAnAbsentPreference() {
        assertThat(waitIn()).isEmpty();
    }
}
