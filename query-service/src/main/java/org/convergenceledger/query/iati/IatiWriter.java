package org.convergenceledger.query.iati;

import static org.convergenceledger.events.iati.IatiCodes.LEDGER_NAMESPACE;
import static org.convergenceledger.events.iati.IatiCodes.LEDGER_PREFIX;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.convergenceledger.events.common.Money;
import org.convergenceledger.events.common.Partner;
import org.convergenceledger.events.common.Period;
import org.convergenceledger.events.common.Regions;
import org.convergenceledger.events.common.YearlyAmount;
import org.convergenceledger.events.iati.IatiCodes;
import org.convergenceledger.events.iati.IatiCodes.StandardCode;
import org.convergenceledger.events.iati.IatiOrganisations;
import org.convergenceledger.events.iati.IatiSchema;

/**
 * Writes activities as one IATI 2.03 {@code iati-activities} document, each as it comes (a ledger of any size goes
 * out in constant memory), every element in the schema's sequence. The document is opened with the first activity:
 * the schema wants at least one. docs/iati.md maps each element to the ledger.
 */
final class IatiWriter implements AutoCloseable {

    /** What the whole document shares: who the agencies are, what the axes are called, when and as of what. */
    record Document(IatiOrganisations organisations, Map<String, Organisation> agencies,
                    Map<String, String> axisTitles, String language, Instant generatedAt, Long asOfSequence,
                    Instant knownAt, Instant validAt) {
    }

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private final XMLStreamWriter xml;
    private final Document document;
    private int depth;

