"""Accessibility checks in the browser: axe-core (vendored in tests/web/vendor/, version and
checksum in its README) against WCAG 2.1 A and AA, and no sideways scrolling on a phone."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}


def axe_violations(page: Page) -> list[str]:
    """The WCAG 2.1 AA violations axe-core finds on the page as it is now, one line each.
    axe is evaluated through the browser's debugging protocol, which the page's
    Content-Security-Policy does not govern, so the app's policy stays as strict as served."""
    run = ("async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
           ".violations.map(v => v.id + ': ' + v.help + ' — '"
           " + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;window.axe = axe; true")
    result = page.evaluate(run, WCAG_21_AA)
    return list(result)


def sideways_overflow(page: Page) -> list[str]:
    """Elements that stick out past the viewport's right edge outside a box that scrolls by
    itself (tables scroll in their own box); empty when the page needs no sideways scrolling."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth, out = [];
        const page = document.documentElement.scrollWidth;
        if (page > width) out.push('page ' + page);
        for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.right <= width + 1) continue;
            let boxed = false;
            for (let a = e.parentElement; a; a = a.parentElement) {
                const s = getComputedStyle(a).overflowX;
                if (s === 'auto' || s === 'scroll' || s === 'hidden') { boxed = true; break; }
            }
            if (!boxed && getComputedStyle(e).position !== 'fixed')
                out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));
        }
        return out.slice(0, 10);
    }""")
