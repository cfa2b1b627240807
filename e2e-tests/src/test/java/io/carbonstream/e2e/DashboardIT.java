package io.carbonstream.e2e;

import io.carbonstream.events.EventJson;
import io.carbonstream.events.FootprintEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them), against
 * the running stack: a built-in training run's page gains chart points as its batches are counted, over the
 * authenticated SSE stream, and the totals it shows equal the REST footprint to the last digit. Screenshots go to
 * target/dashboard-*.png for a person to look at.
 */
@Order(7)
class DashboardIT {

    static WebDriver browser;
    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("carbonstream.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1800", "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("carbonstream.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    static void screenshot(String name) throws Exception {
        Path target = Path.of("target", "dashboard-" + name + ".png");
        Files.createDirectories(target.getParent());
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Await.sleep(200);
        }
    }

    static int points(String chart) {
        String n = browser.findElement(By.id(chart)).getDomAttribute("data-points");
        return n == null ? 0 : Integer.parseInt(n);
    }

    static String exact(String id) {
        return browser.findElement(By.id(id)).getDomAttribute("data-exact");
    }

    @Test
    void aJobsPageChartsGrowAsBatchesAreCountedAndItsTotalsEqualTheRestFootprint() throws Exception {
        String token = stack.token("team-dash", "trainer", "viewer");
        String job = given().auth().oauth2(token).baseUri(stack.trainer()).contentType("application/json")
                .body("{\"name\":\"dashboard run\",\"steps\":300,\"batchSize\":64,\"datacenter\":\"on-prem-de\"}")
                .post("/trainer/runs").then().statusCode(202).extract().path("jobId");

        // the token travels in the fragment, which the browser never sends; the page keeps it for the tab
        browser.get(stack.carbon() + "/job.html?id=" + job + "#token=" + token);
        assertEquals(-1, browser.getCurrentUrl().indexOf("token="), "the token is removed from the address bar");
        await("the live stream", Duration.ofSeconds(60), () -> "live".equals(
                browser.findElement(By.id("status")).getDomAttribute("data-state")));
        int early = await("a first point", Duration.ofSeconds(90), () -> points("chart-co2") > 0 ? points("chart-co2") : null);
        int later = await("more points as batches are counted", Duration.ofSeconds(120),
                () -> points("chart-co2") > early ? points("chart-co2") : null);
        assertTrue(later > early);
        screenshot("job-running");

        await("the run to finish", Duration.ofSeconds(180), () -> "FINISHED".equals(given().auth().oauth2(token)
                .baseUri(stack.trainer()).get("/trainer/runs/" + job).path("state")));
        FootprintEvent rest = Await.footprint(job, 300);
        await("the page to show every batch", Duration.ofSeconds(30), () -> String.valueOf(rest.batches()).equals(exact("batches")));
        FootprintEvent now = EventJson.decode(given().auth().oauth2(token).baseUri(stack.carbon()).get("/footprints/" + job)
                .then().statusCode(200).extract().asByteArray(), FootprintEvent.class);
        assertEquals(0, new BigDecimal(exact("total")).compareTo(now.operationalGCo2e().add(now.embodiedGCo2e())),
                "total CO2e shown " + exact("total") + " against REST " + now.operationalGCo2e() + " + " + now.embodiedGCo2e());
        assertEquals(0, new BigDecimal(exact("operational")).compareTo(now.operationalGCo2e()));
        assertEquals(0, new BigDecimal(exact("embodied")).compareTo(now.embodiedGCo2e()));
        assertEquals(0, new BigDecimal(exact("it-energy")).compareTo(now.itEnergyJoules().total()));
        assertEquals(0, new BigDecimal(exact("facility-kwh")).compareTo(now.facilityEnergyKWh()));
        assertTrue(points("chart-intensity") > 0, "the intensity applied is charted");
        // shown in human units, exact on hover, with the low and high ends and the data quality
        String unit = "^-?[0-9][0-9,]*(\\.[0-9]+)? (ng|µg|mg|g|kg|t)$";
        String shown = browser.findElement(By.id("total")).getText();
        assertTrue(shown.matches(unit), "total shown in a unit of its size: " + shown);
        assertTrue(browser.findElement(By.id("facility-kwh")).getText().matches("^[0-9][0-9,]*(\\.[0-9]+)? (mWh|Wh|kWh|MWh|GWh)$"),
                browser.findElement(By.id("facility-kwh")).getText());
        var range = browser.findElement(By.id("total-range"));
        BigDecimal low = new BigDecimal(range.getDomAttribute("data-low"));
        BigDecimal high = new BigDecimal(range.getDomAttribute("data-high"));
        BigDecimal restTotal = now.operationalGCo2e().add(now.embodiedGCo2e());
        assertEquals(0, low.compareTo(now.uncertainty().operationalGCo2e().low().add(now.uncertainty().embodiedGCo2e().low())));
        assertEquals(0, high.compareTo(now.uncertainty().operationalGCo2e().high().add(now.uncertainty().embodiedGCo2e().high())));
        assertTrue(low.compareTo(restTotal) <= 0 && restTotal.compareTo(high) <= 0, low + " <= " + restTotal + " <= " + high);
        assertTrue(Integer.parseInt(browser.findElement(By.id("chart-co2")).getDomAttribute("data-band")) > 0,
                "the cumulative chart draws the band between the ends");
        assertTrue(browser.findElement(By.id("quality")).getText().contains("STATIC"), "data quality: charged the static table");
        assertEquals(0, new BigDecimal(exact("market")).compareTo(now.scope2().marketBasedGCo2e()), "market-based Scope 2 shown");
        assertTrue(browser.findElement(By.id("market")).getText().matches(unit), browser.findElement(By.id("market")).getText());
        assertTrue(browser.findElement(By.id("sources")).getText().contains("STATIC_TABLE"), "with its source");
        screenshot("job-finished");

        // the jobs page lists it with the same total
        browser.get(stack.carbon() + "/?state=FINISHED");
        String row = "tr[data-job='" + job + "']";
        await("the job in the list", Duration.ofSeconds(20), () -> !browser.findElements(By.cssSelector(row)).isEmpty());
        var listed = browser.findElement(By.cssSelector(row + " td:nth-child(7)"));
        assertEquals(0, new BigDecimal(listed.getDomAttribute("data-exact")).compareTo(now.operationalGCo2e().add(now.embodiedGCo2e())));
        assertTrue(listed.getText().matches(unit), "listed in a unit of its size: " + listed.getText());
        var listedRange = browser.findElement(By.cssSelector(row + " td:nth-child(8)"));
        assertEquals(0, new BigDecimal(listedRange.getDomAttribute("data-low")).compareTo(low));
        assertEquals(0, new BigDecimal(listedRange.getDomAttribute("data-high")).compareTo(high));
        screenshot("jobs");

        // the grid page draws DE's history (the static table: no observation) and answers the best window by keyboard
        browser.get(stack.carbon() + "/grid.html");
        await("the grid status", Duration.ofSeconds(20), () -> browser.findElement(By.id("status")).getText().contains("DE"));
        screenshot("grid");
    }

    @Test
    void withoutATokenThePagesSayWhatIsMissingAndTheStreamIsRefused() {
        browser.get(stack.carbon() + "/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.get(stack.carbon() + "/");
        await("the message", Duration.ofSeconds(20), () -> browser.findElement(By.id("status")).getText().contains("bearer token"));
        browser.get(stack.carbon() + "/job.html?id=nobody");
        await("the refusal", Duration.ofSeconds(20), () -> "error".equals(
                browser.findElement(By.id("status")).getDomAttribute("data-state")));
        assertTrue(browser.findElement(By.id("status")).getText().contains("401"));
    }
}
