// BlockPortal's campus overview in a real headless Chromium (harness.mjs): every building listed
// with non-zero KPIs, the page hydrated (a column sort happens in the page, without a reload), a
// building's page with its charts and meters, no error in the console, and screenshots on a
// laptop and a phone in $ARTIFACTS.
//
//   PORTAL_URL=http://127.0.0.1:3000 BUILDINGS=50 ARTIFACTS=artifacts [FORECAST=shown] node overview.mjs
import { artifacts, check, portal, run } from "./harness.mjs";

const buildings = Number(process.env.BUILDINGS ?? "3");

await run("overview", async ({ browser, page, watch, screenshot }) => {
  await page.goto(`${portal}/?window=today&sort=energy&desc=1`);
  const rows = page.locator("table.kpis tbody tr");
  // Rendered on the server and streamed; the rows settle once the campus has arrived.
  const kwh = (text) => Number(text.replace(/[^0-9.]/g, ""));
  const energies = async () => {
    await page.waitForFunction(
      (count) => document.querySelectorAll("table.kpis tbody tr").length === count,
      buildings,
      { timeout: 30_000 },
    );
    const texts = [];
    for (let row = 0; row < buildings; row++) texts.push(await rows.nth(row).locator("td").nth(0).innerText());
    return texts;
  };
  // Just after midnight (UTC, the chain's day) today has no energy until its first readings
  // are final: load the page again, for up to 30 s, before a building without energy fails.
  const deadline = Date.now() + 30_000;
  let energy = await energies();
  while (!energy.every((text) => kwh(text) > 0) && Date.now() < deadline) {
    await page.waitForTimeout(3_000);
    await page.reload();
    energy = await energies();
  }
  energy.forEach((text, row) => check(kwh(text) > 0, `row ${row} has energy ${text}`));
  check(await page.locator("p.node.live").isVisible(), "the node is not shown live");
  check((await page.locator("figure.map circle").count()) === buildings, "a building is missing on the map");

  // Hydrated: the browser half sorts by name in the page, so a mark set on window survives.
  await page.waitForFunction(() => document.querySelector("script[type=module]") !== null);
  await page.waitForTimeout(1500);
  await page.evaluate(() => (window.__stayed = true));
  await page.getByRole("link", { name: /^Building/ }).click();
  await page.waitForURL(/sort=name/);
  await page.waitForFunction(() => {
    const names = [...document.querySelectorAll("table.kpis tbody th")].map((th) => th.firstChild.textContent);
    // A new column sorts names A to Z.
    return names.length > 1 && names.every((name, i) => i === 0 || names[i - 1] <= name);
  });
  check(await page.evaluate(() => window.__stayed === true), "sorting reloaded the page: not hydrated");
  await screenshot(page, "overview-laptop.png");

  // A building's page, reached from the table: its use per period and per day as charts, its
  // forecast's state, its meters with their hash chains.
  const first = page.locator("table.kpis tbody th a").first();
  const name = (await first.innerText()).trim();
  await first.click();
  await page.waitForURL(/\/buildings\/\d+/);
  await page.locator("h1", { hasText: name }).waitFor();
  const charts = page.locator("figure.chart");
  check((await charts.count()) === 2, "the building page lacks its two charts");
  check((await charts.nth(0).locator("rect").count()) === 96, "not 96 settlement periods");
  check((await charts.nth(1).locator("rect").count()) === 30, "not 30 days");
  await page.locator("td.chain .ok").first().waitFor();
  const forecast = (await page.locator("p[data-forecast]").innerText()).trim();
  if (process.env.FORECAST === "shown") {
    // The campus's past was imported into the bridge: its forecast is drawn from the start.
    check(/^Forecast by the bridge at .+ for /.test(forecast), `forecast note: ${forecast}`);
    check((await charts.nth(0).locator("path.forecast").count()) === 1, "no forecast line on the period chart");
  } else {
    // The campus is minutes old: the bridge says why there is no forecast yet.
    check(/^No forecast yet from the bridge at .+: not enough data yet/.test(forecast), `forecast note: ${forecast}`);
  }
  check(await page.evaluate(() => window.__stayed === true), "opening the building reloaded the page");
  await screenshot(page, "building-laptop.png");

  // A meter's page, reached from the building's meter table: its charts and its day checkpoints.
  await page.locator("tr[data-meter] th a").first().click();
  await page.waitForURL(/\/meters\/\d+/);
  await page.locator("h1", { hasText: "Meter #" }).waitFor();
  await page.locator("table.checkpoints tbody tr").first().waitFor();
  check((await page.locator("table.checkpoints .error").count()) === 0, "a checkpoint does not follow");
  check(await page.evaluate(() => window.__stayed === true), "opening the meter reloaded the page");
  await screenshot(page, "meter-laptop.png");

  // The member directory and a member's reputation, reached from the navigation.
  await page.getByRole("link", { name: "Members", exact: true }).click();
  await page.locator("h1", { hasText: "Members" }).waitFor();
  await page.locator("table.kpis tbody tr").first().waitFor();
  await page.locator("table.kpis tbody th a").first().click();
  await page.locator("h2", { hasText: "Reputation:" }).waitFor();
  await screenshot(page, "member-laptop.png");
  await page.getByRole("link", { name: "Contracts", exact: true }).click();
  await page.locator("h1", { hasText: "Contracts" }).waitFor();
  await page.getByText("No contract has been proposed yet.").waitFor();
  await page.getByRole("link", { name: "Council", exact: true }).click();
  await page.locator("h2", { hasText: "Open motions" }).waitFor();
  check(await page.evaluate(() => window.__stayed === true), "moving between pages reloaded one");
  await screenshot(page, "council-laptop.png");

  const phone = watch(await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true }));
  await phone.goto(`${portal}/?colour=renewable_share`);
  await phone.locator("table.kpis tbody tr").first().waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the phone layout is ${overflow}px wider than the screen`);
  await screenshot(phone, "overview-phone.png");
});
console.log(`overview: ${buildings} buildings with KPIs, hydrated; screenshots in ${artifacts}`);
