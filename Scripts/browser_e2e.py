#!/usr/bin/env python3
"""Real-browser end-to-end test of `ballast serve`: Debian's chromium (headless) driven through
chromium-driver with Selenium: sign-up → log out → log in → form prediction → CSV upload → CSV
download, with a screenshot after each step in Scripts/.e2e-screenshots/ (gitignored).

    python3 Scripts/browser_e2e.py [--binary .build/release/ballast] [--port 8199]

Starts the server itself on a fresh data directory (the demo model is trained at first start), and
exits 0 when every step showed what it should; exits 77 with a printed reason when chromium,
chromium-driver or Selenium is missing (CI treats that as skipped).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHOTS = os.path.join(HERE, ".e2e-screenshots")


def skip(reason):
    print(f"browser e2e: skipped: {reason}")
    sys.exit(77)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "ballast"))
    parser.add_argument("--port", type=int, default=8199)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    if not chromium or not driver:
        skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select
    except ImportError:
        skip("Selenium is not installed (pip install selenium)")
    if not os.path.exists(args.binary):
        print(f"browser e2e: {args.binary} does not exist; build it first (swift build -c release)")
        sys.exit(1)

    data = tempfile.mkdtemp(prefix="ballast-e2e-")
    downloads = os.path.join(data, "downloads")
    os.makedirs(downloads)
    os.makedirs(SHOTS, exist_ok=True)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen([args.binary, "serve", "--port", str(args.port), "--data-dir", os.path.join(data, "srv")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    browser = None
    step = [0]
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("browser e2e: the server exited: " + server.stderr.read().decode(errors="replace"))
                time.sleep(0.5)
        else:
            raise SystemExit("browser e2e: the server did not answer /healthz within 5 minutes")

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
            options.add_argument(flag)
        options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
        browser = webdriver.Chrome(service=Service(driver), options=options)

        def shot(name):
            step[0] += 1
            path = os.path.join(SHOTS, f"{step[0]:02d}-{name}.png")
            browser.save_screenshot(path)
            print(f"  screenshot {os.path.relpath(path, ROOT)}")

        def expect(condition, what):
            if not condition:
                shot("failure")
                raise SystemExit(f"browser e2e: FAILED: {what} (page {browser.current_url})")
            print(f"ok   {what}")

        def shows(*texts, seconds=20):
            """Whether the page shows every one of `texts` within `seconds`: a click starts the next
            page's load, and reading page_source at once can still see the previous page."""
            deadline = time.time() + seconds
            while time.time() < deadline:
                source = browser.page_source
                if all(t in source for t in texts):
                    return True
                time.sleep(0.2)
            return False

        def lands_on(suffix, seconds=20):
            """Whether the browser reaches a URL ending in `suffix` within `seconds` (a click only
            starts the navigation; reading current_url at once can still see the previous page)."""
            deadline = time.time() + seconds
            while time.time() < deadline:
                if browser.current_url.endswith(suffix):
                    return True
                time.sleep(0.1)
            return False

        def submit_account(name, password):
            browser.find_element(By.NAME, "name").clear()
            browser.find_element(By.NAME, "name").send_keys(name)
            browser.find_element(By.NAME, "password").send_keys(password)
            browser.find_element(By.CSS_SELECTOR, "button.primary").click()

        browser.get(base + "/signup")
        shot("signup")
        submit_account("analyst", "e2e password 1")
        expect(shows("Active model") and lands_on("/dashboard"), "sign-up lands on the dashboard")
        shot("dashboard")
        browser.find_element(By.XPATH, "//button[text()='Log out']").click()
        expect(lands_on("/login"), "log out returns to the login page")
        submit_account("analyst", "wrong password")
        expect(shows("Wrong user name or password"), "a wrong password is refused")
        submit_account("analyst", "e2e password 1")
        expect(lands_on("/dashboard"), "log in")

        browser.get(base + "/predict")
        selects = browser.find_elements(By.TAG_NAME, "select")
        expect(len(selects) >= 1, "the form has drop-downs for categorical fields")
        Select(selects[0]).select_by_index(len(Select(selects[0]).options) - 1)
        numeric = browser.find_elements(By.CSS_SELECTOR, "input[inputmode=decimal]")
        numeric[0].clear()
        numeric[0].send_keys("not a number")
        shot("form-filled")
        browser.find_element(By.CSS_SELECTOR, "button.primary").click()
        expect(shows("is not a number"), "the server names the invalid field")
        shot("form-error")
        numeric = browser.find_elements(By.CSS_SELECTOR, "input[inputmode=decimal]")
        numeric[0].clear()
        numeric[0].send_keys("0")
        browser.find_element(By.CSS_SELECTOR, "button.primary").click()
        expect(shows("Prediction:", "<svg"), "the result page shows the class and a bar chart")
        shot("result")

        # A CSV with the model's columns, built from the form itself: defaults, categories cycled.
        browser.get(base + "/predict")
        columns = []
        for element in browser.find_elements(By.CSS_SELECTOR, "select, input[inputmode=decimal]"):
            name = element.get_attribute("name")
            if element.tag_name == "select":
                columns.append((name, [o.get_attribute("value") for o in Select(element).options]))
            else:
                columns.append((name, [element.get_attribute("value")]))
        csv_path = os.path.join(data, "flows.csv")
        with open(csv_path, "w") as f:
            f.write(",".join(name for name, _ in columns) + "\n")
            for r in range(60):
                f.write(",".join(values[r % len(values)] for _, values in columns) + "\n")
        browser.get(base + "/batch")
        browser.find_element(By.NAME, "file").send_keys(csv_path)
        shot("batch-form")
        browser.find_element(By.CSS_SELECTOR, "button.primary").click()
        expect(shows("records", "Download predictions"), "batch upload shows counts per class")
        shot("batch-result")
        browser.find_element(By.PARTIAL_LINK_TEXT, "Download predictions").click()
        for _ in range(40):
            files = [f for f in os.listdir(downloads) if f.endswith(".csv")]
            if files:
                break
            time.sleep(0.25)
        expect(files, "the predictions CSV downloads")
        with open(os.path.join(downloads, files[0])) as f:
            header = f.readline()
        expect(header.startswith("predicted,p_"), "the downloaded CSV has the predicted class and probabilities")
        browser.get(base + "/history")
        expect(shows("batch: flows.csv", "form"), "history lists both predictions")
        shot("history")
        print("browser e2e: passed")
    finally:
        if browser is not None:
            browser.quit()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
