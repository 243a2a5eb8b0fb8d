// A contract drafted in BlockPortal's wizard and signed by both parties in a real headless
// Chromium, each signature from a test wallet (wallet.mjs): Alice drafts a supply tariff for Dave
// Facilities (admitted by membership.mjs) on one of her buildings; a cap above the template's
// bound is refused with the bound and reaches no wallet; the reviewed draft is proposed with
// Alice's signature, Dave signs it on the contract's page, and it shows as active.
//
//   PORTAL_URL=http://127.0.0.1:3000 ARTIFACTS=artifacts node contract.mjs
import { artifacts, check, portal, run } from "./harness.mjs";
import { installTestWallet, signIn } from "./wallet.mjs";

const PROVIDER = "Alice Energy Services";
const CLIENT = "Dave Facilities";
/// Finality of a transaction and the portal's next read of the chain.
const ON_CHAIN = { timeout: 90_000 };

/// Chooses the option of `select` whose text starts with `text`.
async function choose(select, text) {
  const value = await select.locator("option", { hasText: text }).first().getAttribute("value");
  await select.selectOption(value);
}

await run("contract", async ({ page, screenshot }) => {
  const wallet = await installTestWallet(page, [
    { uri: "//Alice", name: "Alice" },
    { uri: "//Dave", name: "Dave" },
  ]);

  await signIn(page, portal, "Alice");
  await page.goto(`${portal}/contracts`);
  await page.getByRole("link", { name: "Draft a contract" }).click();
  const form = page.locator("form.wizard[data-ready]");
  await form.waitFor();
  await choose(form.getByLabel("Template", { exact: true }), "Supply tariff");
  await choose(form.getByLabel("Provider", { exact: true }), PROVIDER);
  await choose(form.getByLabel("Client", { exact: true }), CLIENT);
  await form.locator("fieldset", { hasText: "Sites" }).getByRole("checkbox").first().check();
  await form.getByRole("checkbox", { name: /GridImport/ }).first().check();
  await form.getByLabel(/^Market/).fill("DE-LU");
  await form.getByLabel(/^Price cap/).fill("5000");
  await form.getByRole("button", { name: "Review the draft" }).click();
  await page
    .getByRole("alert")
    .filter({ hasText: "Price cap: 5000 per MWh is outside the template's 0 to 1000 per MWh" })
    .waitFor();
  const unreviewed = await page.getByRole("button", { name: "Sign and propose" }).count();
  check(unreviewed === 0, "a draft that failed its review can be signed");
  await screenshot(page, "contract-out-of-bounds.png");

  await form.getByLabel(/^Price cap/).fill("250");
  await form.getByRole("button", { name: "Review the draft" }).click();
  const review = page.locator("section.review");
  await review.waitFor();
  const agreed = await review.innerText();
  check(agreed.includes(`${PROVIDER} provides, ${CLIENT} is the client`), `the review names other parties:\n${agreed}`);
  check(agreed.includes("at most 250.000 EUR/MWh"), `the review lacks the cap:\n${agreed}`);
  check(wallet.signed === 1, `a refused draft reached the wallet (${wallet.signed} signatures)`);
  await screenshot(page, "contract-review.png");
  await review.getByRole("button", { name: "Sign and propose" }).click();
  await page.getByText("The contract was proposed with your signature (block").waitFor(ON_CHAIN);

  await page.goto(`${portal}/contracts`);
  const row = page.locator("table.kpis tbody tr", { hasText: CLIENT }).first();
  await row.waitFor(ON_CHAIN);
  check((await row.innerText()).includes("Draft"), `the proposal is not a draft: ${await row.innerText()}`);
  const link = await row.getByRole("link").getAttribute("href");
  await page.goto(`${portal}${link}`);
  await page.getByText(`${PROVIDER} only`).waitFor();

  await page.locator("header.top .session").getByRole("button", { name: "Sign out" }).click();
  await signIn(page, portal, "Dave");
  await page.goto(`${portal}${link}`);
  await page.getByRole("button", { name: `Sign the contract as ${CLIENT}` }).click();
  await page.getByText(`${CLIENT} signed contract #`).waitFor(ON_CHAIN);
  await page.locator("dd.state", { hasText: "Active" }).waitFor(ON_CHAIN);
  await page.getByText("both parties").waitFor();
  await screenshot(page, "contract-active.png");
  check(wallet.signed === 4, `the wallet signed ${wallet.signed} times, not 4`);
}, { allow: [/status of 422 \(Unprocessable Entity\)/] });
console.log(`contract: drafted in the wizard, signed by ${PROVIDER} and ${CLIENT}, active; screenshots in ${artifacts}`);
