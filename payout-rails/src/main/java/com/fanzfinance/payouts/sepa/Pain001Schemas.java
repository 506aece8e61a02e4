package com.fanzfinance.payouts.sepa;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.sax.SAXSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * XSD validation with javax.xml.validation (schemas loaded once from the bundled resources, secure processing on,
 * no external entity/DTD access).
 *
 * <p>The schemas are the ISO 20022 ones in {@code com/fanzfinance/payouts/sepa/} (see {@code SOURCES.md} there).
 * The document is read by a namespace-aware SAX parser that refuses any DOCTYPE, so no entity is ever expanded
 * and nothing is fetched; {@code xsi:schemaLocation} hints in the document are ignored. Thread-safe: a
 * {@link Schema} is shared, a {@link Validator} is made per call.
 */
public final class Pain001Schemas {

    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    private static final Map<Pain001Version, Schema> SCHEMAS = loadAll();

    private Pain001Schemas() {}

    /**
     * Empty list when valid; else the validator's messages with line:column, e.g.
     * {@code 5:16: cvc-complex-type.2.4.a: Invalid content was found …}. Not well-formed XML, a DOCTYPE or a
     * byte order mark (which the EPC forbids) is a problem too, never an exception.
     */
    public static List<String> problems(byte[] xml, Pain001Version version) {
        List<String> problems = new ArrayList<>();
        if (startsWithByteOrderMark(xml)) {
            problems.add("1:1: the file starts with a byte order mark; SEPA files are UTF-8 without one");
        }
        try {
            Validator validator = SCHEMAS.get(version).newValidator();
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.setErrorHandler(new Collector(problems));
            validator.validate(new SAXSource(secureReader(), new InputSource(new ByteArrayInputStream(xml))));
        } catch (SAXParseException fatal) {
            addOnce(problems, located(fatal));
        } catch (SAXException e) {
            problems.add("0:0: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(problems);
    }

    private static String located(SAXParseException e) {
        return e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage();
    }

    private static void addOnce(List<String> problems, String problem) {
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    private static boolean startsWithByteOrderMark(byte[] xml) {
        return xml.length >= 3 && (xml[0] & 0xFF) == 0xEF && (xml[1] & 0xFF) == 0xBB && (xml[2] & 0xFF) == 0xBF;
    }

    private static XMLReader secureReader() throws SAXException {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature(DISALLOW_DOCTYPE, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            return factory.newSAXParser().getXMLReader();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's SAX parser lacks a security feature", e);
        }
    }

    private static Map<Pain001Version, Schema> loadAll() {
        Map<Pain001Version, Schema> schemas = new EnumMap<>(Pain001Version.class);
        for (Pain001Version version : Pain001Version.values()) {
            schemas.put(version, load(version));
        }
        return schemas;
    }

    private static Schema load(Pain001Version version) {
        String resource = version.schemaResource();
        try (InputStream in = Pain001Schemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled schema missing from the class path: " + resource);
            }
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newSchema(new StreamSource(in, resource));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled schema " + resource, e);
        } catch (SAXException e) {
            throw new IllegalStateException("bundled schema " + resource + " does not load", e);
        }
    }

    /** Keeps every warning, error and fatal error as "line:column: message". */
    private static final class Collector implements ErrorHandler {
        private final List<String> problems;

        Collector(List<String> problems) {
            this.problems = problems;
        }

        @Override
        public void warning(SAXParseException e) {
            add(e);
        }

        @Override
        public void error(SAXParseException e) {
            add(e);
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
            add(e);
            throw e;
        }

        private void add(SAXParseException e) {
            addOnce(problems, located(e));
        }
    }
}
