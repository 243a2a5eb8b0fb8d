// The energy performance contract's building page in a real headless Chromium (harness.mjs): its
// daily chart draws the agreed baseline and, beside it, what the contract's meters measured on
// the days savings count, each in the legend, and a screenshot on a laptop in $ARTIFACTS.
//
//   PORTAL_URL=http://127.0.0.1:3000 SITE=0 ARTIFACTS=artifacts node retrofit.mjs
import { check, portal, run } from "./harness.mjs";

const site = process.env.SITE ?? "0";

await run("retrofit", async ({ page, screenshot }) => {
  await page.goto(`${portal}/buildings/${site}`);
  const daily = page.locator("figure.chart").nth(1);
  await daily.waitFor();
  for (const [line, legend] of [["baseline", "Baseline"], ["contract", "Contract meters"]]) {
    const path = daily.locator(`path.${line}`);
    check((await path.count()) === 1, `no ${line} line on the daily chart`);
    check(/^M[\d.]+,[\d.]+h/.test((await path.getAttribute("d")) ?? ""), `the ${line} line is empty`);
    check(await daily.locator(`.key.${line}`, { hasText: legend }).isVisible(), `no ${legend} in the legend`);
  }
  await screenshot(page, "retrofit-laptop.png");
  console.log(`building ${site}: the baseline and the contract meters' use drawn`);
});
