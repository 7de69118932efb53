package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestChartHourLabels draws the guests-online chart (web/ui/chart.js) for
// a day ending at every half hour, and a chart of 30 days' sales, at phone
// widths and a desktop's, in the browser: the labels under the axis never
// overlap and stay inside the chart, and the days keep today's.
// The dashboard's own check sees only the hour the test runs at.
func TestChartHourLabels(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 1280, 800)
	uiStep(t, ctx, chromedp.Navigate(e.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("form")))
	bad := run(t, ctx, chromedp.Evaluate[[]string](`(async () => {
		const { lineChart } = await import("/ui/chart.js");
		const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
		const out = [];
		for (let k = 0; k < 48; k++) {
			const to = new Date(2026, 0, 2, 0, 30 * k), from = new Date(to - 24 * 3600e3);
			const hosts = [300, 320, 340, 360, 380, 400, 700, 1000].map((width) => {
				const host = document.createElement("div");
				host.style.width = width + "px";
				host.append(lineChart({ points: [{ at: from, value: 2 }, { at: to, value: 3 }], from, to, slot: 300000,
					format: String, whole: true, label: "test", yTitle: "Guests" }));
				document.body.append(host);
				return [width, host];
			});
			for (let n = 0; n < 20 && hosts.some(([, host]) => !host.querySelector("svg")); n++) await frame();
			for (const [width, host] of hosts) {
				const when = width + " px to " + to.toTimeString().slice(0, 5) + ": ";
				const svg = host.querySelector("svg");
				if (!svg) {
					out.push(when + "the chart was not drawn");
					continue;
				}
				const box = svg.getBoundingClientRect();
				const labels = [...svg.querySelectorAll(".x-tick")].map((el) => ({ text: el.textContent, r: el.getBoundingClientRect() }));
				if (labels.length < 2) out.push(when + labels.length + " hour labels");
				for (const [i, a] of labels.entries()) {
					if (a.r.left < box.left - 0.5 || a.r.right > box.right + 0.5) out.push(when + a.text + " outside the chart");
					for (const b of labels.slice(i + 1)) {
						if (a.r.right > b.r.left && b.r.right > a.r.left) out.push(when + a.text + " overlaps " + b.text);
					}
				}
				host.remove();
			}
		}
		// A chart of 30 days, counted from today (the last): today keeps its label.
		const { barChart } = await import("/ui/chart.js");
		const days = [...Array(30).keys()].map((i) => new Date(2026, 10, 5 + i).toLocaleDateString("en-US", { month: "short", day: "numeric" }));
		const hosts = [300, 320, 340, 360, 380, 400, 700, 1000].map((width) => {
			const host = document.createElement("div");
			host.style.width = width + "px";
			host.append(barChart({ categories: days.map((d) => ({ label: d, title: d })), series: [{ name: "1 day", values: days.map((_, i) => i % 7) }],
				format: String, key: true, fromEnd: true, label: "test", yTitle: "Net sales (EUR)" }));
			document.body.append(host);
			return [width, host];
		});
		for (let n = 0; n < 20 && hosts.some(([, host]) => !host.querySelector("svg")); n++) await frame();
		for (const [width, host] of hosts) {
			const svg = host.querySelector("svg"), box = svg.getBoundingClientRect();
			const labels = [...svg.querySelectorAll(".x-tick")].map((el) => ({ text: el.textContent, r: el.getBoundingClientRect() }));
			const when = width + " px, 30 days: ";
			if (labels.length < 2 || labels[labels.length - 1].text !== days[29]) out.push(when + "labels " + labels.map((l) => l.text).join(", "));
			for (const [i, a] of labels.entries()) {
				if (a.r.left < box.left - 0.5 || a.r.right > box.right + 0.5) out.push(when + a.text + " outside the chart");
				for (const b of labels.slice(i + 1)) {
					if (a.r.right > b.r.left && b.r.right > a.r.left) out.push(when + a.text + " overlaps " + b.text);
				}
			}
			host.remove();
		}
		return out;
	})()`, chromedp.EvalAwaitPromise))
	for _, b := range bad {
		t.Error(b)
	}
}
