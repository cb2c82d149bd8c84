"""Take the README's screenshot of the session entry page on a phone (390 × 844 px).

Runs the demo on a throwaway SQLite file (migrate, demo data, the development server on a free
port of 127.0.0.1), signs in as the demo youth worker with Debian's Chromium through Playwright,
taps in a few visitors and writes docs/img/session-entry-phone.png. Run from the repository:

    .venv/bin/python scripts/screenshot_session_entry.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 (the one list of flags)

OUTPUT = ROOT / "docs" / "img" / "session-entry-phone.png"
WORKER = "anna@example.org"
PASSWORD = "impactlog-demo"  # the demo's, see impactlog/structure/demo_world.py


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _wait(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the demo server did not start")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (our own server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the demo server did not answer in time")


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder}/demo.sqlite3")
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "demo")
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait(f"{base}/healthz", server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--lang=en-GB"]
                )
                page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
                page.goto(f"{base}/accounts/login/")
                page.fill("#id_username", WORKER)
                page.fill("#id_password", PASSWORD)
                page.click("button.primary")
                page.wait_for_load_state()
                page.goto(page.url.rstrip("/") + "/log/")
                page.wait_for_selector(".save-bar")
                visible = page.locator(".count-grid tbody tr:visible button.tap")
                for index, taps in ((0, 3), (1, 2), (4, 1)):
                    if index < visible.count():
                        for _ in range(taps):
                            visible.nth(index).click()
                page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
                OUTPUT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(OUTPUT))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=15)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
