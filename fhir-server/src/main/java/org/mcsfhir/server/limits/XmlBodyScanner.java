package org.mcsfhir.server.limits;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One streaming (StAX) pass over an XML body, before HAPI parses it, that stops at the first broken limit: nesting
 * depth, elements in the body and in one resource, child elements of one element, extensions on one element, and the
 * length of one attribute value or text (the {@code value} of a {@code data} element, base64, is exempt). The reader
 * resolves no DTD and no entity, internal or external. Elements are also counted per resource (the root, and each one
 * inside a {@code <resource>} element; a Bundle's own elements are not limited), and the entries of a transaction or
 * batch Bundle. Malformed XML is not judged here: the
 * parser reports it.
 */
final class XmlBodyScanner {

    private static final XMLInputFactory FACTORY = safeFactory();

    private XmlBodyScanner() {}

    static XMLInputFactory safeFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setXMLResolver((publicId, systemId, base, namespace) -> {
            throw new XMLStreamException("external entities are not resolved");
        });
        return factory;
    }

    static void scan(byte[] xml, BodyLimits limits) throws BodyRefusedException {
        int[] children = new int[limits.maxDepth() + 2];
        int[] extensions = new int[limits.maxDepth() + 2];
        boolean[] isResourceWrapper = new boolean[limits.maxDepth() + 2];
        // one entry per open resource: the root element, or the element inside a <resource> (Bundle.entry.resource)
        int[] resourceDepth = new int[limits.maxDepth() + 2];
        int[] resourceElements = new int[limits.maxDepth() + 2];
        boolean[] isBundle = new boolean[limits.maxDepth() + 2];
        boolean[] isProcessedBundle = new boolean[limits.maxDepth() + 2];
        int[] entries = new int[limits.maxDepth() + 2];
        int resources = 0;
        int depth = 0;
        int elements = 0;
        long textLength = 0;
        XMLStreamReader reader = null;
        try {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        textLength = 0;
                        if (++elements > limits.maxValues()) {
                            throw Refusals.tooManyValues("elements", limits.maxValues());
                        }
                        if (++children[depth] > limits.maxArrayLength()) {
                            throw Refusals.arrayTooLong("an element with", limits.maxArrayLength());
                        }
                        String name = reader.getLocalName();
                        if ((name.equals("extension") || name.equals("modifierExtension"))
                                && ++extensions[depth] > limits.maxExtensions()) {
                            throw Refusals.tooManyExtensions(limits.maxExtensions());
                        }
                        if (++depth > limits.maxDepth()) {
                            throw Refusals.tooDeep("XML", limits.maxDepth());
                        }
                        children[depth] = 0;
                        extensions[depth] = 0;
                        isResourceWrapper[depth] = name.equals("resource");
                        if (depth == 1 || isResourceWrapper[depth - 1]) {
                            resources++;
                            resourceDepth[resources] = depth;
                            resourceElements[resources] = 0;
                            isBundle[resources] = name.equals("Bundle");
                            isProcessedBundle[resources] = false;
                            entries[resources] = 0;
                        } else if (resources > 0 && isBundle[resources] && depth == resourceDepth[resources] + 1) {
                            if (name.equals("entry")) {
                                entries[resources]++;
                            } else if (name.equals("type")) {
                                String type = reader.getAttributeValue(null, "value");
                                isProcessedBundle[resources] = "transaction".equals(type) || "batch".equals(type);
                            }
                        }
                        if (resources > 0
                                && ++resourceElements[resources] > limits.maxResourceValues()
                                && !isBundle[resources]) {
                            throw Refusals.tooManyResourceValues(limits.maxResourceValues());
                        }
                        boolean base64 = name.equals("data");
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            boolean exempt =
                                    base64 && reader.getAttributeLocalName(i).equals("value");
                            if (!exempt && reader.getAttributeValue(i).length() > limits.maxStringLength()) {
                                throw Refusals.stringTooLong(limits.maxStringLength(), "characters");
                            }
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        textLength = 0;
                        if (resources > 0 && resourceDepth[resources] == depth) {
                            if (isProcessedBundle[resources] && entries[resources] > limits.maxTransactionEntries()) {
                                throw Refusals.tooManyTransactionEntries(
                                        entries[resources], limits.maxTransactionEntries());
                            }
                            resources--;
                        }
                        depth = Math.max(0, depth - 1);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        textLength += reader.getTextLength();
                        if (textLength > limits.maxStringLength()) {
                            throw Refusals.stringTooLong(limits.maxStringLength(), "characters");
                        }
                    }
                    default -> {}
                }
            }
        } catch (XMLStreamException malformed) {
            // HAPI's parser refuses it with its own message, as it would without this scan
        } finally {
            close(reader);
        }
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing was held open but the byte array
            }
        }
    }
}