    IatiWriter(OutputStream out, Document document) {
        this.document = document;
        try {
            xml = FACTORY.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.setPrefix(LEDGER_PREFIX, LEDGER_NAMESPACE);
            start("iati-activities");
            xml.writeNamespace(LEDGER_PREFIX, LEDGER_NAMESPACE);
            attribute("version", IatiSchema.VERSION);
            attribute("generated-datetime", document.generatedAt().toString());
            // Where the ledger stood: what the JSON reads say as freshness, as attributes of the ledger's namespace.
            if (document.asOfSequence() != null) {
                xml.writeAttribute(LEDGER_PREFIX, LEDGER_NAMESPACE, "as-of-sequence",
                        document.asOfSequence().toString());
            }
            if (document.knownAt() != null) {
                xml.writeAttribute(LEDGER_PREFIX, LEDGER_NAMESPACE, "known-at", document.knownAt().toString());
            }
            if (document.validAt() != null) {
                xml.writeAttribute(LEDGER_PREFIX, LEDGER_NAMESPACE, "valid-at", document.validAt().toString());
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot start the IATI document", e);
        }
    }

    void write(ExportedActivity activity) {
        try {
            start("iati-activity");
            attribute("last-updated-datetime", activity.lastUpdated().toString());
            xml.writeAttribute("xml", XMLConstants.XML_NS_URI, "lang", document.language());
            if (activity.plannedBudget() != null) {
                attribute("default-currency", activity.plannedBudget().currency());
            }
            textElement("iati-identifier", document.organisations().identifierOf(activity.id()));
            organisation("reporting-org", activity.leadAgency(), null);
            start("title");
            narrative(activity.title());
            end();
            start("description");
            attribute("type", "1");
            narrative(activity.description() == null || activity.description().isBlank() ? activity.title()
                    : activity.description());
            end();
            organisation("participating-org", activity.leadAgency(), IatiCodes.LEAD_ROLE);
            for (Partner partner : activity.partners()) {
                // A partner without a role cannot be written: the schema requires one.
                if (partner.role() != null) {
                    organisation("participating-org", partner.agency(), partner.role().iatiCode());
                }
            }
            empty("activity-status", "code", Integer.toString(activity.state().iatiStatus()));
            dates(activity);
            empty("recipient-country", "code", IatiCodes.COUNTRY, "percentage", "100");
            locations(activity.regions());
            sectors(activity.axes());
            policyMarkers(activity.axes());
            budget(activity);
            transaction(IatiCodes.COMMITMENT, activity.committedOn(), activity.committed());
            transaction(IatiCodes.EXPENDITURE, activity.completedOn(), activity.spent());
            for (String group : activity.targetGroups()) {
                indent();
                xml.writeEmptyElement(LEDGER_PREFIX, IatiCodes.TARGET_GROUP, LEDGER_NAMESPACE);
                attribute("code", group);
            }
            end();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write activity " + activity.id(), e);
        }
    }

    @Override
    public void close() {
        try {
            end();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot end the IATI document", e);
        }
    }

    /** reporting-org (no role) or participating-org: the agency's IATI identifier, type and name. */
    private void organisation(String element, String agency, Integer role) throws XMLStreamException {
        Organisation known = document.agencies().get(agency);
        start(element);
        attribute("ref", document.organisations().refOf(agency));
        attribute("type", IatiCodes.organisationType(known == null ? null : known.kind()));
        if (role != null) {
            attribute("role", role.toString());
        }
        narrative(known == null || known.name() == null ? agency : known.name());
        end();
    }

    private void dates(ExportedActivity activity) throws XMLStreamException {
        LocalDate plannedStart = activity.plannedPeriod() == null ? null : activity.plannedPeriod().start();
        LocalDate plannedEnd = activity.plannedPeriod() == null ? null : activity.plannedPeriod().end();
        date(IatiCodes.PLANNED_START, plannedStart);
        date(IatiCodes.ACTUAL_START, activity.startedOn());
        date(IatiCodes.PLANNED_END, plannedEnd);
        date(IatiCodes.ACTUAL_END, activity.completedOn());
    }

    private void date(String type, LocalDate date) throws XMLStreamException {
        if (date != null) {
            empty("activity-date", "type", type, "iso-date", date.toString());
        }
    }

    /** A region by the ledger's code (location ref) and its name; a national activity is the country alone. */
    private void locations(List<String> regions) throws XMLStreamException {
        for (String region : regions) {
            if (region.equals(Regions.NATIONAL)) {
                continue;
            }
            start("location");
            attribute("ref", region);
            empty("location-reach", "code", "1");
            start("name");
            narrative(IatiCodes.REGION_NAMES.getOrDefault(region, region));
            end();
            // Location class 1: an administrative region.
            empty("location-class", "code", "1");
            end();
        }
    }

    /**
     * Axes with a DAC purpose code as sectors of vocabulary 1, then every axis as a sector of vocabulary 99 (the
     * ledger's own codes, so the import reads every axis back); each vocabulary's percentages add up to 100.
     */
    private void sectors(List<String> axes) throws XMLStreamException {
        List<StandardCode> dac = new ArrayList<>();
        for (String axis : axes) {
            IatiCodes.standardOf(axis).filter(code -> code.element() == IatiCodes.Element.SECTOR).ifPresent(dac::add);
        }
        List<BigDecimal> dacShares = shares(dac.size());
        for (int i = 0; i < dac.size(); i++) {
            sector(dac.get(i).vocabulary(), dac.get(i).code(), dacShares.get(i), dac.get(i).name());
        }
        List<BigDecimal> ownShares = shares(axes.size());
        for (int i = 0; i < axes.size(); i++) {
            sector(IatiCodes.OWN_VOCABULARY, axes.get(i), ownShares.get(i),
                    document.axisTitles().getOrDefault(axes.get(i), axes.get(i)));
        }
    }

    private void sector(String vocabulary, String code, BigDecimal percentage, String name)
            throws XMLStreamException {
        start("sector");
        attribute("vocabulary", vocabulary);
        attribute("code", code);
        attribute("percentage", percentage.toPlainString());
        narrative(name);
        end();
    }

    private void policyMarkers(List<String> axes) throws XMLStreamException {
        for (String axis : axes) {
            var marker = IatiCodes.standardOf(axis).filter(code -> code.element() == IatiCodes.Element.POLICY_MARKER);
            if (marker.isPresent()) {
                empty("policy-marker", "vocabulary", marker.get().vocabulary(), "code", marker.get().code(),
                        "significance", marker.get().significance());
            }
        }
    }

    /**
     * The planned budget, original (type 1), indicative (status 1): one budget per calendar year of its split, over
     * the part of the planned period in that year (IATI wants budget periods of at most a year); a version without a
     * split, one budget over the whole period.
     */
    private void budget(ExportedActivity activity) throws XMLStreamException {
        Period period = activity.plannedPeriod();
        if (activity.plannedBudget() == null || period == null || period.start() == null || period.end() == null) {
            return;
        }
        if (activity.plannedBudgetByYear().isEmpty()) {
            budget(period.start(), period.end(), activity.plannedBudget());
            return;
        }
        for (YearlyAmount part : activity.plannedBudgetByYear()) {
            LocalDate yearStart = LocalDate.of(part.year(), 1, 1);
            LocalDate yearEnd = LocalDate.of(part.year(), 12, 31);
            budget(period.start().isAfter(yearStart) ? period.start() : yearStart,
                    period.end().isBefore(yearEnd) ? period.end() : yearEnd,
                    new Money(part.amount(), activity.plannedBudget().currency()));
        }
    }

    private void budget(LocalDate from, LocalDate to, Money amount) throws XMLStreamException {
        start("budget");
        attribute("type", "1");
        attribute("status", "1");
        empty("period-start", "iso-date", from.toString());
        empty("period-end", "iso-date", to.toString());
        value(amount, from);
        end();
    }

    private void transaction(String type, LocalDate on, Money amount) throws XMLStreamException {
        if (on == null || amount == null) {
            return;
        }
        start("transaction");
        empty("transaction-type", "code", type);
        empty("transaction-date", "iso-date", on.toString());
        value(amount, on);
        end();
    }

    private void value(Money money, LocalDate valueDate) throws XMLStreamException {
        indent();
        xml.writeStartElement("value");
        attribute("currency", money.currency());
        attribute("value-date", valueDate.toString());
        xml.writeCharacters(money.amount().toPlainString());
        xml.writeEndElement();
    }

    /** 100 split in n parts of two decimals, the rounding left on the last: 33.33, 33.33, 33.34. */
    static List<BigDecimal> shares(int n) {
        List<BigDecimal> shares = new ArrayList<>();
        if (n == 0) {
            return shares;
        }
        BigDecimal each = HUNDRED.divide(BigDecimal.valueOf(n), 2, RoundingMode.DOWN);
        for (int i = 0; i < n - 1; i++) {
            shares.add(each);
        }
        shares.add(HUNDRED.subtract(each.multiply(BigDecimal.valueOf(n - 1L))));
        return shares.stream().map(BigDecimal::stripTrailingZeros)
                .map(share -> share.scale() < 0 ? share.setScale(0) : share).toList();
    }

    private void narrative(String text) throws XMLStreamException {
        textElement("narrative", text);
    }

    private void textElement(String name, String text) throws XMLStreamException {
        indent();
        xml.writeStartElement(name);
        xml.writeCharacters(xmlText(text));
        xml.writeEndElement();
    }

    // The API refuses control characters in texts; this keeps an older or odd one from making the file unreadable.
    private static String xmlText(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder kept = new StringBuilder(text.length());
        text.codePoints().filter(c -> c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000).forEach(kept::appendCodePoint);
        return kept.toString();
    }

    private void start(String name) throws XMLStreamException {
        indent();
        xml.writeStartElement(name);
        depth++;
    }

    private void end() throws XMLStreamException {
        depth--;
        indent();
        xml.writeEndElement();
    }

    private void empty(String name, String... attributes) throws XMLStreamException {
        indent();
        xml.writeEmptyElement(name);
        for (int i = 0; i < attributes.length; i += 2) {
            attribute(attributes[i], attributes[i + 1]);
        }
    }

    private void attribute(String name, String value) throws XMLStreamException {
        xml.writeAttribute(name, value);
    }

    // Whitespace between elements only (never inside a text), so the file reads well and means the same.
    private void indent() throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }
}
