"""Stored markup in every curator- and reader-editable field runs nowhere (fault 12).

Markup is planted in the names, titles and descriptions of institutions, collections, works, items,
people and places, in a reader's correction and its note, and a ``javascript:`` URL in a homepage;
then every page that shows them is visited — the graph tooltip (each node shown), the map popups
(each opened), search results and suggestions, the item, work, institution, collection, person and
place pages, the reading room as a curator, the comparison workspace and the admin's lists and
forms. Any dialog, any planted element in the DOM, any Content-Security-Policy violation (the
``securitypolicyviolation`` event and the console) or script error fails the test, and every page
must carry the policy header with a nonce and without ``'unsafe-inline'`` scripts.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARK = "zqxhostile"
PAYLOAD = (
    f"{MARK} <img src=x onerror=alert(1)><script>alert(2)</script>\"><svg onload=alert(3)> "
    "javascript:alert(4) '-alert(5)-' </textarea><iframe src=javascript:alert(6)>"
)

# Records every CSP violation and any planted script that manages to run.
INIT = """
window.__csp = [];
window.__ran = [];
const record = (e) => window.__csp.push(
  [e.violatedDirective, e.blockedURI, e.sample, e.sourceFile, e.lineNumber].join(" | "));
document.addEventListener("securitypolicyviolation", record, true);
for (const name of ["alert", "confirm", "prompt"]) {
  const original = window[name];
  window[name] = function (...args) { window.__ran.push(name + ":" + args.join(",")); };
}
"""

# Elements and attributes that exist only if planted markup was parsed as HTML.
PLANTED = """() => {
  const found = [];
  for (const sel of ['img[src="x"]', "svg[onload]", "[onerror]", "[onload]", "iframe",
                     'a[href^="javascript:" i]', 'iframe[src^="javascript:" i]']) {
    document.querySelectorAll(sel).forEach((el) => found.push(sel + " in " + (el.parentElement || {}).className));
  }
  document.querySelectorAll("script:not([src])").forEach((el) => {
    if (el.type !== "application/json" && el.type !== "application/ld+json") {
      found.push("inline script: " + el.textContent.slice(0, 60));
    }
  });
  return found;
}"""


def _hostile(n: int) -> dict[str, list[str]]:
    return {"en": [f"{PAYLOAD} #{n}"], "zh-Hant": [f"{PAYLOAD} 經 #{n}"], "fr": [f"{PAYLOAD} fr #{n}"]}


def _plant() -> dict[str, Any]:
    """Hostile text in every editable text field the public pages and the admin show."""
    from django.contrib.auth import get_user_model

    from mogao.catalogue.models import Collection, Institution, Item, Transcription, Work
    from mogao.demo.loader import demo_load
    from mogao.knowledge.models import Person, Place
    from mogao.reading import services as reading

    demo_load(echo=lambda _msg: None)
    for model, field in ((Institution, "name"), (Collection, "name"), (Work, "title"), (Item, "title"),
                         (Person, "name"), (Place, "name")):
        for n, obj in enumerate(model.objects.all()):
            setattr(obj, field, _hostile(n))
            obj.description = _hostile(n)  # type: ignore[attr-defined]
            obj.save()  # announced through the change channel, as every write is
    Institution.objects.update(homepage="javascript:alert(7)")  # as if a bulk import had let one through

    transcription = Transcription.objects.filter(canvas__order=1, is_primary=True).select_related(
        "canvas__item").order_by("canvas__item__pid").first()
    assert transcription is not None, "the demo has a transcribed page"
    users = get_user_model().objects
    reader = users.create_user("hostile-reader", password="x-unused-password-1")
    admin = users.create_superuser("hostile-admin", password="x-unused-password-1")
    reading.correction_propose(user=reader, transcription=transcription, line=0, text=PAYLOAD, note=PAYLOAD)
    return {"item": transcription.canvas.item, "admin": admin}


class Watch:
    """Collects dialogs, console CSP errors and page errors of one browser page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.console: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.add_init_script(INIT)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def visit(self, url: str, *, status: int = 200) -> Any:
        response = self.page.goto(url)
        assert response is not None and response.status == status, url
        policy = response.headers.get("content-security-policy", "")
        script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src ")), "")
        assert "'nonce-" in script_src and "'unsafe-inline'" not in script_src, (url, policy)
        assert "'unsafe-eval'" not in policy, (url, policy)
        assert "default-src 'self'" in policy and "frame-ancestors" in policy, (url, policy)
        return response

    def check(self, where: str) -> None:
        page = self.page
        assert self.dialogs == [], where
        assert page.evaluate("window.__ran") == [], where
        assert page.evaluate("window.__csp") == [], where
        assert self.console == [], where
        assert page.evaluate(PLANTED) == [], where
        assert page.console_errors == [], where


