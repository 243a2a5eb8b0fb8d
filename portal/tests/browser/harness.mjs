// What every browser test shares: Debian's headless Chromium through playwright-core (which
// downloads nothing), a page whose console errors fail the test, and, when a step fails, the
// page's screenshot, HTML and errors saved in $ARTIFACTS for whoever reads the failure.
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const portal = process.env.PORTAL_URL ?? "http://127.0.0.1:3000";
export const artifacts = process.env.ARTIFACTS ?? "artifacts";

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/// Runs `steps({ browser, page, problems, screenshot })` in a fresh browser named `name`, then
/// fails if any page reported an error other than those matching `allow` (the answers to bad
/// input the test sends on purpose, which browsers log as failed loads).
export async function run(name, steps, { allow = [] } = {}) {
  mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const problems = [];
  const watch = (page) => {
    page.on("console", (message) => {
      const text = message.text();
      if (message.type() === "error" && !allow.some((expected) => expected.test(text))) {
        problems.push(`console: ${text}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    return page;
  };
  let page;
  try {
    page = watch(await browser.newPage({ viewport: { width: 1366, height: 900 } }));
    const screenshot = (target, file) =>
      target.screenshot({ path: join(artifacts, file), fullPage: true });
    await steps({ browser, page, problems, watch, screenshot });
  } catch (error) {
    await page?.screenshot({ path: join(artifacts, `${name}-failure.png`), fullPage: true }).catch(() => {});
    const html = await page?.content().catch(() => "");
    writeFileSync(join(artifacts, `${name}-failure.html`), html ?? "");
    error.message +=
      `\nthe page reported:\n${problems.join("\n") || "nothing"}` +
      `\nits HTML is in ${artifacts}/${name}-failure.html`;
    throw error;
  } finally {
    await browser.close();
  }
  check(problems.length === 0, `the page reported errors:\n${problems.join("\n")}`);
}
