//! The wallets a browser offers through the injected-web3 interface (`window.injectedWeb3`, as the
//! polkadot{.js} extension, Talisman and SubWallet implement it): their accounts, and raw
//! signatures made with keys that stay in the wallet. On the server there is no wallet.

/// An account a wallet shares with the portal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletAccount {
	/// SS58 address.
	pub address: String,
	/// The name its owner gave it in the wallet.
	pub name: Option<String>,
}

#[cfg(feature = "hydrate")]
pub use browser::{accounts, installed, sign_message, sign_payload, wallet_holding};

#[cfg(not(feature = "hydrate"))]
pub use server::{accounts, installed, sign_message, sign_payload, wallet_holding};

/// How the portal introduces itself to a wallet asking its user to allow it.
#[cfg(feature = "hydrate")]
const ORIGIN: &str = "BlockPortal";

#[cfg(feature = "hydrate")]
mod browser {
	use js_sys::{Array, Function, Object, Promise, Reflect};
	use wasm_bindgen::{JsCast, JsValue};
	use wasm_bindgen_futures::JsFuture;

	use super::{WalletAccount, ORIGIN};

	/// The names of the wallets installed in this browser.
	pub fn installed() -> Vec<String> {
		injected_web3()
			.map(|wallets| {
				Object::keys(&wallets).iter().filter_map(|name| name.as_string()).collect()
			})
			.unwrap_or_default()
	}

	/// The accounts `wallet` shares with the portal, once its user allows it.
	pub async fn accounts(wallet: &str) -> Result<Vec<WalletAccount>, String> {
		let injected = enable(wallet).await?;
		let list = call(&field(&injected, "accounts")?, "get", &[]).await?;
		Ok(Array::from(&list)
			.iter()
			.filter_map(|account| {
				Some(WalletAccount {
					address: Reflect::get(&account, &"address".into()).ok()?.as_string()?,
					name: Reflect::get(&account, &"name".into()).ok().and_then(|n| n.as_string()),
				})
			})
			.collect())
	}

	/// `address`'s signature of `message` by `wallet` (`signRaw` of its bytes, which wallets wrap
	/// in `<Bytes>…</Bytes>`), as hex; an error if the wallet or its user refuses.
	pub async fn sign_message(
		wallet: &str,
		address: &str,
		message: &str,
	) -> Result<String, String> {
		let injected = enable(wallet).await?;
		let request = Object::new();
		let data: String = message.bytes().map(|byte| format!("{byte:02x}")).collect();
		for (key, value) in
			[("address", address), ("data", &format!("0x{data}")), ("type", "bytes")]
		{
			Reflect::set(&request, &key.into(), &value.into()).map_err(describe)?;
		}
		let signed = call(&field(&injected, "signer")?, "signRaw", &[request.into()]).await?;
		field(&signed, "signature")?
			.as_string()
			.ok_or_else(|| "the wallet answered without a signature".to_string())
	}

	/// The installed wallet that holds `address`.
	pub async fn wallet_holding(address: &str) -> Result<String, String> {
		for wallet in installed() {
			if let Ok(accounts) = accounts(&wallet).await {
				if accounts.iter().any(|account| account.address == address) {
					return Ok(wallet);
				}
			}
		}
		Err(format!("no wallet in this browser holds {address}, the signed-in account"))
	}

	/// `wallet`'s signature of the transaction `payload` (a `SignerPayloadJSON` as JSON text),
	/// as hex; an error if the wallet or its user refuses.
	pub async fn sign_payload(wallet: &str, payload: &str) -> Result<String, String> {
		let injected = enable(wallet).await?;
		let payload = js_sys::JSON::parse(payload).map_err(describe)?;
		let signed = call(&field(&injected, "signer")?, "signPayload", &[payload]).await?;
		field(&signed, "signature")?
			.as_string()
			.ok_or_else(|| "the wallet answered without a signature".to_string())
	}

	fn injected_web3() -> Option<Object> {
		let window = web_sys::window()?;
		Reflect::get(&window, &"injectedWeb3".into()).ok()?.dyn_into::<Object>().ok()
	}

	async fn enable(wallet: &str) -> Result<JsValue, String> {
		let wallets = injected_web3().ok_or("no wallet is installed in this browser")?;
		let provider = Reflect::get(&wallets, &wallet.into()).map_err(describe)?;
		if provider.is_undefined() {
			return Err(format!("the wallet {wallet} is not installed"));
		}
		call(&provider, "enable", &[ORIGIN.into()]).await
	}

	fn field(object: &JsValue, name: &str) -> Result<JsValue, String> {
		match Reflect::get(object, &name.into()) {
			Ok(value) if !value.is_undefined() && !value.is_null() => Ok(value),
			Ok(_) => Err(format!("the wallet gave no {name}")),
			Err(error) => Err(describe(error)),
		}
	}

	/// Calls `object.method(...args)` and awaits its promise (or value).
	async fn call(object: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
		let function: Function = field(object, method)?
			.dyn_into()
			.map_err(|_| format!("the wallet's {method} is not a function"))?;
		let result = function.apply(object, &args.iter().collect::<Array>()).map_err(describe)?;
		JsFuture::from(Promise::resolve(&result)).await.map_err(describe)
	}

	/// A thrown value in words: an Error's message, a string as it is.
	fn describe(error: JsValue) -> String {
		error
			.dyn_ref::<js_sys::Error>()
			.map(|error| String::from(error.message()))
			.or_else(|| error.as_string())
			.unwrap_or_else(|| format!("{error:?}"))
	}
}

#[cfg(not(feature = "hydrate"))]
mod server {
	use super::WalletAccount;

	const NO_WALLET: &str = "wallets are reached from the browser only";

	pub fn installed() -> Vec<String> {
		Vec::new()
	}

	pub async fn accounts(_wallet: &str) -> Result<Vec<WalletAccount>, String> {
		Err(NO_WALLET.into())
	}

	pub async fn sign_message(
		_wallet: &str,
		_address: &str,
		_message: &str,
	) -> Result<String, String> {
		Err(NO_WALLET.into())
	}

	pub async fn wallet_holding(_address: &str) -> Result<String, String> {
		Err(NO_WALLET.into())
	}

	pub async fn sign_payload(_wallet: &str, _payload: &str) -> Result<String, String> {
		Err(NO_WALLET.into())
	}
}
