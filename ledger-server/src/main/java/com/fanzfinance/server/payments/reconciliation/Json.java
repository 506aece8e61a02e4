package com.fanzfinance.server.payments.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.server.payments.Fields;

/** JSON text stored in the reconciliation tables, written and read back. */
final class Json {
    private Json() {
    }

    static String write(JsonNode node) {
        try {
            return Fields.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }

    static JsonNode read(String text) {
        try {
            return Fields.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse: " + e.getOriginalMessage(), e);
        }
    }
}
