import { describe, expect, it } from "vitest";
import { boardHtml, escapeHtml } from "./board-html.server";

describe("the day board's markup", () => {
  it("escapes everything it interpolates", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    const html = boardHtml([
      { id: "p1", title: `Dr <b>Evil</b>`, free: [{ label: "9:00 AM–10:00 AM", href: `/schedule/new?date=2026-12-01&provider=p1&time=09:00` }], cards: [{ id: `a"1`, status: "confirmed", patient: `O'Brien, <img src=x onerror=alert(1)>`, time: "9:00 AM–9:30 AM", serviceName: "Botox & filler", flags: "", next: "checked_in" }] },
    ]);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("O&#39;Brien, &lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain('href="/appointments/a&quot;1"');
    expect(html).toContain("Botox &amp; filler");
    expect(html).toContain('href="/schedule/new?date=2026-12-01&amp;provider=p1&amp;time=09:00"');
    expect(html).toContain(">Check in</button>");
  });

  it("says so when a column has nothing", () => {
    expect(boardHtml([{ id: "r1", title: "Room 1", free: null, cards: [] }])).toContain("Nothing scheduled.");
  });
});
