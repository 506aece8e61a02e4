package com.fanzfinance.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the fan's browser does to pay, and the field the processor returns the checkout id in.
 */
public sealed interface CheckoutAction {

    /** Where the checkout id comes back in the processor's notifications. */
    PassThrough passThrough();

    /**
     * Send the fan to {@code url}. {@code processorReference} is the processor's own id of what the fan pays (an
     * invoice id), when the redirect comes from an invoice the server created: a notification that lacks the
     * pass-through field but names this id as its transaction still finds the checkout. {@code null} otherwise.
     */
    record Redirect(String url, PassThrough passThrough, String processorReference) implements CheckoutAction {
        public Redirect {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(passThrough, "passThrough");
        }

        /** A redirect with no processor-side id of its own. */
        public Redirect(String url, PassThrough passThrough) {
            this(url, passThrough, null);
        }
    }

    /** Post {@code fields} as a form to {@code url}. */
    record FormPost(String url, Map<String, String> fields, PassThrough passThrough) implements CheckoutAction {
        public FormPost {
            Objects.requireNonNull(url, "url");
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            Objects.requireNonNull(passThrough, "passThrough");
        }
    }

    /**
     * An invoice to create through the processor's API; the server makes the call (or, with provider calls off
     * or no API key, hands {@link ProviderRequest#publicBody()} to the platform), then asks the driver's
     * {@link ProcessorDriver#invoiceCreated} for the redirect.
     */
    record CreateInvoice(ProviderRequest request, PassThrough passThrough) implements CheckoutAction {
        public CreateInvoice {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(passThrough, "passThrough");
        }
    }

    /** The notification field carrying the checkout id, and its value. */
    record PassThrough(String field, String value) {
        public PassThrough {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }
    }
}
