package org.convergenceledger.events.iati;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The IATI 2.03 activity schema (the three files under {@code /iati-2.03/} of this jar, unchanged from IATI's
 * repository) and a validation that names each broken rule by line and column.
 */
public final class IatiSchema {

    public static final String VERSION = "2.03";

    /** Enough to show what is wrong with a file; a file with more errors is usually the wrong kind of file. */
    static final int MOST_VIOLATIONS = 50;
    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    private static final Schema SCHEMA = load();

    /** A broken rule of the file: where (1-based; 0 when unknown) and the parser's reason. */
    public record Violation(int line, int column, String reason) {
    }

    private IatiSchema() {
    }

    /** Thread-safe: one compiled schema serves every validation. */
    public static Schema schema() {
        return SCHEMA;
    }

    /**
     * Reads the document once, checking that it is well-formed and valid against the schema, and gives every broken
     * rule (at most {@value #MOST_VIOLATIONS}); none means valid. A DOCTYPE is refused: an IATI file needs none,
     * and entities are how XML is turned against its reader.
     */
    public static List<Violation> violations(InputStream document) throws IOException {
        List<Violation> found = new ArrayList<>();
        try {
            XMLReader reader = hardenedParsers(SCHEMA).newSAXParser().getXMLReader();
            reader.setContentHandler(new DefaultHandler());
            reader.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException warning) {
                    // warnings do not make a file invalid
                }

                @Override
                public void error(SAXParseException error) throws SAXException {
                    found.add(violation(error));
                    if (found.size() >= MOST_VIOLATIONS) {
                        throw new SAXException("too many errors");
                    }
                }

                @Override
                public void fatalError(SAXParseException fatal) throws SAXException {
                    throw fatal;
                }
            });
            reader.parse(new InputSource(document));
        } catch (SAXParseException fatal) {
            found.add(violation(fatal));
        } catch (SAXException stopped) {
            // stopped after MOST_VIOLATIONS errors: they are in the list
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
        return List.copyOf(found);
    }

    /**
     * A namespace-aware SAX parser factory that refuses DOCTYPEs and external entities, validating against the given
     * schema (or none).
     */
    public static SAXParserFactory hardenedParsers(Schema schema) throws ParserConfigurationException,
            SAXException {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature(DISALLOW_DOCTYPE, true);
        factory.setXIncludeAware(false);
        factory.setSchema(schema);
        return factory;
    }

    private static Violation violation(SAXParseException error) {
        return new Violation(Math.max(0, error.getLineNumber()), Math.max(0, error.getColumnNumber()),
                error.getMessage());
    }

    private static Schema load() {
        URL main = IatiSchema.class.getResource("/iati-2.03/iati-activities-schema.xsd");
        if (main == null) {
            throw new IllegalStateException("the IATI 2.03 schema is missing from the class path (/iati-2.03/)");
        }
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            // Its includes sit beside it in this jar (or folder): nothing is fetched from the network.
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file,jar");
            return factory.newSchema(main);
        } catch (SAXException e) {
            throw new IllegalStateException("cannot read the IATI 2.03 schema at " + main, e);
        }
    }
}
