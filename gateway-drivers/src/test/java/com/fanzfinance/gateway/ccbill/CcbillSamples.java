package com.fanzfinance.gateway.ccbill;

import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.testing.Notifications;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The CCBill sample webhooks and the ways CCBill may deliver them (JSON, form, identity in the query). */
final class CcbillSamples {

    static final String PEER = "64.38.212.7";
    static final String SINGLE_SALE = "ccbill_webhook_single_new_sale_success__ccbill_ruby.json";
    static final String RECURRING_SALE = "ccbill_webhook_reccuring_new_sale_success__ccbill_ruby.json";
    static final String RECURRING_FAILURE = "ccbill_webhook_reccuring_new_sale_failure__ccbill_ruby.json";
    static final String CANCELLATION = "ccbill_webhook_cancellation__ccbill_ruby.json";
    static final String CHARGEBACK = "ccbill_webhook_chargeback__ccbill_ruby.json";
    static final String VOID = "ccbill_webhook_void__ccbill_ruby.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CcbillSamples() {
    }

    static String text(String sample) {
        return Notifications.resource("samples/ccbill/" + sample);
    }

    static ObjectNode object(String sample) {
        return parse(text(sample));
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The members as a form body, in their order. */
    static String form(ObjectNode object) {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            pairs.add(encode(field.getKey()) + "=" + encode(field.getValue().asText()));
        }
        return String.join("&", pairs);
    }

    /** Moves the named members out of the object into a query string, as CCBill sends the event identity. */
    static String moveToQuery(ObjectNode object, String... names) {
        List<String> pairs = new ArrayList<>();
        for (String name : names) {
            JsonNode value = object.remove(name);
            if (value != null) {
                pairs.add(encode(name) + "=" + encode(value.asText()));
            }
        }
        return String.join("&", pairs);
    }

    static PaymentNotice notice(Normalised normalised) {
        if (normalised instanceof Normalised.Notice notice) {
            return notice.notice();
        }
        throw new AssertionError("not a notice: " + normalised);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
