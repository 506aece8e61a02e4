package com.fanzfinance.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.testing.Notifications;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupportTest {

    @Test
    void cidrRangesMatchV4V6AndMappedAddresses() {
        List<String> ranges = List.of("64.38.212.0/24", "2001:db8::/32", "10.0.0.7");
        assertThat(SourceAddresses.allowed("64.38.212.1", ranges)).isTrue();
        assertThat(SourceAddresses.allowed("64.38.213.1", ranges)).isFalse();
        assertThat(SourceAddresses.allowed("::ffff:64.38.212.9", ranges)).isTrue();
        assertThat(SourceAddresses.allowed("2001:db8:1::5", ranges)).isTrue();
        assertThat(SourceAddresses.allowed("2001:db9::5", ranges)).isFalse();
        assertThat(SourceAddresses.allowed("10.0.0.7", ranges)).isTrue();
        assertThat(SourceAddresses.allowed("10.0.0.8", ranges)).isFalse();
        assertThat(SourceAddresses.allowed("example.com", ranges)).isFalse();
        assertThatThrownBy(() -> SourceAddresses.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SourceAddresses.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        // Hex-letter host names and short IPv4 forms are not literals (no name lookup, no 10.1 = 10.0.0.1).
        assertThatThrownBy(() -> SourceAddresses.literal("dead.beef")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SourceAddresses.literal("10.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SourceAddresses.literal("256.1.1.1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SourceAddresses.literal("[::1]").isLoopbackAddress()).isTrue();
        assertThat(SourceAddresses.allowed("10.1", List.of("10.0.0.0/8"))).isFalse();
    }

    @Test
    void secretsCompareEqualOnlyWhenEqual() {
        assertThat(Digests.textEquals("s3cret", "s3cret")).isTrue();
        assertThat(Digests.textEquals("s3cret", "s3cre")).isFalse();
        assertThat(Digests.textEquals("s3cret", "s3cret ")).isFalse();
        assertThat(Digests.textEquals(null, "x")).isFalse();
    }

    @Test
    void decimalsArePlainOnly() {
        assertThat(Decimals.parse("9.99")).contains(new BigDecimal("9.99"));
        assertThat(Decimals.parse("20")).contains(new BigDecimal("20"));
        assertThat(Decimals.parse("1e3")).isEmpty();
        assertThat(Decimals.parse("-1.00")).isEmpty();
        assertThat(Decimals.parseAbsolute("-1.00")).contains(new BigDecimal("1.00"));
        assertThat(Decimals.parse("")).isEmpty();
    }

    @Test
    void digestsAreKnownAnswers() {
        assertThat(Digests.sha256Hex("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Digests.md5Hex("abc")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(Digests.hexEquals("ABC1", "abc1")).isTrue();
        assertThat(Digests.hexEquals("abc1", "abc2")).isFalse();
        assertThat(Digests.hexEquals(null, "abc2")).isFalse();
    }

    @Test
    void parametersMergeQueryThenBody() {
        Notification form = Notifications.post("ccbill", "eventType=NewSaleSuccess&a=q",
                "application/x-www-form-urlencoded", "a=b&c=%20d", "127.0.0.1");
        assertThat(form.parameters().first("eventType")).contains("NewSaleSuccess");
        assertThat(form.parameters().first("a")).contains("q");
        assertThat(form.parameters().first("c")).contains(" d");
        Notification json = Notifications.post("ccbill", "eventType=Void", "application/json",
                "{\"transactionId\":\"0912\",\"amount\":12.5,\"nested\":{\"x\":1}}", "127.0.0.1");
        assertThat(json.parameters().first("transactionId")).contains("0912");
        assertThat(json.parameters().first("amount")).contains("12.5");
        assertThat(json.parameters().first("nested")).isEmpty();
        Notification exact = Notifications.post("segpay", "", "application/json",
                "{\"price\":19.999999999999999999,\"big\":1.2345678901234568E16,\"n\":7}", "127.0.0.1");
        assertThat(exact.parameters().first("price")).as("never through a double").contains("19.999999999999999999");
        assertThat(exact.parameters().first("big")).contains("12345678901234568");
        assertThat(exact.parameters().first("n")).contains("7");
        Notification repeated = Notifications.post("segpay", "", "application/json",
                "{\"price\":\"1.00\",\"price\":\"9.00\"}", "127.0.0.1");
        assertThat(repeated.jsonBody()).as("a repeated member makes no object").isEmpty();
        assertThat(json.header("content-type")).contains("application/json");
    }
}
