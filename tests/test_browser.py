"""Run the latent space explorer in JupyterLab in a real Chromium and move a slider with the keyboard.

The test starts its own JupyterLab server on 127.0.0.1 with a random token
and every Jupyter setting folder in a temporary directory. It opens a copy of
the notebook there, so autosave cannot touch the committed one, and runs all
cells from the Run menu. Then it focuses the first latent slider, presses
arrow keys and checks that the digit image's `src` changes, because
ipywidgets serves each new PNG under a new blob URL.

It needs Debian's `chromium` and the `playwright` package. Without them the
test is skipped locally but fails when the CI environment variable is set,
so CI cannot pass without running it.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "05_latent_space_explorer.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Budgets in milliseconds. Quick mode runs the notebook in well under a minute
# on two idle cores; the budgets leave room for a busy CI machine.
SERVER_START_TIMEOUT = 60_000
RUN_ALL_TIMEOUT = 150_000
SLIDER_UPDATE_TIMEOUT = 15_000


def missing_requirement() -> str | None:
    """Return why the browser test cannot run here, or None when it can."""
    if not os.path.exists(CHROMIUM):
        return "Chromium not found: install Debian's chromium package (apt-get install chromium)."
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "The playwright package is not installed: pip install -r requirements.txt."
    return None


@pytest.fixture(scope="module")
def requirements():
    reason = missing_requirement()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"The browser test must run in CI, but cannot: {reason}")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_lab_settings(settings_dir: Path) -> None:
    """Turn off JupyterLab's news feed, update check and extension manager for the test user."""
    settings = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
    }
    for relative, values in settings.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


class JupyterLab:
    """A JupyterLab server on 127.0.0.1 with isolated settings, stopped on exit."""

    def __init__(self, home: Path):
        self.home = home
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "jupyter.log"
        self.process = None

    def __enter__(self):
        environment = dict(os.environ)
        for name, folder in {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
        }.items():
            (self.home / folder).mkdir()
            environment[name] = str(self.home / folder)
        write_lab_settings(self.home / "lab-settings")
        environment["GAN_WORKSHOP_QUICK"] = "1"
        # The kernel imports gan_helpers from this checkout, installed or not.
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
        command = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.home / 'notebooks'}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]  # fmt: skip
        self.log = open(self.log_path, "w")
        # A new session lets __exit__ stop the server together with its kernels.
        self.process = subprocess.Popen(command, env=environment, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT / 1000
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise TimeoutError(f"JupyterLab did not answer within {SERVER_START_TIMEOUT / 1000:.0f} s:\n{self.log_path.read_text()[-3000:]}")

    def __exit__(self, *exc_info):
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                request = urllib.request.Request(f"{self.url}/api/shutdown?token={self.token}", method="POST")
                urllib.request.urlopen(request, timeout=5).close()
                self.process.wait(timeout=15)
            except (urllib.error.URLError, ConnectionError, TimeoutError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def kernel_is_idle(page) -> bool:
    return page.locator(".jp-Notebook-ExecutionIndicator, .jp-StatusBar-TextItem").filter(has_text="Idle").count() > 0


def run_all_cells(page) -> None:
    """Run every cell from the Run menu and wait until the last cell has finished."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    # A finished cell shows its execution count; a running or queued one shows [*].
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=RUN_ALL_TIMEOUT,
    )


def test_slider_moves_digit_in_browser(requirements, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    (tmp_path / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, tmp_path / "notebooks" / NOTEBOOK.name)
    with JupyterLab(tmp_path) as lab, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{lab.url}/lab/tree/{NOTEBOOK.name}?token={lab.token}")
            # The toolbar's busy indicator turns idle before the kernel has started; the status text does not.
            status = page.locator(".jp-StatusBar-TextItem").filter(has_text="Idle")
            expect(status.first).to_be_attached(timeout=SERVER_START_TIMEOUT)
            run_all_cells(page)

            digit = page.locator(".latent-explorer-digit img, img.latent-explorer-digit").first
            digit.wait_for(state="attached", timeout=SLIDER_UPDATE_TIMEOUT)
            digit.scroll_into_view_if_needed()
            before = digit.get_attribute("src")
            handle = page.locator(".latent-explorer-slider .noUi-handle").first
            handle.wait_for(state="attached", timeout=SLIDER_UPDATE_TIMEOUT)
            handle.scroll_into_view_if_needed()
            handle.focus()
            for _ in range(5):
                page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([element, old]) => element.getAttribute('src') !== old",
                arg=[digit.element_handle(), before],
                timeout=SLIDER_UPDATE_TIMEOUT,
            )
            assert digit.get_attribute("src") != before
            assert page.get_by_text("Error displaying widget").count() == 0
            assert page.get_by_text("Loading widget").count() == 0
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "browser-test-failure.png"), full_page=True)
            shutil.copy(lab.log_path, ARTIFACTS / "browser-test-jupyter.log")
            raise
        finally:
            browser.close()