def test_planted_markup_runs_nowhere_and_the_policy_is_never_violated(live_server: Any, page: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from mogao.catalogue.models import Institution, Work
    from mogao.knowledge.models import Person, Place

    planted = _plant()
    item = planted["item"]
    base = live_server.url
    watch = Watch(page)

    # -- the graph: every node's and link's tooltip, as ECharts renders it on hover
    for around in ("", f"?around=item:{item.pid}", f"?around=institution:{item.institution.pid}"):
        watch.visit(f"{base}/graph/{around}")
        page.wait_for_selector("#kn-graph[data-ready='1']")
        page.locator("#kn-graph svg").hover()
        shown = page.evaluate("""() => {
          const el = document.getElementById("kn-graph");
          const chart = echarts.getInstanceByDom(el);
          const series = chart.getModel().getSeriesByIndex(0);
          const texts = [];
          const tip = () => [...el.querySelectorAll("div")].filter((d) => !d.querySelector("svg"))
                                                         .map((d) => d.textContent).join(" ");
          for (let i = 0; i < series.getData().count(); i++) {
            chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: i});
            texts.push(tip());
          }
          for (let i = 0; i < series.getEdgeData().count(); i++) {
            chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: i, dataType: "edge"});
          }
          return texts;
        }""")
        watch.check("graph tooltip")
        assert any("<img src=x onerror=alert(1)>" in text for text in shown), "the tooltip shows the name as text"

    # -- the map: every marker's popup and tooltip
    watch.visit(f"{base}/map/")
    page.wait_for_selector("#kn-map[data-ready='1']")
    markers = page.locator("#kn-map path.kn-marker")
    assert markers.count() > 3
    opened = 0
    for k in range(markers.count()):
        markers.nth(k).dispatch_event("click")
        popup = page.locator("#kn-map .leaflet-popup-content").last
        if popup.count():
            opened += 1
            assert MARK in popup.inner_text()
    assert opened >= 3, "the popups opened"
    watch.check("map popups")

    # -- search: results page, then suggestions as the reader types
    watch.visit(f"{base}/search/?q={MARK}")
    assert MARK in page.locator("#search-results").inner_text()
    with page.expect_response(lambda r: "/search/suggest" in r.url):
        page.locator("#search-q").fill("")
        page.locator("#search-q").type(MARK[:6], delay=30)
    page.wait_for_timeout(300)
    watch.check("search")

    # -- public pages that show the planted records
    person = Person.objects.order_by("pid").first()
    place = Place.objects.order_by("pid").first()
    institution = Institution.objects.get(pk=item.institution_id)
    pages = [
        "/", "/browse/", "/institutions/", institution.get_absolute_url(), item.get_absolute_url(),
        "/people/", f"/people/{person.pid}", "/places/", f"/places/{place.pid}", "/timeline/",
        reverse("reading:page", args=[item.pid, 1]),
    ]
    work = Work.objects.filter(items=item).first()
    if work is not None:
        pages.append(work.get_absolute_url())
    if item.collection_id:
        pages.append(item.collection.get_absolute_url())
    for path in pages:
        watch.visit(f"{base}{path}")
        if path == item.get_absolute_url() and page.locator("#kn-item-map").count():
            page.wait_for_selector("#kn-item-map[data-ready='1']")
        watch.check(path)

    # -- as a curator (administrator): the reading room with the pending correction, the review
    #    queue, the comparison workspace and the admin
    client = Client()
    client.force_login(planted["admin"])
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    watch.visit(f"{base}{reverse('reading:page', args=[item.pid, 1])}")
    assert "<img src=x onerror=alert(1)>" in page.locator("main").inner_text(), "the correction is shown as text"
    page.locator(".reading-text .ch").first.click()  # the gloss popup
    page.wait_for_timeout(300)
    watch.check("reading room as curator")
    watch.visit(f"{base}/reading/corrections/")
    watch.check("corrections queue")
    watch.visit(f"{base}{reverse('iiif_presentation:compare_items', args=[item.pid, item.pid])}")
    page.wait_for_selector("#mirador .mirador-viewer", timeout=90_000)
    page.wait_for_function("() => document.querySelectorAll('.mirador-window .openseadragon-canvas canvas').length"
                           " >= 1", timeout=90_000)
    page.wait_for_timeout(1000)
    watch.check("Mirador")

    admin_pages = ["/admin/"]
    for model in ("catalogue/item", "catalogue/work", "catalogue/institution", "catalogue/collection",
                  "knowledge/person", "knowledge/place", "reading/correction"):
        admin_pages.append(f"/admin/{model}/")
    admin_pages += [
        f"/admin/catalogue/item/{item.pk}/change/", f"/admin/catalogue/institution/{institution.pk}/change/",
        f"/admin/knowledge/person/{person.pk}/change/", f"/admin/knowledge/place/{place.pk}/change/",
    ]
    if work is not None:
        admin_pages.append(f"/admin/catalogue/work/{work.pk}/change/")
    for path in admin_pages:
        watch.visit(f"{base}{path}")
        watch.check(path)
