package dev.connectorruntime.host;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The designer page in Debian's headless Chromium, driven through the system chromedriver (no
 * Selenium Manager, no download). One instance per test class; {@link #close()} ends the browser,
 * the driver process and the throw-away profile.
 */
final class DesignerPage implements AutoCloseable {
    static final String CHROMIUM = System.getProperty("chrome.binary", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("chromedriver.path", "/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(15);

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final String base;
    private int loads;

    DesignerPage(String base) {
        for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException(binary + " not found: the browser tests need Debian's Chromium "
                        + "(apt-get install -y chromium chromium-driver; .ci/run installs them)");
            }
        }
        this.base = base;
        try {
            this.profile = Files.createTempDirectory("designer-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--disable-default-apps", "--lang=zh-CN", "--window-size=1400,1100",
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        this.service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    // --- navigation and waiting

    /** Loads the page afresh and waits until the palette is built. */
    void open() {
        if (loads > 0) {
            js("sessionStorage.clear()"); // each test starts with the default connection and no recent runs
        }
        driver.get(base + "/?load=" + (++loads));
        waitFor("the page to load", () -> "ready".equals(js("return document.body.dataset.state")));
    }

    /** Clicks the action's palette entry and waits until its form is rendered. */
    void choose(String actionId) {
        WebElement pick = driver.findElement(By.cssSelector("#palette .action[data-action='" + actionId + "'] .pick"));
        js("arguments[0].scrollIntoView({block: 'center'})", pick);
        pick.click();
        waitForForm(actionId);
    }

    void waitForForm(String actionId) {
        waitFor(actionId + "'s form", () -> {
            Object state = js("const f = document.getElementById('form'); return f.dataset.action + ':' + f.dataset.state");
            if (String.valueOf(state).endsWith(":error")) {
                throw new AssertionError("the form of " + actionId + " failed: " + js("return document.getElementById('page-status').textContent"));
            }
            return (actionId + ":ready").equals(state);
        });
    }

    void waitFor(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, WAIT, Duration.ofMillis(20)).withMessage("waiting for " + what).until(d -> condition.getAsBoolean());
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    // --- the form

    /** The json-editor container of a field ("root.textcard.url"). */
    WebElement field(String path) {
        return driver.findElement(By.cssSelector("#form [data-schemapath='" + path + "']"));
    }

    /** Types into a text field, adding it from its object's "add field" list first when it is not shown. */
    void type(String path, String text) {
        addField(path);
        WebElement input = driver.findElement(By.name(formName(path)));
        input.clear();
        input.sendKeys(text, Keys.TAB); // json-editor takes the value on change (blur)
    }

    void select(String path, String value) {
        addField(path);
        new Select(driver.findElement(By.name(formName(path)))).selectByValue(value);
    }

    /**
     * Adds an optional field the way a person does: the object's "add field" button, then the field's
     * box in its list (then closes the list). Nothing when the field is shown already.
     */
    void addField(String path) {
        int dot = path.lastIndexOf('.');
        if (dot < 0 || isShown(path)) {
            return;
        }
        String parent = path.substring(0, dot);
        String key = path.substring(dot + 1);
        addField(parent);
        WebElement button = (WebElement) js("return designer.editor().getEditor(arguments[0]).addproperty_button", parent);
        js("arguments[0].scrollIntoView({block: 'center'})", button);
        button.click();
        WebElement box = (WebElement) js("return designer.editor().getEditor(arguments[0]).addproperty_checkboxes[arguments[1]]", parent, key);
        waitFor("the add-field list of " + parent, box::isDisplayed);
        box.click();
        button.click();
        waitFor(path + " to be shown", () -> isShown(path));
    }

    boolean isShown(String path) {
        return Boolean.TRUE.equals(js("""
                const e = document.querySelector('#form [data-schemapath="' + arguments[0] + '"]');
                return !!e && e.offsetParent !== null;""", path));
    }

    /** json-editor's form name of a field: root.textcard.url -> root[textcard][url] (its input's name). */
    static String formName(String path) {
        String[] parts = path.split("\\.");
        StringBuilder name = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            name.append('[').append(parts[i]).append(']');
        }
        return name.toString();
    }

    /** The value the page would send, as JSON text (the editor's value). */
    String value() {
        return String.valueOf(js("return JSON.stringify(designer.value())"));
    }

    /** The page's own collection of uncaught errors (window.onerror, unhandled rejections). */
    @SuppressWarnings("unchecked")
    List<String> pageErrors() {
        return (List<String>) js("return window.__designerErrors.slice()");
    }

    /** SEVERE entries of the browser console since the last call. */
    List<String> severeConsoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    // --- execute

    void clickExecute() {
        WebElement execute = driver.findElement(By.id("execute"));
        js("arguments[0].scrollIntoView({block: 'center'})", execute);
        execute.click();
        waitFor("the result", () -> {
            Object result = js("return document.body.dataset.result");
            return result != null && !String.valueOf(result).isEmpty();
        });
    }

    String result() {
        return String.valueOf(js("return document.body.dataset.result"));
    }

    String output() {
        return driver.findElement(By.id("output")).getAttribute("textContent");
    }

    String errorBox() {
        return driver.findElement(By.id("error")).getText();
    }

    /** Sets the viewport to this size (a phone: 390 x 844), through the DevTools protocol. */
    void resize(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Back to the window's own viewport. */
    void resetSize() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
    }

    /** Resizes the window to the whole page and writes a PNG. */
    void screenshot(Path file) throws IOException {
        int height = Math.min(4000, ((Number) js("return document.querySelector('main').scrollHeight + document.querySelector('.topbar').offsetHeight + 24")).intValue());
        driver.manage().window().setSize(new Dimension(1400, height));
        int viewport = ((Number) js("return window.innerHeight")).intValue();
        driver.manage().window().setSize(new Dimension(1400, height + (height - viewport))); // the window's frame
        js("window.scrollTo(0, 0)");
        byte[] png = driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, png);
        driver.manage().window().setSize(new Dimension(1400, 1100));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp profile left behind is harmless
        }
    }
}
