// A new organisation joins through BlockPortal in a real headless Chromium, every transaction
// signed by a test wallet (wallet.mjs) through the injected-web3 interface: Dave's application
// without a role is refused with the reason, a refused signature sends nothing, then Dave applies;
// Alice, the council, proposes admitting him (a council of one admits at once) and Dave's
// organisation is listed as a member.
//
//   PORTAL_URL=http://127.0.0.1:3000 ARTIFACTS=artifacts node membership.mjs
import { artifacts, check, portal, run } from "./harness.mjs";
import { installTestWallet, signIn } from "./wallet.mjs";

const ORGANISATION = "Dave Facilities";
/// Finality of a transaction and the portal's next read of the chain.
const ON_CHAIN = { timeout: 90_000 };

await run("membership", async ({ page, screenshot }) => {
  const wallet = await installTestWallet(page, [
    { uri: "//Alice", name: "Alice" },
    { uri: "//Dave", name: "Dave" },
  ]);

  await signIn(page, portal, "Dave");
  await page.goto(`${portal}/members`);
  const form = page.locator("section.apply form");
  await form.getByLabel("Organisation").fill(ORGANISATION);
  await form.getByLabel(/^Contact/).fill("Dave Facilities, energy desk, +44 20 7946 0000");
  await form.getByRole("button", { name: "Sign and apply" }).click();
  await page.getByRole("alert").filter({ hasText: "choose at least one role" }).waitFor();
  check(wallet.signed === 1, "an incomplete application reached the wallet");

  await form.getByLabel("Building owner").check();
  wallet.refusing = true;
  await form.getByRole("button", { name: "Sign and apply" }).click();
  await page.getByRole("alert").filter({ hasText: "The wallet did not sign: Cancelled by the user" }).waitFor();
  wallet.refusing = false;

  await form.getByRole("button", { name: "Sign and apply" }).click();
  await page.getByText(`${ORGANISATION} applied (block`).waitFor(ON_CHAIN);
  const waiting = page.locator("section[aria-labelledby=applications-heading] tbody th", { hasText: ORGANISATION });
  await waiting.waitFor(ON_CHAIN);
  await screenshot(page, "membership-applied.png");

  await page.locator("header.top .session").getByRole("button", { name: "Sign out" }).click();
  await signIn(page, portal, "Alice");
  await page.goto(`${portal}/council`);
  await page.getByRole("button", { name: `Propose admitting ${ORGANISATION}` }).click(ON_CHAIN);
  await page.getByText(`The admission of ${ORGANISATION} was proposed`).waitFor(ON_CHAIN);

  await page.goto(`${portal}/members`);
  await page.locator("table.kpis tbody th a", { hasText: ORGANISATION }).waitFor(ON_CHAIN);
  await page.reload();
  const member = page.locator("table.kpis tbody tr", { hasText: ORGANISATION });
  check((await member.innerText()).includes("BuildingOwner"), `${ORGANISATION} lacks its role`);
  await screenshot(page, "membership-admitted.png");
  check(wallet.signed === 4, `the wallet signed ${wallet.signed} times, not 4`);
}, { allow: [/status of 400 \(Bad Request\)/] });
console.log(`membership: ${ORGANISATION} applied and was admitted, signed in a test wallet; screenshots in ${artifacts}`);
