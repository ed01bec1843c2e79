package org.convergenceledger.command.iati;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.convergenceledger.events.iati.IatiCodes;
import org.convergenceledger.events.iati.IatiSchema;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads a partner's IATI 2.03 file: first checked against the schema (any broken rule refuses the whole file, with
 * its line), then each {@code iati-activity} read as written. The schema has already made sure that what is read
 * here is there and well-formed (dates, decimals, required attributes).
 */
final class IatiFile {

    private IatiFile() {
    }

    static List<IatiActivityIn> read(byte[] file) {
        try {
            List<IatiSchema.Violation> violations = IatiSchema.violations(new ByteArrayInputStream(file));
            if (!violations.isEmpty()) {
                throw new InvalidIatiFile(violations);
            }
            Element root = parse(file).getDocumentElement();
            List<IatiActivityIn> activities = new ArrayList<>();
            for (Element activity : children(root, "iati-activity")) {
                activities.add(activity(activity, activities.size() + 1));
            }
            return activities;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IatiActivityIn activity(Element activity, int position) {
        List<IatiActivityIn.Organisation> participants = new ArrayList<>();
        for (Element org : children(activity, "participating-org")) {
            participants.add(new IatiActivityIn.Organisation(attribute(org, "ref"), attribute(org, "role")));
        }
        Map<String, LocalDate> dates = new LinkedHashMap<>();
        for (Element date : children(activity, "activity-date")) {
            dates.putIfAbsent(attribute(date, "type"), date(attribute(date, "iso-date")));
        }
        List<String> countries = children(activity, "recipient-country").stream()
                .map(country -> attribute(country, "code")).toList();
        List<IatiActivityIn.Place> places = new ArrayList<>();
        for (Element location : children(activity, "location")) {
            places.add(new IatiActivityIn.Place(attribute(location, "ref"),
                    child(location, "name").map(IatiFile::narrative).orElse(null)));
        }
        List<IatiActivityIn.Code> sectors = children(activity, "sector").stream()
                .map(sector -> new IatiActivityIn.Code(attribute(sector, "vocabulary"), attribute(sector, "code")))
                .toList();
        List<IatiActivityIn.Marker> markers = children(activity, "policy-marker").stream()
                .map(marker -> new IatiActivityIn.Marker(attribute(marker, "vocabulary"), attribute(marker, "code"),
                        attribute(marker, "significance"))).toList();
        List<IatiActivityIn.Budget> budgets = new ArrayList<>();
        for (Element budget : children(activity, "budget")) {
            Element value = child(budget, "value").orElseThrow();
            budgets.add(new IatiActivityIn.Budget(attribute(budget, "type"),
                    date(attribute(child(budget, "period-start").orElseThrow(), "iso-date")),
                    date(attribute(child(budget, "period-end").orElseThrow(), "iso-date")),
                    new BigDecimal(value.getTextContent().strip()), attribute(value, "currency")));
        }
        List<String> groups = new ArrayList<>();
        for (Node node = activity.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element extension && IatiCodes.LEDGER_NAMESPACE.equals(extension.getNamespaceURI())
                    && IatiCodes.TARGET_GROUP.equals(extension.getLocalName())) {
                groups.add(attribute(extension, "code"));
            }
        }
        return new IatiActivityIn(position, text(child(activity, "iati-identifier").orElseThrow()),
                attribute(child(activity, "reporting-org").orElseThrow(), "ref"),
                child(activity, "title").map(IatiFile::narrative).orElse(null),
                description(activity), participants,
                attribute(child(activity, "activity-status").orElseThrow(), "code"), dates, countries, places,
                sectors, markers, budgets, attribute(activity, "default-currency"),
                children(activity, "transaction").size(), groups);
    }

    /** The general description (type 1, or no type), else the first one. */
    private static String description(Element activity) {
        List<Element> descriptions = children(activity, "description");
        return descriptions.stream().filter(d -> attribute(d, "type") == null || "1".equals(attribute(d, "type")))
                .findFirst().or(() -> descriptions.stream().findFirst()).map(IatiFile::narrative).orElse(null);
    }

    private static String narrative(Element parent) {
        return child(parent, "narrative").map(IatiFile::text).orElse(null);
    }

    private static String text(Element element) {
        String text = element.getTextContent();
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static String attribute(Element element, String name) {
        String value = element.getAttribute(name);
        return value.isBlank() ? null : value.strip();
    }

    // xsd:date may carry a zone (2024-01-01Z); the ledger's dates are days.
    private static LocalDate date(String isoDate) {
        return isoDate == null ? null : LocalDate.from(DateTimeFormatter.ISO_DATE.parse(isoDate));
    }

    /** Children of IATI's own elements (no namespace) by name, in document order. */
    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getNamespaceURI() == null
                    && name.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static java.util.Optional<Element> child(Element parent, String name) {
        return children(parent, name).stream().findFirst();
    }

    private static Document parse(byte[] file) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(file));
        } catch (ParserConfigurationException | SAXException e) {
            // The schema check read the same bytes with the same refusals: this cannot fail on a file it passed.
            throw new IllegalStateException("a file that passed the schema could not be read", e);
        }
    }
}
