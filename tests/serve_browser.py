#!/usr/bin/python3
"""The page of tandem serve in a real browser (headless Chromium through
Selenium and chromedriver; Debian's chromium, chromium-driver and
python3-selenium, run with /usr/bin/python3).

  serve_browser.py TANDEM_BINARY

Types a German sentence and sees the English match with its differences
marked, switches to the concordance (keyword in context, the phrase marked in
the German and its translation in the English) and to the term view, and
copies a target with the keyboard. Exits 77 (skipped) when the browser or
Selenium is missing.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import StaleElementReferenceException
except ImportError:
    print("serve_browser: python3-selenium missing: skipped")
    sys.exit(77)

TANDEM = sys.argv[1]
CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
if not (os.access(CHROMIUM, os.X_OK) and os.access(DRIVER, os.X_OK)):
    print("serve_browser: chromium or chromedriver missing: skipped")
    sys.exit(77)

UNITS = [
    ("Der Hund schläft im Garten hinter dem Haus.", "The dog is sleeping in the garden behind the house."),
    ("Die Bundesregierung hat das Gesetz heute beschlossen.", "The federal government passed the law today."),
    ("Die Bundesregierung plant neue Steuern für Großunternehmen.", "The federal government plans new taxes for large companies."),
    ("Die Bundesregierung lehnt den Vorschlag der Opposition ab.", "The federal government rejects the opposition's proposal."),
    ("„Wir müssen handeln“, sagte die Ministerin in München.", "\"We must act,\" the minister said in Munich."),
    ("Die Donaudampfschifffahrtsgesellschaft meldet Rekordzahlen.", "The Danube steamship company reports record figures."),
]


def main():
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)
            print("FAIL:", what, flush=True)

    with tempfile.TemporaryDirectory(prefix="tandem-browser-test-") as d:
        tm = os.path.join(d, "tm.db")
        with open(os.path.join(d, "u.tsv"), "w") as f:
            f.writelines("%s\t%s\n" % u for u in UNITS)
        subprocess.run([TANDEM, "import", "--tm", tm, "-s", "de", "-t", "en", os.path.join(d, "u.tsv")],
                       check=True, capture_output=True, timeout=60)
        portfile = os.path.join(d, "port")
        srv = subprocess.Popen([TANDEM, "serve", "--tm", tm, "--port", "0", "--port-file", portfile,
                                "--no-lexicon", "--quiet"])
        driver = None
        try:
            for _ in range(200):
                if os.path.exists(portfile) or srv.poll() is not None:
                    break
                time.sleep(0.05)
            url = "http://127.0.0.1:%d/" % int(open(portfile).read())
            opts = webdriver.ChromeOptions()
            opts.binary_location = CHROMIUM
            for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update", "--disable-sync",
                      "--disable-dev-shm-usage", "--user-data-dir=" + os.path.join(d, "chrome")):
                opts.add_argument(a)
            driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
            driver.set_page_load_timeout(30)
            driver.execute_cdp_cmd("Browser.grantPermissions", {
                "origin": url.rstrip("/"), "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
            # The page replaces its result list on every answer, so an element
            # found a moment ago may be gone: a condition that meets a stale
            # element is tried again rather than failing the run.
            wait = WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,))

            def match_with(text):
                return wait.until(lambda dr: [m for m in dr.find_elements(By.CSS_SELECTOR, ".match")
                                              if text in m.text])[0]
            driver.get(url)
            wait.until(lambda dr: dr.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
            q = driver.find_element(By.ID, "q")
            check(driver.switch_to.active_element == q, "the search box has the focus")

            # Matches: the German sentence, the English match, the differences marked.
            q.send_keys("Der Hund schläft im Garten hinter der Scheune.", Keys.ENTER)
            match = match_with("The dog is sleeping")
            check("The dog is sleeping in the garden behind the house." in match.text, "the English match: %r" % match.text)
            dels = [e.text for e in match.find_elements(By.TAG_NAME, "del")]
            ins = [e.text for e in match.find_elements(By.TAG_NAME, "ins")]
            check(any("Haus" in t for t in dels) and any("Scheune" in t for t in ins),
                  "the difference marked: del %s, ins %s" % (dels, ins))
            check("%" in match.find_element(By.CSS_SELECTOR, ".pct").text, "a percentage")

            # Copy the target from the keyboard: Tab to its button, Enter.
            button = match.find_element(By.CSS_SELECTOR, "button.copy")
            driver.execute_script("arguments[0].focus()", button)
            driver.switch_to.active_element.send_keys(Keys.ENTER)
            want = "The dog is sleeping in the garden behind the house."
            wait.until(lambda dr: dr.find_element(By.TAG_NAME, "body").get_attribute("data-copied"))
            check(driver.find_element(By.TAG_NAME, "body").get_attribute("data-copied") == want, "copied the target")
            got = driver.execute_async_script(
                "var done = arguments[0]; navigator.clipboard.readText().then(done, function (e) { done('ERR ' + e); });")
            check(got == want, "the clipboard holds the target: %r" % got)

            # Concordance (Alt+2): the phrase in context, its translation marked in the English.
            q.clear()
            q.send_keys("Bundesregierung")
            q.send_keys(Keys.ALT, "2")
            rows = wait.until(lambda dr: dr.find_elements(By.CSS_SELECTOR, "table.kwic tr.hit"))
            check(len(rows) == 3, "three concordance lines: %d" % len(rows))
            kws = [r.find_element(By.CSS_SELECTOR, "td.kw mark").text for r in rows]
            check(kws == ["Bundesregierung"] * 3, "the keyword in context: %s" % kws)
            tmarks = [m.text.lower() for r in rows for m in r.find_elements(By.CSS_SELECTOR, "td.t mark")]
            check(tmarks and all("federal government" in t or "government" in t for t in tmarks) and len(tmarks) >= 3,
                  "the translation marked in the English: %s" % tmarks)
            check(driver.find_element(By.ID, "tab-concord").get_attribute("aria-selected") == "true", "the tab is selected")

            # Terms (a click on the tab).
            driver.find_element(By.ID, "tab-terms").click()
            terms = wait.until(lambda dr: dr.find_elements(By.CSS_SELECTOR, ".item.term"))
            check("federal government" in terms[0].find_element(By.CSS_SELECTOR, ".tt").text,
                  "the term's translation: %r" % terms[0].text)
            check(terms[0].find_elements(By.CSS_SELECTOR, "mark"), "the term's examples marked")

            # Umlauts, quotes and a long compound come back intact.
            q.clear()
            q.send_keys("„Wir müssen handeln“, sagte die Ministerin in München.")
            q.send_keys(Keys.ALT, "1")
            match = match_with("Wir müssen handeln")
            check("100.0 %" in match.text and "„Wir müssen handeln“" in match.text, "quotes and umlauts: %r" % match.text)
            q.clear()
            q.send_keys("Die Donaudampfschifffahrtsgesellschaft meldet Rekordzahlen.", Keys.ENTER)
            match = match_with("Danube")
            check("Danube" in match.text, "a long compound")
        finally:
            if driver:
                driver.quit()
            srv.send_signal(signal.SIGTERM)
            try:
                srv.wait(timeout=20)
            except subprocess.TimeoutExpired:
                srv.kill()
            shutil.rmtree(os.path.join(d, "chrome"), ignore_errors=True)
    print("serve_browser: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
