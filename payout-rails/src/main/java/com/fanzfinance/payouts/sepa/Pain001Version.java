package com.fanzfinance.payouts.sepa;

/**
 * The pain.001 (customer credit transfer initiation) message versions this package writes and validates.
 * {@link #V03} is what most SEPA banks still take; {@link #V09} is the version of the EPC 2019+ implementation
 * guidelines ({@code ReqdExctnDt/Dt}, {@code BICFI}).
 */
public enum Pain001Version {
    /** CustomerCreditTransferInitiationV03 (ISO 20022, 2009). */
    V03("pain.001.001.03"),
    /** CustomerCreditTransferInitiationV09 (ISO 20022, 2019). */
    V09("pain.001.001.09");

    private final String id;

    Pain001Version(String id) {
        this.id = id;
    }

    /** The message identifier, e.g. {@code pain.001.001.03}. */
    public String id() {
        return id;
    }

    /** The XML namespace, e.g. {@code urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}. */
    public String namespace() {
        return "urn:iso:std:iso:20022:tech:xsd:" + id;
    }

    /** The bundled schema's class-path resource, relative to this package. */
    String schemaResource() {
        return id + ".xsd";
    }
}
