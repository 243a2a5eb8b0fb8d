// A test wallet with the injected-web3 interface that the polkadot{.js} extension, Talisman and
// SubWallet implement (window.injectedWeb3[name].enable → accounts, signer.signRaw and
// signer.signPayload). Its keys live in this Node process (@polkadot/keyring); the page sees
// addresses and signatures only, as with a real extension, and signRaw signs the data wrapped in
// <Bytes>…</Bytes> as those wallets do.
import { Keyring } from "@polkadot/keyring";
import { hexToU8a, u8aToHex, u8aWrapBytes } from "@polkadot/util";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { TypeRegistry } from "@polkadot/types";

export const WALLET = "smartblocks-test";

/// Installs the wallet with `accounts` ([{ uri, name }]) in `page` before its scripts run. Returns
/// a control whose `refusing` makes the wallet's user refuse every signature while it is true.
export async function installTestWallet(page, accounts) {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  const keys = accounts.map(({ uri, name }) => ({ pair: keyring.addFromUri(uri), name }));
  const control = { refusing: false, signed: 0 };
  await page.exposeFunction("__smartblocksTestWalletSignRaw", ({ address, data, type }) => {
    if (control.refusing) throw new Error("Cancelled by the user");
    if (type !== "bytes") throw new Error(`cannot sign raw data of type ${type}`);
    const key = keys.find(({ pair }) => pair.address === address);
    if (!key) throw new Error(`no key for ${address} in this wallet`);
    control.signed += 1;
    return u8aToHex(key.pair.sign(u8aWrapBytes(hexToU8a(data))));
  });
  // As the polkadot{.js} extension does: the payload's own extension list, whose unknown
  // entries (this chain's CheckMember) count as carrying no data.
  await page.exposeFunction("__smartblocksTestWalletSignPayload", (payload) => {
    if (control.refusing) throw new Error("Cancelled by the user");
    const key = keys.find(({ pair }) => pair.address === payload.address);
    if (!key) throw new Error(`no key for ${payload.address} in this wallet`);
    const registry = new TypeRegistry();
    registry.setSignedExtensions(payload.signedExtensions);
    const { signature } = registry
      .createType("ExtrinsicPayload", payload, { version: payload.version })
      .sign(key.pair);
    control.signed += 1;
    return signature;
  });
  const listed = keys.map(({ pair, name }) => ({ address: pair.address, name, type: "sr25519" }));
  await page.addInitScript(
    ({ wallet, listed }) => {
      window.injectedWeb3 = window.injectedWeb3 ?? {};
      window.injectedWeb3[wallet] = {
        version: "1.0.0",
        enable: async () => ({
          accounts: {
            get: async () => listed,
            subscribe: (callback) => {
              callback(listed);
              return () => {};
            },
          },
          signer: {
            signRaw: async (request) => ({
              id: 1,
              signature: await window.__smartblocksTestWalletSignRaw(request),
            }),
            signPayload: async (payload) => ({
              id: 2,
              signature: await window.__smartblocksTestWalletSignPayload(payload),
            }),
          },
        }),
      };
    },
    { wallet: WALLET, listed },
  );
  return control;
}

/// Signs in on the portal's sign-in page as the wallet account named `name`.
export async function signIn(page, portal, name) {
  await page.goto(`${portal}/sign-in`);
  await page.getByRole("button", { name: `Connect ${WALLET}` }).click();
  await page.getByRole("button", { name: new RegExp(`^Sign in as ${name} `) }).click();
  await page.locator("main p.notice.done[role=status]").waitFor();
}
