// Signing in to BlockPortal with a wallet in a real headless Chromium (harness.mjs, wallet.mjs):
// a refused signature says so and signs no one in; Alice's signature signs in her member, shown
// in the header, kept by the server across a reload in an HttpOnly cookie that page scripts
// cannot read; signing out ends it; Dave, who is no member, signs in by his address.
//
//   PORTAL_URL=http://127.0.0.1:3000 ARTIFACTS=artifacts node sign-in.mjs
import { artifacts, check, portal, run } from "./harness.mjs";
import { installTestWallet, WALLET } from "./wallet.mjs";

await run("sign-in", async ({ page, screenshot }) => {
  const wallet = await installTestWallet(page, [
    { uri: "//Alice", name: "Alice" },
    { uri: "//Dave", name: "Dave" },
  ]);
  const header = page.locator("header.top .session");
  const notice = page.locator("main .notice").last();
  const signInAs = async (name) => {
    await page.getByRole("button", { name: `Connect ${WALLET}` }).click();
    await page.getByRole("button", { name: new RegExp(`^Sign in as ${name} `) }).click();
  };

  await page.goto(`${portal}/sign-in`);
  check((await header.innerText()).trim() === "Sign in", "someone is signed in already");

  wallet.refusing = true;
  await signInAs("Alice");
  await page.getByRole("alert").filter({ hasText: "The wallet did not sign: Cancelled by the user" }).waitFor();
  check((await header.innerText()).trim() === "Sign in", "a refused signature signed in");

  wallet.refusing = false;
  await signInAs("Alice");
  await page.getByText("Signed in as Alice Energy Services.").waitFor();
  await header.getByRole("link", { name: "Alice Energy Services" }).waitFor();
  check(!(await page.evaluate(() => document.cookie)).includes("blockportal_session"),
    "page scripts can read the session cookie");
  await screenshot(page, "sign-in-laptop.png");

  // The server renders the session: a fresh load shows Alice without any script.
  await page.goto(`${portal}/`);
  await header.getByRole("link", { name: "Alice Energy Services" }).waitFor();
  await header.getByRole("button", { name: "Sign out" }).click();
  await header.getByRole("link", { name: "Sign in" }).waitFor();
  const session = await page.request.get(`${portal}/api/v1/session`);
  check(session.status() === 401, `signed out, the session still answers ${session.status()}`);

  await page.goto(`${portal}/sign-in`);
  await signInAs("Dave");
  await header.getByRole("link", { name: /^5DAAnr…/ }).waitFor();
  check(wallet.signed === 2, `the wallet signed ${wallet.signed} times, not 2`);
  check(await notice.isVisible(), "no notice after signing in");
});
console.log(`sign-in: refused, signed in and out with a test wallet; screenshots in ${artifacts}`);
