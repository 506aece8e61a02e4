package com.fanzfinance.gateway.commercegate;

import com.fanzfinance.gateway.Notification;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The fields of a CommerceGate callback. The one public handler reads an XML document (root {@code <cgCallback>})
 * carried URL-encoded in one form field, whose 21-character name it does not show; so the document is taken from the
 * field the {@code form_field} setting names or, unset, from the one parameter (or the body) whose value is a
 * {@code <cgCallback>} document. Only a document with that root counts, and two candidates (say a pass-through field a
 * fan filled with XML beside the real callback) make the callback unreadable rather than a guess. A field is then looked up among the document's leaf elements (by local
 * name, first occurrence, at any depth) and, failing that, among the plain query and form parameters (where a
 * pass-through appended to the callback URL would be). Without any document, the plain parameters are all there is.
 *
 * <p>The document is read with StAX, refusing any DTD (so no entity can be expanded or fetched), at most
 * {@value #MAX_DEPTH} elements deep and {@value #MAX_CHARS} characters long; a document that fails any of this is
 * unreadable and contributes no fields.
 */
final class CallbackFields {

    static final int MAX_DEPTH = 32;
    static final String ROOT = "cgCallback";
    static final int MAX_CHARS = 1_000_000;

    private final Map<String, String> elements;
    private final Notification.Parameters parameters;
    private final boolean document;

    private CallbackFields(Map<String, String> elements, Notification.Parameters parameters, boolean document) {
        this.elements = elements;
        this.parameters = parameters;
        this.document = document;
    }

    /** The callback's fields; {@code formField} is the parameter holding the XML document, or {@code null} to find it. */
    static CallbackFields of(Notification notification, String formField) {
        Notification.Parameters parameters = notification.parameters();
        java.util.List<Map<String, String>> documents = new java.util.ArrayList<>();
        if (formField != null) {
            parameters.entries().stream().filter(parameter -> parameter.getKey().equals(formField))
                    .forEach(parameter -> leafElements(parameter.getValue()).ifPresent(documents::add));
            if (parameters.entries().stream().filter(parameter -> parameter.getKey().equals(formField)).count() > 1) {
                documents.add(Map.of()); // a repeated form field is ambiguous
            }
        } else {
            for (Map.Entry<String, String> parameter : parameters.entries()) {
                if (looksLikeXml(parameter.getValue())) {
                    leafElements(parameter.getValue()).ifPresent(documents::add);
                }
            }
            if (documents.isEmpty()) {
                notification.bodyText().filter(CallbackFields::looksLikeXml).flatMap(CallbackFields::leafElements)
                        .ifPresent(documents::add);
            }
        }
        if (documents.size() != 1) {
            return new CallbackFields(Map.of(), parameters, false);
        }
        return new CallbackFields(documents.get(0), parameters, true);
    }

    /** Whether an XML document was found and read. */
    boolean hasDocument() {
        return document;
    }

    /** The trimmed, non-blank value of a field: the document's element of that name, else the parameter. */
    Optional<String> nonBlank(String name) {
        String element = elements.get(name);
        if (element != null && !element.isBlank()) {
            return Optional.of(element.trim());
        }
        return parameters.nonBlank(name);
    }

    private static boolean looksLikeXml(String text) {
        return text.stripLeading().startsWith("<") && text.length() <= MAX_CHARS;
    }

    /** Leaf element texts by local name (first occurrence wins); empty when the document is unreadable. */
    private static Optional<Map<String, String>> leafElements(String xml) {
        Map<String, String> leaves = new HashMap<>();
        Deque<StringBuilder> texts = new ArrayDeque<>();
        Deque<Boolean> hasChildren = new ArrayDeque<>();
        boolean rootSeen = false;
        XMLStreamReader reader = null;
        try {
            reader = xmlInputFactory().createXMLStreamReader(new StringReader(xml.strip()));
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE -> {
                        return Optional.empty();
                    }
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (texts.size() >= MAX_DEPTH) {
                            return Optional.empty();
                        }
                        if (texts.isEmpty() && (!ROOT.equals(reader.getLocalName()) || !leaves.isEmpty() || rootSeen)) {
                            return Optional.empty(); // not a cgCallback document (or a second root)
                        }
                        rootSeen = true;
                        if (!hasChildren.isEmpty()) {
                            hasChildren.pop();
                            hasChildren.push(true);
                        }
                        texts.push(new StringBuilder());
                        hasChildren.push(false);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!texts.isEmpty()) {
                            texts.peek().append(reader.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        String text = texts.pop().toString();
                        if (!hasChildren.pop()) {
                            leaves.putIfAbsent(reader.getLocalName(), text);
                        }
                    }
                    default -> {
                        // comments, processing instructions, document start and end carry no fields
                    }
                }
            }
            return Optional.of(leaves);
        } catch (XMLStreamException | RuntimeException e) {
            return Optional.empty();
        } finally {
            close(reader);
        }
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException e) {
                // nothing to release beyond the string reader
            }
        }
    }

    /** A new JDK factory per document: factories are not documented as thread-safe, and the driver must be. */
    private static XMLInputFactory xmlInputFactory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }
}
