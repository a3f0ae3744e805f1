"""Screenshots of the running demo for the README (and a full tour for reviewing the UI).

    python -m tests.e2e.screenshots [BASE_URL]              # README images into docs/screenshots/
    python -m tests.e2e.screenshots [BASE_URL] --all DIR    # every page, desktop and phone, into DIR

BASE_URL defaults to http://127.0.0.1:8000 and must serve the demo world (``jianfu load_demo``).
Uses Debian's Chromium through Playwright; ``playwright install`` is never needed.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the browser tests import the constants below even where Playwright is missing
    from playwright.sync_api import Browser, Page

PROJECT_DIR = Path(__file__).resolve().parents[2]
OUT_DIR = PROJECT_DIR / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",  # Chinese file-picker and date-field labels where the chromium-l10n package is installed
]
PASSWORD = "Jianfu@2026"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
COUNTY = "428521000000"
TAOYUAN = "428521101201"
OTHER_TOWNSHIP_VILLAGE = "428521001002"  # 文昌社区, 城关街道: outside 桃园村's subtree


def launch(playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_page(browser: Browser, base_url: str, viewport: dict) -> Page:
    phone = viewport["width"] < 600
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport,
        device_scale_factor=1,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        is_mobile=phone,
        has_touch=phone,
    )
    return context.new_page()


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def bad_users_workbook() -> bytes:
    """A users sheet with typical mistakes, to show how a refused import reads."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["账号", "姓名", "手机号", "所属区划代码", "所属部门", "角色", "授权区划代码", "初始密码"])
    sheet.append(
        [
            "lw_cadre",
            "刘文（柳湾村）",
            "1380000",
            "428521101202",
            "",
            "村（社区）",
            "428521101202",
            "Liuwan@2026",
        ]
    )
    sheet.append(
        ["sq_cadre", "", "13800000021", "42852110120", "", "村（社区）", "428521101203", "Shiqiao@2026"]
    )
    sheet.append(
        ["xh_cadre", "何军（新河村）", "13800000022", "428521101204", "", "村长", "428521101204", "123456"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def show_import_errors(page: Page) -> None:
    page.goto("/orgs/import/")
    page.get_by_label("导入内容").select_option("users")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "用户-待导入.xlsx"
        path.write_bytes(bad_users_workbook())
        page.get_by_label("Excel 文件（.xlsx）").set_input_files(path)
        page.get_by_role("button", name="上传并导入").click()
    page.wait_for_load_state("networkidle")


def save(page: Page, path: Path, full_page: bool = False, max_height: int = 2000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    clip = None
    if full_page:
        height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
        clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height}
    page.screenshot(path=str(path), full_page=full_page, clip=clip, animations="disabled", caret="initial")
    size = path.stat().st_size // 1024
    print(f"{path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path}  {size} KB")


def readme_shots(browser: Browser, base_url: str) -> None:
    """Run against a freshly loaded demo so the audit log shows a short, readable history."""
    page = new_page(browser, base_url, DESKTOP)
    page.goto("/")
    save(page, OUT_DIR / "landing.png")
    login(page, "sysadmin")
    save(page, OUT_DIR / "home-admin.png")
    page.goto("/orgs/regions/")
    save(page, OUT_DIR / "regions.png")
    show_import_errors(page)
    save(page, OUT_DIR / "import-errors.png")
    page.context.close()

    page = new_page(browser, base_url, DESKTOP)
    login(page, "hk_town", "wrong-password")  # one failed sign-in, so the audit log has something to flag
    login(page, "hk_town")
    save(page, OUT_DIR / "home-township.png")
    page.context.close()

    page = new_page(browser, base_url, PHONE)
    login(page, "taoyuan")
    save(page, OUT_DIR / "home-village-phone.png", full_page=True)
    page.context.close()
    role_homes(browser, base_url)
    public_shots(browser, base_url)

    page = new_page(browser, base_url, DESKTOP)
    login(page, "jw_inspector")
    page.goto("/audit/")
    save(page, OUT_DIR / "audit.png")
    page.context.close()
    admission_shots(browser, base_url)


def admission_shots(browser: Browser, base_url: str) -> None:
    """The office's queue, an application at the member-unit meeting, and the village's check on a phone."""
    page = new_page(browser, base_url, DESKTOP)
    login(page, "mz_office")
    page.goto("/admission/")
    save(page, OUT_DIR / "admission-queue.png", full_page=True)
    page.goto("/admission/?status=meeting")
    page.locator("main table a").first.click()
    save(page, OUT_DIR / "admission-meeting.png", full_page=True)
    page.context.close()
    page = new_page(browser, base_url, PHONE)
    login(page, "taoyuan")
    page.goto("/admission/check/")
    page.get_by_label("交办的工作").fill("请各村协助开展农村户用光伏安装意向摸底调查，逐户登记屋顶面积")
    page.get_by_label("交办单位").fill("县发改局")
    page.locator("main").get_by_role("button", name="核验").click()
    page.wait_for_load_state("networkidle")
    save(page, OUT_DIR / "admission-check-phone.png", full_page=True)
    page.context.close()


ROLE_HOMES = ["sysadmin", "mz_office", "rs_clerk", "hk_town", "taoyuan", "jiefang", "monitor", "jw_inspector"]
# Each role's home, on a desktop and on a 390 px phone (docs/screenshots/homes/<role>-desktop.png, -phone.png).
HOME_ROLES = {
    "sysadmin": "admin",
    "mz_office": "committee-office",
    "rs_clerk": "department",
    "hk_town": "township",
    "taoyuan": "village",
    "jiefang": "community",
    "monitor": "monitor",
    "jw_inspector": "inspector",
    "grid_jf": "grid-worker",
}


def role_homes(browser: Browser, base_url: str) -> None:
    for username, role in HOME_ROLES.items():
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = new_page(browser, base_url, viewport)
            login(page, username)
            save(page, OUT_DIR / "homes" / f"{role}-{label}.png", full_page=True, max_height=3200)
            page.context.close()


def public_shots(browser: Browser, base_url: str) -> None:
    """The residents' front door and the public grid report on a phone."""
    page = new_page(browser, base_url, PHONE)
    for name, url in (("public-door-phone", "/public/"), ("public-grid-report-phone", "/public/grid/")):
        page.goto(url)
        save(page, OUT_DIR / f"{name}.png", full_page=True, max_height=3200)
    page.context.close()


def tour(browser: Browser, base_url: str, out: Path) -> None:
    """Every page the review covers, full length, at both sizes."""
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):

        def shot(page: Page, name: str, label: str = label) -> None:
            save(page, out / f"{label}-{name}.png", full_page=True)

        page = new_page(browser, base_url, viewport)
        page.goto("/")
        shot(page, "landing")
        page.goto("/accounts/login/")
        shot(page, "login")
        login(page, "sysadmin", "wrong-password")
        shot(page, "login-error")
        page.context.close()
        for username in ROLE_HOMES:
            page = new_page(browser, base_url, viewport)
            login(page, username)
            shot(page, f"home-{username}")
            if viewport is PHONE and username == "sysadmin":
                page.get_by_role("button", name="展开菜单").click()
                page.wait_for_timeout(500)
                shot(page, "home-sysadmin-menu")
            if username == "sysadmin":
                for name, url in [
                    ("regions", "/orgs/regions/"),
                    ("region-detail", f"/orgs/regions/{COUNTY}/"),
                    ("departments", "/orgs/departments/"),
                    ("users", "/orgs/users/"),
                    ("user-new", "/orgs/users/new/"),
                    ("import", "/orgs/import/"),
                    ("account", "/accounts/me/"),
                    ("404", "/orgs/regions/999999999999/"),
                ]:
                    page.goto(url)
                    shot(page, name)
                page.goto("/orgs/users/?q=taoyuan")
                page.get_by_role("link", name="吴大勇（桃园村）").click()
                shot(page, "user-detail")
                show_import_errors(page)
                shot(page, "import-errors")
            if username == "jw_inspector":
                page.goto("/audit/")
                shot(page, "audit")
            if username == "taoyuan":
                page.goto(f"/orgs/regions/{TAOYUAN}/")
                shot(page, "village-region")
                page.goto("/orgs/users/new/")
                shot(page, "village-403")
                page.goto(f"/orgs/regions/{OTHER_TOWNSHIP_VILLAGE}/")
                shot(page, "village-404")
            page.context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--all", metavar="DIR", help="save every page, desktop and phone, into DIR")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            if args.all:
                tour(browser, args.base_url.rstrip("/"), Path(args.all).resolve())
            else:
                readme_shots(browser, args.base_url.rstrip("/"))
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
