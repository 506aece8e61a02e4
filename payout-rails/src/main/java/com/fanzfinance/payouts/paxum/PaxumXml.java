package com.fanzfinance.payouts.paxum;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads the legacy API's XML answers: whitespace around the document trimmed (Paxum sends some), DTDs and external
 * entities refused, at most {@link #MAX_BYTES}.
 */
final class PaxumXml {
    static final int MAX_BYTES = 256 * 1024;

    private PaxumXml() {
    }

    /** The root element of the answer. @throws IllegalArgumentException when it is not readable XML */
    static Element root(byte[] body) {
        if (body.length > MAX_BYTES) {
            throw new IllegalArgumentException("the answer is over " + MAX_BYTES + " bytes");
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            Document document = builder.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            return document.getDocumentElement();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the XML parser cannot be made safe", e);
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("the answer is not readable XML", e);
        }
    }

    /** The trimmed text of each direct child element of {@code parent}, by element name (first wins). */
    static Map<String, String> children(Element parent) {
        Map<String, String> values = new HashMap<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element) {
                values.putIfAbsent(element.getTagName(), element.getTextContent().strip());
            }
        }
        return values;
    }

    /** All elements named {@code name} under {@code root}, at any depth. */
    static List<Element> all(Element root, String name) {
        NodeList nodes = root.getElementsByTagName(name);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }
}
