package dev.connectorruntime.wecom.callbacks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses untrusted XML: no DOCTYPE (so no entities, no entity expansion, no external fetch), no
 * XInclude, and a bound on nesting depth.
 */
final class SafeXml {
    static final int MAX_DEPTH = 32;
    private static final DocumentBuilderFactory FACTORY = factory();
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(SafeXml::builder);

    private SafeXml() {}

    /** The root element. @throws CallbackException {@code bad_xml} */
    static Element parse(byte[] xml) {
        DocumentBuilder builder = BUILDER.get();
        try {
            Element root = builder.parse(new ByteArrayInputStream(xml)).getDocumentElement();
            if (depth(root, 1) > MAX_DEPTH) {
                throw new CallbackException("bad_xml");
            }
            return root;
        } catch (SAXException | IOException | RuntimeException e) {
            if (e instanceof CallbackException c) {
                throw c;
            }
            throw new CallbackException("bad_xml");
        }
    }

    private static int depth(Element element, int level) {
        if (level > MAX_DEPTH) {
            return level;
        }
        int deepest = level;
        for (org.w3c.dom.Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                deepest = Math.max(deepest, depth(e, level + 1));
                if (deepest > MAX_DEPTH) {
                    return deepest;
                }
            }
        }
        return deepest;
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        return factory;
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {}

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
