package org.convergenceledger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.convergenceledger.command.scenario.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's, driven by its chromedriver: nothing is downloaded): every
 * page in French, Arabic and English, Arabic right to left, the scenario's planted duplication and gap shown, a
 * matrix cell listing its activities, and an open page changing without reload when an event is committed.
 * Screenshots of every page and language land in target/dashboard/ for review.
 */
class DashboardIT {

    private static final Path SHOTS = Path.of("target/dashboard");
    private static final Path DOWNLOADS = Path.of("target/dashboard/downloads");
    private static final Map<String, String> TITLES = Map.of(
            "fr", "Convergence des actions pour l'emploi",
            "ar", "التقائية برامج التشغيل",
            "en", "Convergence of employment activities");
    private static final List<String> VIEWS = List.of("overview", "matrix", "duplications", "coverage", "progress",
            "ledger", "agency", "activity");
    private static final Map<String, String> VIEW_PARAMETERS = Map.of("coverage", "&from=2025-01-01&to=2025-12-31",
            "agency", "&code=ANAPEC", "activity", "&id=ANAPEC:WLT-TTA-2024");

    private static LedgerSystem system;
    private static ChromeDriver browser;

    @BeforeAll
    static void startTheLedgerAndABrowser() throws Exception {
        system = LedgerSystem.get();
        Ledger.ensureRegistry(system);
        File driver = new File("/usr/bin/chromedriver");
        assertThat(driver).as("Debian's chromium-driver (deploy/test.sh installs it: apt-get install chromium "
                + "chromium-driver)").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000");
        Files.createDirectories(DOWNLOADS);
        options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toAbsolutePath().toString(),
                "download.prompt_for_download", false));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver).build(), options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void everyPageOpensInEachLanguageAndArabicReadsRightToLeft() throws Exception {
        for (String view : VIEWS) {
            for (String lang : List.of("fr", "ar", "en")) {
                open("?view=" + view + "&lang=" + lang + VIEW_PARAMETERS.getOrDefault(view, ""));

                WebElement html = browser.findElement(By.tagName("html"));
                assertThat(html.getAttribute("lang")).isEqualTo(lang);
                assertThat(html.getAttribute("dir")).isEqualTo(lang.equals("ar") ? "rtl" : "ltr");
                assertThat(browser.findElement(By.id("title")).getText()).isEqualTo(TITLES.get(lang));
                assertThat(browser.findElements(By.cssSelector("main .error"))).as(view + "/" + lang).isEmpty();
                assertThat(browser.findElements(By.cssSelector("main table"))).as(view + "/" + lang).isNotEmpty();
                if (!view.equals("agency") && !view.equals("activity")) {
                    assertThat(browser.findElement(By.cssSelector("nav a[aria-current=page]")).getAttribute("href"))
                            .contains("view=" + view);
                }
                Files.write(SHOTS.resolve(view + "-" + lang + ".png"), browser.getScreenshotAs(OutputType.BYTES));
            }
        }
    }

    @Test
    void noPageHasASeriousOrCriticalAccessibilityViolation() {
        // One matrix cell far above the others, as a busy ledger has: its colour is the darkest, its text must stay
        // readable (a full suite run found it was not).
        for (int i = 0; i < 6; i++) {
            assertThat(Ledger.propose(system, Ledger.newActivityId("ANAPEC", "CONTRAST"), "ANAPEC").status())
                    .isEqualTo(201);
        }
        List<String> violations = new java.util.ArrayList<>();
        int checkedRules = 0;
        for (String view : VIEWS) {
            for (String lang : List.of("fr", "ar")) {
                open("?view=" + view + "&lang=" + lang + VIEW_PARAMETERS.getOrDefault(view, ""));
                com.deque.html.axecore.results.Results results = new com.deque.html.axecore.selenium.AxeBuilder()
                        .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(browser);
                assertThat(results.getPasses()).as("axe ran its rules on " + view + "/" + lang).isNotEmpty();
                checkedRules += results.getPasses().size();
                results.getViolations().stream()
                        .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
                        .forEach(rule -> violations.add(view + "/" + lang + ": " + rule.getId() + " ("
                                + rule.getImpact() + ") " + rule.getNodes().stream().limit(3)
                                .map(node -> String.valueOf(node.getTarget())).toList()));
            }
        }
        assertThat(violations).isEmpty();
        System.out.printf("[dashboard] axe-core: %d pages checked, %d rule results passed, no serious or critical"
                + " violation%n", VIEWS.size() * 2, checkedRules);
    }

    @Test
    void thePagesFitAPhoneWidthWithoutSidewaysScrolling() throws Exception {
        org.openqa.selenium.Dimension laptop = browser.manage().window().getSize();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            // On a phone the filters fold away under their summary, unless the view is filtered.
            open("?view=overview&lang=fr");
            assertThat(browser.findElement(By.id("filter-box")).getAttribute("open")).isNull();
            assertThat(browser.findElement(By.id("filters")).isDisplayed()).isFalse();
            browser.findElement(By.id("filter-summary")).click();
            assertThat(browser.findElement(By.id("filters")).isDisplayed()).isTrue();
            open("?view=overview&lang=fr&axis=CHILD_LABOUR");
            assertThat(browser.findElement(By.id("filter-box")).getAttribute("open")).isNotNull();
            assertThat(browser.findElement(By.id("filter-summary")).getText()).isEqualTo("Filtres (1)");
            for (String view : List.of("overview", "matrix", "duplications", "activity")) {
                for (String lang : List.of("fr", "ar")) {
                    open("?view=" + view + "&lang=" + lang + VIEW_PARAMETERS.getOrDefault(view, ""));
                    Object overflow = ((JavascriptExecutor) browser).executeScript(
                            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                    assertThat(((Number) overflow).intValue()).as(view + "/" + lang + " wider than the phone")
                            .isLessThanOrEqualTo(0);
                    // A table scrolls in its box rather than squeezing its columns to a letter per line.
                    Object lines = ((JavascriptExecutor) browser).executeScript("""
                            return Math.max(0, ...[...document.querySelectorAll('main thead th')].map(th =>
                              th.getBoundingClientRect().height / parseFloat(getComputedStyle(th).lineHeight)));""");
                    assertThat(((Number) lines).doubleValue()).as(view + "/" + lang + " header lines")
                            .isLessThanOrEqualTo(4.5);
                    Files.write(SHOTS.resolve(view + "-" + lang + "-phone.png"),
                            browser.getScreenshotAs(OutputType.BYTES));
                }
            }
        } finally {
            browser.manage().window().setSize(laptop);
        }
    }

    @Test
    void aKeyboardAloneReachesTheContentThePagesAndAMatrixCell() {
        open("?view=overview&lang=fr");
        org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(browser);

        keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
        assertThat(focused().getText()).isEqualTo("Aller au contenu");
        keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        assertThat(focused().getAttribute("id")).isEqualTo("page");

        open("?view=overview&lang=fr");
        tabUntil(element -> element.getText().equals("Matrice"));
        keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        awaitPage();
        assertThat(browser.getCurrentUrl()).contains("view=matrix");

        tabUntil(element -> "a".equals(element.getTagName()) && element.getAttribute("class") != null
                && element.getAttribute("class").contains("heat"));
        keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        awaitPage();
        assertThat(browser.getCurrentUrl()).contains("cellRow=").contains("cellCol=");
        assertThat(browser.findElement(By.id("cell")).getText()).isNotBlank();
    }

    private static WebElement focused() {
        return browser.switchTo().activeElement();
    }

    /** Presses Tab until the focused element is the one sought (at most 80 times). */
    private static void tabUntil(java.util.function.Predicate<WebElement> sought) {
        org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(browser);
        for (int i = 0; i < 80; i++) {
            keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
            if (sought.test(focused())) {
                return;
            }
        }
        throw new AssertionError("not reached with Tab: the page is not keyboard-navigable there");
    }

    @Test
    void theOverviewNamesEveryAxisInTheReadersLanguageWithItsFreshness() {
        open("?view=overview&lang=fr");

        String page = browser.findElement(By.id("page")).getText();
        assertThat(page).contains("Élimination du travail des enfants", "Formation en alternance et apprentissage");
        assertThat(browser.findElement(By.id("freshness")).getText()).startsWith("À jour jusqu'au fait n°");
        open("?view=overview&lang=ar");
        assertThat(browser.findElement(By.id("page")).getText()).contains("القضاء على تشغيل الأطفال");
    }

    @Test
    void thePlantedDuplicationAndThePlantedGapAreShown() {
        // Filtered to the planted pair's cell, as a committee member would look: in a busy ledger (a full test run)
        // other pairs score higher and fill the first page.
        open("?view=duplications&lang=fr&axis=WORK_LINKED_TRAINING&region=TANGER_TETOUAN_AL_HOCEIMA");
        String duplications = browser.findElement(By.id("page")).getText();
        assertThat(duplications).contains("ANAPEC:WLT-TTA-2024").contains("OFPPT:ALT-TTA-2024")
                .contains("leurs périodes se chevauchent");

        open("?view=coverage&lang=fr&from=2025-01-01&to=2025-12-31");
        List<String> gaps = browser.findElements(By.cssSelector("table.gaps tbody tr")).stream()
                .map(WebElement::getText).toList();
        assertThat(gaps).anyMatch(row -> row.contains("Élimination du travail des enfants")
                && row.contains("Drâa-Tafilalet"));
    }

    @Test
    void theCommitteesDecisionAContestedPartnershipAndAClosedPeriodAreShown() {
        Http.Response decided = Http.as(system.key("COORDINATOR")).post(system.commandUrl()
                + "/api/convergence/duplications/" + Scenario.DUPLICATE_A + "/" + Scenario.DUPLICATE_B + "/decision",
                Map.of("decision", "UNDER_REVIEW", "reason", "Comparing the two cohorts' employers"));
        assertThat(decided.status()).as(decided.raw().body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            open("?view=duplications&lang=en&axis=WORK_LINKED_TRAINING&region=TANGER_TETOUAN_AL_HOCEIMA");
            return browser.findElement(By.id("page")).getText().contains("Comparing the two cohorts' employers");
        });
        assertThat(browser.findElement(By.cssSelector("table.duplications .review strong")).getText())
                .isEqualTo("Under review");

        open("?view=activity&id=EUD:THAMM-2024&lang=en");
        assertThat(browser.findElement(By.id("page")).getText()).contains("GIZ (Implementing, contested)")
                .contains("ENABEL (Implementing, confirmed)")
                .contains("Our share of THAMM runs under our own contract with the ministry");

        // A period closed for IOM's 2018 (nobody writes there) is listed on the progress page, with its reason.
        Http.Response closed = Http.as(system.key("COORDINATOR")).post(system.commandUrl()
                + "/api/convergence/closed-periods", Map.of("agency", "IOM", "from", "2018-01-01", "to", "2018-12-31",
                "reason", "IOM 2018 report filed"));
        assertThat(closed.status()).as(closed.raw().body()).isIn(201, 409);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            open("?view=progress&lang=en");
            return browser.findElement(By.id("page")).getText().contains("IOM 2018 report filed");
        });
        assertThat(browser.findElement(By.cssSelector("table.closed-periods")).getText()).contains("IOM")
                .contains("IOM 2018 report filed");
        assertThat(browser.findElement(By.id("page")).getText()).contains("Closed periods and corrections");

        // The overview offers its selection as IATI 2.03, filters included.
        open("?view=overview&lang=en&axis=GENDER");
        String iati = browser.findElement(By.cssSelector("a.iati")).getAttribute("href");
        assertThat(iati).contains("/api/iati/activities.xml?axis=GENDER");
        Http.Response xml = Http.get(iati);
        assertThat(xml.status()).isEqualTo(200);
        assertThat(xml.raw().body()).contains("<iati-activities").contains("<iati-activity");
    }

    @Test
    void anActivityOpenedByAnIdentifierItLeftShowsUnderItsNewOneWithItsWholeHistory() {
        String old = Ledger.newActivityId("ANAPEC", "DASHMOVE");
        String moved = old.replace("DASHMOVE", "DASH-MOVED");
        assertThat(Ledger.propose(system, old, "ANAPEC").status()).isEqualTo(201);
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities/" + old + "/rekeying",
                Map.of("newActivityId", moved, "reason", "reference corrected")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Http.get(system.queryUrl() + "/api/activities/" + old + "/events").status() == 308);

        open("?view=activity&id=" + old + "&lang=en");
        String page = browser.findElement(By.id("page")).getText();
        assertThat(page).contains("Earlier identifiers").contains(old).contains(moved);
        assertThat(page).contains("MovedIn").contains("Rekeyed");
    }

    @Test
    void aMatrixCellListsItsActivities() {
        open("?view=matrix&lang=en&dims=axis,region");
        browser.findElement(By.cssSelector("a.heat[aria-label^='Work-linked training and apprenticeships × "
                + "Tanger-Tetouan-Al Hoceima']")).click();
        awaitPage();

        assertThat(browser.getCurrentUrl()).contains("cellRow=WORK_LINKED_TRAINING")
                .contains("cellCol=TANGER_TETOUAN_AL_HOCEIMA");
        assertThat(browser.findElement(By.id("cell")).getText()).contains("ANAPEC:WLT-TTA-2024")
                .contains("OFPPT:ALT-TTA-2024");
    }

    @Test
    void aDatePickerShowsTheViewAsKnownThenOrAsThingsStoodThen() {
        open("?view=overview&lang=en&knownAt=2020-01-01");
        assertThat(browser.findElement(By.id("freshness")).getText()).startsWith("The view as known on");
        assertThat(browser.findElements(By.cssSelector("main .error"))).isEmpty();

        open("?view=matrix&lang=en&validAt=2023-06-30");
        assertThat(browser.findElement(By.id("freshness")).getText()).startsWith("Things as they stood on");
        assertThat(browser.findElement(By.cssSelector("input[name=validAt]")).getAttribute("value"))
                .isEqualTo("2023-06-30");
        assertThat(browser.findElements(By.cssSelector("main .error"))).isEmpty();
    }

    @Test
    void anAgencyPageListsItsActivitiesAndPartners() {
        open("?view=agency&code=ANAPEC&lang=en");

        assertThat(browser.findElement(By.id("page")).getText()).contains("ANAPEC:WLT-TTA-2024")
                .contains("National Agency for the Promotion of Employment and Skills");
        // When it last reported: its own newest fact in the ledger (the scenario has ANAPEC report several).
        assertThat(browser.findElement(By.id("freshness")).getText()).matches("\\d+ facts reported, the last on .+");
        // Those it works with include the lead of an activity it only joins (ANAPEC joins none: OFPPT's page).
        open("?view=agency&code=GIZ&lang=en");
        assertThat(browser.findElement(By.id("page")).getText()).contains("Lead agency");
    }

    @Test
    void theProgressPageSaysWhoReportsAndWhoWentSilentButOnlyLive() {
        open("?view=progress&lang=en");
        WebElement reporting = browser.findElements(By.cssSelector("table.reporting")).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no reporting table on the live progress page"));
        Map<String, String> labels = Map.of("SILENT", "Silent", "LATE", "Late", "CURRENT", "Current");
        JsonNode freshness = Http.get(system.queryUrl() + "/api/convergence/freshness").json();
        for (JsonNode agency : freshness.path("agencies")) {
            WebElement row = reporting.findElements(By.cssSelector("tbody tr")).stream()
                    .filter(tr -> tr.findElement(By.tagName("th")).getText().equals(agency.path("code").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("no row for " + agency.path("code")));
            assertThat(row.findElements(By.tagName("td")).get(0).getText()).as(agency.toString())
                    .isEqualTo(labels.get(agency.path("status").asText()));
        }
        // About a past moment the page shows no live answer.
        open("?view=progress&lang=en&knownAt=2025-01-01T00:00:00Z");
        assertThat(browser.findElements(By.cssSelector("table.reporting"))).isEmpty();
    }

    @Test
    void anActivityPageListsItsPlannedBudgetYearByYear() {
        JsonNode read = Http.get(system.queryUrl() + "/api/activities/ANAPEC:WLT-TTA-2024").json();
        List<String> years = read.path("plannedBudgetByYear").findValuesAsText("year");

        open("?view=activity&id=ANAPEC:WLT-TTA-2024&lang=ar");

        assertThat(years).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("ul.by-year li")).stream()
                .map(item -> item.getAttribute("data-year")).toList()).isEqualTo(years);
        assertThat(browser.findElement(By.id("page")).getText()).contains("الميزانية المتوقعة حسب السنة");
    }

    @Test
    void anEventIsVerifiedInTheBrowserAndATamperedProofFails() {
        open("?view=activity&id=ANAPEC:WLT-TTA-2024&lang=fr");
        List<WebElement> buttons = browser.findElements(By.cssSelector("button.verify"));
        assertThat(buttons).hasSizeGreaterThanOrEqualTo(3); // proposed, committed, started

        buttons.get(0).click();
        WebElement result = browser.findElements(By.cssSelector(".verification")).get(0);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(page -> result.getAttribute("data-result") != null
                && !"running".equals(result.getAttribute("data-result")));
        assertThat(result.getAttribute("data-result")).as(result.getText()).isEqualTo("verified");
        assertThat(result.getText()).contains("Vérifié dans ce navigateur").contains("Ed25519");

        // The same check on a proof with one hash of its audit path changed.
        Object outcome = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  const timeline = await (await fetch('/api/activities/ANAPEC:WLT-TTA-2024/events')).json();
                  const event = timeline.events[0];
                  const head = await (await fetch('/api/ledger/checkpoints/latest')).json();
                  const proof = await (await fetch('/api/ledger/proofs/inclusion?eventId=' + event.eventId
                      + '&treeSize=' + head.treeSize)).json();
                  const first = proof.auditPath[0];
                  proof.auditPath[0] = (first[0] === '0' ? '1' : '0') + first.substring(1);
                  const out = document.createElement('div');
                  document.body.append(out);
                  await window.LEDGER_VERIFY(event, out, proof);
                  done(out.dataset.result + '|' + out.textContent);
                })().catch(failure => done('error|' + failure));
                """);
        assertThat(String.valueOf(outcome)).startsWith("failed|").contains("✗ le chemin d'audit");
    }

    @Test
    void anAuditorSeesTheSendersIdempotencyKeysAndLeavesAgain() {
        open("?view=activity&id=ANAPEC:WLT-TTA-2024&lang=en");
        By keyColumn = By.xpath("//table[contains(@class,'timeline')]//th[text()='Idempotency key']");
        assertThat(browser.findElements(keyColumn)).isEmpty();

        browser.findElement(By.cssSelector("input[name=auditorKey]")).sendKeys(system.key("AUDITOR"));
        browser.findElement(By.cssSelector("form.auditor button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(page -> !page.findElements(keyColumn).isEmpty());
        assertThat(browser.findElement(By.id("page")).getText()).contains("Auditor's view");

        browser.findElement(By.cssSelector("p.auditor button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(page -> page.findElements(keyColumn).isEmpty());
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('auditorKey');"))
                .isNull();
    }

    @Test
    void theLedgerPageShowsTheSignedHeadAndFactsArrivingLive() {
        open("?view=ledger&lang=en");
        assertThat(browser.findElement(By.id("page")).getText()).contains("Latest signed tree head").contains("Root");

        String id = Ledger.newActivityId("OFPPT", "ARRIVING");
        assertThat(Ledger.propose(system, id, "OFPPT").status()).isEqualTo(201);
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(page ->
                page.findElement(By.id("arrivals")).getText().contains(id));
    }

    @Test
    void anOpenPageChangesWithoutReloadWhenAnEventIsCommitted() {
        open("?view=overview&lang=fr");
        long before = asOfSequence();
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");

        String id = Ledger.newActivityId("ANAPEC", "DASHBOARD");
        assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
        long proposedAt = System.nanoTime();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(page -> asOfSequence() > before);
        long shownAfterMs = (System.nanoTime() - proposedAt) / 1_000_000;

        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;")).isEqualTo(true);
        System.out.printf("[dashboard] the open overview showed a committed proposal %d ms after the command was "
                + "acknowledged, without reload%n", shownAfterMs);
    }

    @Test
    void aPageRefusedByAFullStreamTriesAgainAndGoesLive() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        List<java.net.http.HttpResponse<java.io.InputStream>> readers = new java.util.ArrayList<>();
        try {
            // Every place of the stream taken (a refused request is a 429 and takes none). Readers that earlier tests
            // left (a closed page, a closed stream) still hold places until the next keep-alive (every 5 s) finds
            // them gone: fill, wait past a keep-alive, and fill the places it freed, so the page finds none.
            for (int round = 0; round < 2; round++) {
                if (round == 1) {
                    Thread.sleep(6_000);
                }
                for (int i = 0; i < LedgerSystem.STREAM_READERS + 5; i++) {
                    var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            system.queryUrl() + "/api/convergence/stream")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() == 200) {
                        readers.add(response);
                    } else {
                        response.body().close();
                    }
                }
            }
            open("?view=overview&lang=en");
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(page -> "lost".equals(streamState()));
            ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        } finally {
            for (var reader : readers) {
                reader.body().close();
            }
        }
        // Places freed by the keep-alive, the page's next try opens a stream, without a reload.
        new WebDriverWait(browser, Duration.ofSeconds(40)).until(page -> "open".equals(streamState()));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;")).isEqualTo(true);
    }

    @Test
    void anOpenPageResumesALostStreamAndShowsWhatChangedWhileItWasAway() throws Exception {
        try (CuttableLink link = new CuttableLink(java.net.URI.create(system.queryUrl()).getPort())) {
            browser.get("http://localhost:" + link.port() + "/?view=overview&lang=en");
            awaitPage();
            // Pages opened by the tests before may still hold the stream's places for a few seconds (freed by the
            // keep-alive); a refused page tries again 10 s later.
            new WebDriverWait(browser, Duration.ofSeconds(40)).until(page -> "open".equals(streamState()));
            long before = asOfSequence();
            ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");

            link.cut();
            String id = Ledger.newActivityId("ANAPEC", "WHILE-CUT");
            assertThat(Ledger.propose(system, id, "ANAPEC").status()).isEqualTo(201);
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(page -> "lost".equals(streamState()));
            assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).contains("offline");

            // The browser reconnects by itself (with the last id it saw) and is sent the change it missed.
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(page -> asOfSequence() > before
                    && "open".equals(streamState()));
            assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"))
                    .isEqualTo(true);
            assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).doesNotContain("offline");
        }
    }

    @Test
    void aTableDownloadsAsTheCsvOfWhatItShowsWithNoFormulaInIt() throws Exception {
        String id = Ledger.newActivityId("CNOPS", "CSV");
        java.util.Map<String, Object> body = new java.util.HashMap<>(Ledger.proposal(id, "CNOPS"));
        body.put("title", "=HYPERLINK(\"http://example.org\",\"win\")");
        assertThat(Ledger.post(system, system.commandUrl() + "/api/activities", body).status()).isEqualTo(201);
        Ledger.awaitSettled(system, id);
        open("?view=agency&code=CNOPS&lang=en");
        WebElement first = browser.findElement(By.cssSelector("section.table"));
        int shownRows = first.findElements(By.cssSelector("tbody tr")).size();
        try (var old = Files.list(DOWNLOADS)) {
            old.forEach(file -> file.toFile().delete());
        }

        first.findElement(By.cssSelector("button.csv")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(page -> csvFiles().size() == 1);
        List<String> lines = Files.readAllLines(csvFiles().get(0), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(lines.get(0)).startsWith("\ufeffActivities,Lead agency,State,Period,Planned");
        assertThat(lines).hasSize(1 + shownRows);
        String planted = lines.stream().filter(line -> line.contains(id)).findFirst().orElseThrow();
        assertThat(planted).as("a cell starting with = is written as text").startsWith("\"'=HYPERLINK(");
    }

    private static List<Path> csvFiles() {
        try (var files = Files.list(DOWNLOADS)) {
            return files.filter(file -> file.toString().endsWith(".csv")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void thePrintedOverviewIsAHandoutThatSaysWhatItIsFilteredOn() throws Exception {
        open("?view=matrix&lang=fr&axis=CHILD_LABOUR&from=2024-01-01");
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        try {
            assertThat(browser.findElement(By.tagName("nav")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("filter-box")).isDisplayed()).isFalse();
            assertThat(browser.findElements(By.cssSelector("button.csv")).stream().anyMatch(WebElement::isDisplayed))
                    .isFalse();
            WebElement applied = browser.findElement(By.id("applied"));
            assertThat(applied.isDisplayed()).isTrue();
            assertThat(applied.getText()).contains("Filtres").contains("Élimination du travail des enfants")
                    .contains("2024");
            assertThat(browser.findElement(By.cssSelector("table.matrix")).isDisplayed()).isTrue();
            String pdf = browser.print(new org.openqa.selenium.print.PrintOptions()).getContent();
            byte[] bytes = java.util.Base64.getDecoder().decode(pdf);
            assertThat(new String(bytes, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
            Files.write(SHOTS.resolve("matrix-fr-print.pdf"), bytes);
        } finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
        }
    }

    private static String streamState() {
        return browser.findElement(By.tagName("body")).getAttribute("data-stream");
    }

    private static long asOfSequence() {
        String value = browser.findElement(By.id("page")).getAttribute("data-as-of-sequence");
        return value == null ? -1 : Long.parseLong(value);
    }

    private static void open(String query) {
        browser.get(system.queryUrl() + "/" + query);
        awaitPage();
    }

    /** Until the page has read what it shows (main is no longer busy and holds its title, or an error). */
    private static void awaitPage() {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(page -> {
            WebElement main = page.findElement(By.id("page"));
            return main.getAttribute("aria-busy") == null
                    && !main.findElements(By.cssSelector(".page-title, .error")).isEmpty();
        });
    }
}
